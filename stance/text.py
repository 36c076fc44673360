"""Text analysis for news/opinion stance: whose voice is each stretch of text?

Pure module (no Django). Everything here is regex based, with patterns compiled once at import,
so that analysing a paragraph costs tens of microseconds.

The central idea: a news report is full of opinions, but they are *other people's*, quoted or
attributed ("X said the decision was petty"); an opinion column is the author's own voice
evaluating, hedging, asking rhetorical questions and exhorting the reader. So we

1. find quotation spans (:func:`quoted_spans`),
2. take the attributed spans found by :mod:`stance.attribution` (given with the text as an
   :class:`Attributed`: :func:`stance.voice.attributed` makes one),
3. mask both to get the author's own text (:attr:`Analysis.author`), and
4. compute authorial-stance cues only on that text (:func:`cue_vector`; the lexicons are in
   :mod:`stance.cue_lexicons`), plus a few counts of the reporting side (share of quoted and
   attributed text, attribution cues, numbers, dates and names; the classifier leaves the last
   three out, see ``stance.pipeline.MODEL_EXCLUDED_CUES``).

A plain ``str`` has only its quotations masked: what is attributed is decided in one place,
:mod:`stance.attribution`, read over a whole article where there is one.

Character offsets are always into the original string; spans are ``(start, end)`` with ``end``
exclusive and include the quotation marks themselves.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from itertools import compress, count, repeat
from typing import NamedTuple

from nltk.stem.snowball import SnowballStemmer

from stance import cue_lexicons as cl
from stance import lexicons as lx
from stance.cue_lexicons import CUE_DESCRIPTIONS, CUE_NAMES
from stance.spans import disjoint

__all__ = [
    "CUE_DESCRIPTIONS",
    "CUE_NAMES",
    "QUOTE_TOKEN",
    "REPORTED_TOKEN",
    "Analysis",
    "Attributed",
    "analyse",
    "cue_vector",
    "quoted_spans",
    "sentence_spans",
    "stem",
    "stem_tokens",
]


QUOTE_TOKEN = "_QUOTE_"
REPORTED_TOKEN = "_REPORTED_"
_QUOTE_PLACEHOLDER = f" {QUOTE_TOKEN} "

# Performance, by design: most paragraphs have no quotation mark, nothing attributed and none of
# the words that switch on the multi-word cues, so each stage first makes a cheap check (a set
# intersection, ``str.find``, a translation of the text's bytes) and skips its Python-level work
# when it cannot find anything; and the tokens come from the text's bytes wherever no regex is
# needed (:func:`_scan_bytes`). There is one implementation of each stage.

# --------------------------------------------------------------------------------------------
# Tokenising
# --------------------------------------------------------------------------------------------

_STEMMER = SnowballStemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball (Porter 2) stem, memoised: the stemmer itself is slow, the vocabulary small."""
    if word.startswith("_"):
        return word  # placeholders such as _QUOTE_ stay as they are
    return _STEMMER.stem(word)


_NGRAM_TOKEN_RE = re.compile(r"(?u)\b\w\w+\b")


def stem_tokens(text: str) -> list[str]:
    """Tokeniser for TfidfVectorizer(tokenizer=stem_tokens): sklearn's default token pattern
    followed by Snowball stemming. Expects already lower-cased text."""
    return [stem(t) for t in _NGRAM_TOKEN_RE.findall(text)]


# --------------------------------------------------------------------------------------------
# Quotation spans
# --------------------------------------------------------------------------------------------

_DQ_OPEN = "\u201c\u201e\u00ab"  # “ „ «
_DQ_CLOSE = "\u201d\u00bb"  # ” »
_DQ_MARKS = '"\u201c\u201d\u201e\u00ab\u00bb'
_SQ_MARKS = "'\u2018\u2019\u201a"
_OPEN_CONTEXT = set(" \t\n([{\u2014\u2013-/\u201c\"\u2018'")  # chars that may precede an opener
_CLOSE_FOLLOW = set(" \t\n.,;:!?)]}\u2014\u2013-\u201d\"\u2019'")  # chars that may follow a closer


_QUOTE_CHARS = "\"'\u2018\u2019\u201a\u201c\u201d\u201e\u00ab\u00bb"
_MAYBE_QUOTE_MARKS = ('"', "\u201c", "\u201d", "\u201e", "\u00ab", "\u00bb", "\u2018", "\u201a")


def _may_quote(text: str) -> bool:
    """False if ``text`` has no mark that could open or close a quotation: no double mark, no
    ‘ or ‚, and every ' and ’ has a letter or digit on both sides (don't, Carter's), which
    _single_spans skips. (``in`` and ``find`` are plain C scans, several times cheaper than
    a character-class regex.)"""
    for mark in _MAYBE_QUOTE_MARKS:
        if mark in text:
            return True
    last = len(text) - 1
    for mark in ("'", "\u2019"):
        i = text.find(mark)
        while i != -1:
            if i == 0 or i == last or not (text[i - 1].isalnum() and text[i + 1].isalnum()):
                return True
            i = text.find(mark, i + 1)
    return False


def _is_space(ch: str) -> bool:
    return ch.isspace()


def _positions(text: str, marks: str) -> list[int]:
    """Where any of the characters ``marks`` occur in ``text``, in order (``str.find`` calls:
    cheaper than a character-class regex, which tests every character of the text in turn)."""
    out = []
    for mark in marks:
        i = text.find(mark)
        while i != -1:
            out.append(i)
            i = text.find(mark, i + 1)
    out.sort()
    return out


def _double_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    n = len(text)
    open_pos: int | None = None
    marks = _positions(text, _DQ_MARKS)
    for i in marks:
        c = text[i]
        if open_pos is None:
            if c in _DQ_OPEN:
                open_pos = i
                continue
            # the neighbours only matter for a mark with nothing open
            prev = text[i - 1] if i > 0 else " "
            nxt = text[i + 1] if i + 1 < n else " "
            if c in _DQ_CLOSE:
                # A closer with nothing open. Either a curly quote typed the wrong way round
                # (space before, word after: treat as an opener) or the tail of a quotation
                # that began before this text (a sentence cut out of a quoted paragraph).
                if _is_space(prev) and not _is_space(nxt):
                    open_pos = i
                elif not spans:
                    spans.append((0, i + 1))
            else:  # straight quote: opener unless it plainly closes something begun earlier
                looks_closing = (not _is_space(prev)) and (nxt in _CLOSE_FOLLOW or i + 1 == n)
                if looks_closing and not spans and prev not in _OPEN_CONTEXT:
                    spans.append((0, i + 1))
                else:
                    open_pos = i
        else:
            if c in _DQ_OPEN and c != "\u00ab":
                # “ while a quote is open: a new paragraph-style re-opening; ignore.
                continue
            spans.append((open_pos, i + 1))
            open_pos = None
    if open_pos is not None:  # left open: runs to the end of the paragraph
        spans.append((open_pos, n))
    return spans


def _inside(i: int, spans: list[tuple[int, int]]) -> bool:
    for s, e in spans:  # noqa: SIM110 (a plain loop is measurably faster than any(genexpr))
        if s <= i < e:
            return True
    return False


def _single_spans(text: str, blocked: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Single-quoted spans outside ``blocked`` (the double-quoted spans)."""
    spans: list[tuple[int, int]] = []
    n = len(text)
    open_pos: int | None = None
    marks = _positions(text, _SQ_MARKS)
    for i in marks:
        if blocked and _inside(i, blocked):
            continue
        c = text[i]
        prev = text[i - 1] if i > 0 else " "
        nxt = text[i + 1] if i + 1 < n else " "
        if prev.isalnum() and nxt.isalnum():
            continue  # apostrophe: don't, Carter's, rock'n'roll
        can_open = (prev in _OPEN_CONTEXT or i == 0) and not _is_space(nxt) and c != "\u2019"
        can_close = (not _is_space(prev)) and (nxt in _CLOSE_FOLLOW or i + 1 == n)
        if c == "\u2018":
            can_close = False
        if open_pos is None:
            if can_open:
                open_pos = i
            elif can_close and not spans and prev in ".!?,":
                spans.append((0, i + 1))  # tail of a quotation begun before this text
        elif can_close:
            spans.append((open_pos, i + 1))
            open_pos = None
        elif can_open and text[open_pos] != "\u2018":
            open_pos = i  # the earlier straight quote was not an opener after all
    if open_pos is not None and (open_pos == 0 or text[open_pos] == "\u2018"):
        spans.append((open_pos, n))
    return spans


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Outermost quotation spans, sorted, as ``(start, end)`` offsets including the marks.

    Handles straight and curly double quotes, single quotes (straight or curly, told apart from
    apostrophes), single quotes nested inside double ones (reported as part of the outer span),
    double quotes nested inside single ones (British style), a quote left open at the end of a
    paragraph (runs to the end: the journalistic convention for a quotation that continues into
    the next paragraph), and a closing mark with no opener (the text begins mid-quotation).
    """
    if not _may_quote(text):
        return []  # no quotation marks, or only apostrophes (don't, Carter's)
    return _quote_spans(text)


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """:func:`quoted_spans` without its pre-check."""
    doubles = _double_spans(text)
    singles = _single_spans(text, doubles)
    if not singles:
        return doubles
    spans = sorted(doubles + singles, key=lambda s: (s[0], -s[1]))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and s < out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
            continue
        out.append((s, e))
    return out


# --------------------------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------------------------

# A sentence break, matched *at* the sentence-final mark: a leading character class (rather
# than a look-behind) lets sre scan for candidates in C.
_SENT_BREAK_AT_MARK = re.compile(
    r"[.!?][\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])"
).match
_ABBREV_RE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Prof|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|No|vs|etc|Inc|Co|"
    r"Corp|Ltd|Mt|Ft|Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec)|\b[A-Z]|\b(?:[A-Za-z]\.)+[A-Za-z])\.$"
)


def _may_abbreviate(text: str, end: int) -> bool:
    """False when _ABBREV_RE cannot match just before ``end``: every one of its forms ends in
    "." after an abbreviation of at most four letters (Sept, Prof), a capital (J.) or initials
    (U.S.), each starting at a word boundary, which five letters or digits before the "."
    leave no room for."""
    return text[end - 1] == "." and not (end >= 6 and text[end - 6 : end - 1].isalnum())


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Rough sentence boundaries as offsets (good enough for scoping attributions)."""
    out: list[tuple[int, int]] = []
    start = 0
    # (a match holds one mark, at its start: trying the regex at each mark finds them all)
    breaks = []
    for i in _positions(text, ".!?"):
        m = _SENT_BREAK_AT_MARK(text, i)
        if m:
            breaks.append((i + 1, m.end()))
    for chunk_end, next_start in breaks:
        if _may_abbreviate(text, chunk_end) and _ABBREV_RE.search(
            text, max(start, chunk_end - 12), chunk_end
        ):
            continue
        out.append((start, chunk_end))
        start = next_start
    if start < len(text):
        out.append((start, len(text)))
    return out or [(0, len(text))]


# --------------------------------------------------------------------------------------------
# Author voice
# --------------------------------------------------------------------------------------------


def _mask(text: str, quotes, reported) -> tuple[str, str]:
    """Return (author text with placeholders, others' text)."""
    if not quotes and not reported:
        return text, ""
    if not reported:
        # quoted_spans() gives sorted spans that do not overlap: nothing to merge
        parts = []
        others = []
        pos = 0
        for s, e in quotes:
            parts.append(text[pos:s])
            others.append(text[s:e])
            pos = e
        parts.append(text[pos:])
        return _QUOTE_PLACEHOLDER.join(parts), " ".join(others)
    labelled = sorted(
        [(s, e, QUOTE_TOKEN) for s, e in quotes] + [(s, e, REPORTED_TOKEN) for s, e in reported],
        key=lambda x: (x[0], -x[1]),
    )
    merged: list[list] = []
    for s, e, lab in labelled:
        if merged and s < merged[-1][1]:
            if e > merged[-1][1]:
                merged[-1][1] = e
                if lab == REPORTED_TOKEN:
                    merged[-1][2] = REPORTED_TOKEN
            continue
        merged.append([s, e, lab])
    parts: list[str] = []
    others: list[str] = []
    pos = 0
    for s, e, lab in merged:
        parts.append(text[pos:s])
        parts.append(f" {lab} ")
        others.append(text[s:e])
        pos = e
    parts.append(text[pos:])
    return "".join(parts), " ".join(others)


class Analysis(NamedTuple):
    text: str
    quotes: list[tuple[int, int]]
    reported: list[tuple[int, int]]
    attribution_cues: list[tuple[int, int]]  # the Attributed text's cue spans
    author: str  # author's text with placeholders
    others: str  # quoted + reported text
    author_tokens: list[str]  # lower-cased words of ``author``, placeholders as _quote_ etc.
    tokens: list[str]  # lower-cased words and numbers of the whole text
    cues: tuple[float, ...]


# Per-word information, looked up once per author word: (lexicon-cue indices, valence).
_LEXICON_CUES: tuple[tuple[str, frozenset[str]], ...] = (
    ("first_person_sg", cl.FIRST_PERSON_SINGULAR),
    ("first_person_pl", cl.FIRST_PERSON_PLURAL),
    ("second_person", cl.SECOND_PERSON),
    ("intensifiers", cl.INTENSIFIERS),
    ("evaluatives", cl.EVALUATIVES),
    ("hedges", cl.HEDGES),
    ("boosters", cl.BOOSTERS),
    ("deontic", cl.DEONTIC),
    ("irony", cl.IRONY),
    ("judgement_degree", cl.JUDGEMENT_DEGREE),
    ("generalisers", cl.GENERALISERS),
    ("negation", cl.NEGATIONS),
    ("argument_connectives", cl.CONNECTIVES_ARGUMENT),
    ("past_tense", cl.PAST_TENSE),
    ("present_tense", cl.PRESENT_TENSE),
    ("future_conditional", cl.FUTURE_CONDITIONAL),
    ("dates", cl.TIME_WORDS),
    ("titles", cl.TITLE_WORDS),
)
_LX = {name: i for i, (name, _) in enumerate(_LEXICON_CUES)}
_N_LEX = len(_LEXICON_CUES)
_PAST_INDEX = _LX["past_tense"]


def _build_word_info() -> dict[str, tuple[tuple[int, ...], float]]:
    info: dict[str, tuple[tuple[int, ...], float]] = {}
    words = set(cl.VALENCE)
    for _, lex in _LEXICON_CUES:
        words |= lex
    for w in words:
        cats = tuple(i for i, (_, lex) in enumerate(_LEXICON_CUES) if w in lex)
        info[w] = (cats, cl.VALENCE.get(w, 0.0))
    return info


_WORD_INFO = _build_word_info()

_IS_NUMBER = re.compile(r"\d").match
_BELOW_A = "a".__gt__
_CLOSING_MARKS = "\"\u201d'\u2019"
_QUOTE_LOW = QUOTE_TOKEN.lower()
_REPORTED_LOW = REPORTED_TOKEN.lower()
_COMPARATIVE_RE = re.compile(r"\b(?:more|less|better|worse|rather) [a-z]+ than\b")
# Sentence-initial words, in two parts: the opening of the text, and sentence starts after a
# mark (a leading character class lets sre scan for the marks in C).
_IMPERATIVE_OPENING_RE = re.compile(r"[\"'\u201c\u2018(\s]*([A-Z][a-z]*'?[a-z]*)\b")
_IMPERATIVE_AFTER_MARK_RE = re.compile(r"[.!?:;]\s+[\"'\u201c\u2018(\s]*([A-Z][a-z]*'?[a-z]*)\b")
_CAPITALISED = {w: w[0].upper() + w[1:] for w in cl.IMPERATIVE_STARTS}
_CAPS_BYTES = bytes(0x41 if 0x41 <= c <= 0x5A else 0x20 if c == 0x20 else 0x78 for c in range(256))
_PHRASE_TRIGGERS = {
    "of_course": frozenset(["course"]),
    "exhortation": frozenset(["time", "let", "let's", "must", "should", "need", "ought", "have"]),
    "irony": frozenset(["much", "again", "if", "forbid"]),
    "the_fact": frozenset(["is", "doubt", "mistake", "lesson"]),
}
_EVAL_TRIGGERS = cl.EVAL_FRAME_WORDS | {"wonder"}
_PHRASE_PADDED = {k: tuple(f" {p} " for p in v) for k, v in cl.PHRASES.items()}
_STATEMENT_NOUNS = lx.STATEMENT_NOUNS  # a cue that is a noun: "in a statement", "the report"
_new_tuple = tuple.__new__  # _new_tuple(Analysis, fields): Analysis(*fields), in C


def _lower(text: str) -> str:
    """Lower-cased with typographic apostrophes made straight (same length, same offsets)."""
    return text.lower().replace("\u2019", "'")


# --------------------------------------------------------------------------------------------
# Tokens from the text's bytes
# --------------------------------------------------------------------------------------------


# Tokenising mostly without the regex, on the text's UTF-8 bytes (see _scan_bytes): lower-case
# ASCII letters and apostrophes are kept, digits become "0" and everything else a space, except
# * the lead bytes of characters that can be part of a token (accented letters, non-ASCII
#   digits), which become "#": a marker that sends the text to str.lower() and the regex (the
#   lead bytes C2, U+0080-00BF: no-break space, pound, guillemets, and E2, U+2000-2FFF: curly
#   quotes, dashes, ellipsis, euro, only start separators, as far as _scan_bytes lets them
#   through; continuation bytes, 80-BF, follow a lead byte that has decided already);
# * the bytes of " “ ” „ ‘ ‚ « » (ASCII, or the last byte of their UTF-8), which become "!": a
#   text without them has no quotation mark other than ' and ’.
_QUOTE_MARK_BYTES = frozenset(c.encode()[-1] for c in _QUOTE_CHARS if c not in "'\u2019")


def _token_table(keep: str) -> bytes:
    def out(c: int) -> int:
        if chr(c) in keep:
            return c
        if chr(c).isdigit():
            return 0x30  # "0"
        if c >= 0xC0 and c not in (0xC2, 0xE2):
            return 0x23  # "#"
        if c in _QUOTE_MARK_BYTES:
            return 0x21  # "!"
        return 0x20  # " "

    return bytes(map(out, range(256)))


_TOKEN_BYTES = _token_table("abcdefghijklmnopqrstuvwxyz'")
_AUTHOR_TOKEN_BYTES = _token_table("abcdefghijklmnopqrstuvwxyz'_")
# Words (apostrophes kept) and numbers of lower-cased text; the second also the placeholders
# of an author text. Each starts with a character class (sre then scans for a token's first
# character in C) and uses possessive repeats (nothing follows them that could make the regex
# give characters back).
_TOKEN_SCAN = re.compile(
    r"[a-z\u00e0-\u024f\d](?:(?<=[a-z\u00e0-\u024f])[a-z\u00e0-\u024f]*+(?:'[a-z]++)*+"
    r"|(?<=\d)\d*+(?:[.,:]\d++)*+)"
).findall
_ALPHA_WORD_SCAN = re.compile(
    r"[_a-z\u00e0-\u024f\d](?:(?<=_)(?:quote_|reported_)"
    r"|(?<=[a-z\u00e0-\u024f])[a-z\u00e0-\u024f]*+(?:'[a-z]++)*+|(?<=\d)\d*+(?:[.,:]\d++)*+)"
).findall
_RIGHT_QUOTE_UTF8 = "\u2019".encode()
# (byte values, not bytes objects, for ``in``: bytes.__contains__ tries its argument as an
# integer first, and for a bytes object pays for a TypeError on the way)
_E2, _HASH_BYTE, _MARK_BYTE, _APOSTROPHE_BYTE = 0xE2, ord("#"), ord("!"), ord("'")


def _scan_bytes(raw: bytes, author: bool = False) -> tuple[list[str], int, bool] | None:
    """Tokens of a text from its UTF-8 bytes ``raw``, as the regex finds them in its
    :func:`_lower` form: ``_TOKEN_SCAN`` (``_ALPHA_WORD_SCAN`` with ``author``, for an author text
    whose only underscores are in the placeholders); also how many of them are numbers, and
    whether the text may hold a quotation: a mark other than ' and ’,
    or an apostrophe that is not inside a word (next to a space, another apostrophe or the
    end: one between letters or digits is an apostrophe to _single_spans too). None when the
    text needs str.lower() and the regex: accented letters, non-ASCII digits, E2 characters
    beyond U+2000-203F and U+2080-20BF (some, like the Kelvin sign, lower-case to letters).

    Away from digits a token is a run of a-z with single apostrophes inside it: the bytes are
    split after dropping each apostrophe next to a space or another apostrophe (a quotation
    mark, ``dogs'``), as the regex would. Digits need the regex (3.5, 3am, 1990's), but only
    from the space before the first to the space after the last: no token spans a space.
    """
    low = raw.lower()  # (ASCII only: everything else here has no case)
    if _E2 in raw:
        e2 = raw.count(b"\xe2")
        if e2 != raw.count(b"\xe2\x80") + raw.count(b"\xe2\x82"):
            return None
        low = low.replace(_RIGHT_QUOTE_UTF8, b"'")
    kept = low.translate(_AUTHOR_TOKEN_BYTES if author else _TOKEN_BYTES)
    if _HASH_BYTE in kept:
        return None
    may_quote = _MARK_BYTE in kept
    if may_quote:
        kept = kept.replace(b"!", b" ")
    if _APOSTROPHE_BYTE in kept:  # spaces for the apostrophes that are not inside a word
        cleaned = kept.replace(b"''", b"  ")
        cleaned = cleaned.replace(b" '", b"  ").replace(b"' ", b"  ")
        if cleaned.startswith(b"'"):
            cleaned = b" " + cleaned[1:]
        if cleaned.endswith(b"'"):
            cleaned = cleaned[:-1] + b" "
        may_quote = may_quote or cleaned != kept
        kept = cleaned
    first = kept.find(b"0")
    if first == -1:
        return kept.decode().split(), 0, may_quote
    start = low.rfind(b" ", 0, first) + 1
    end = low.find(b" ", kept.rfind(b"0"))
    if end == -1:
        end = len(low)
    middle = (_ALPHA_WORD_SCAN if author else _TOKEN_SCAN)(low[start:end].decode())
    tokens = kept[:start].decode().split()
    tokens += middle
    tokens += kept[end:].decode().split()
    # all ASCII: a token below "a" starts with a digit
    return tokens, sum(map(_BELOW_A, middle)), may_quote


def _phrase_index_word(phrase: str) -> str:
    """The word a phrase is filed under: its longest (rarest, near enough)."""
    return max(reversed(phrase.split()), key=len)


_PHRASE_KEYS = ("of_course", "exhortation", "irony", "the_fact")


def _build_phrase_index() -> dict[str, tuple[tuple[int, str], ...]]:
    """word -> ((index into _PHRASE_KEYS, padded phrase), ...) for the phrases filed under it.

    A phrase can only occur in the space-joined words if every one of its words is among them,
    so looking only at the phrases filed under the paragraph's words finds every occurrence.
    (Each phrase also contains one of its key's trigger words, which the full path relies on.)
    """
    out: dict[str, list[tuple[int, str]]] = {}
    for k, key in enumerate(_PHRASE_KEYS):
        for phrase in _PHRASE_PADDED[key]:
            if _PHRASE_TRIGGERS[key].isdisjoint(phrase.split()):
                raise AssertionError(f"phrase {phrase!r} has no trigger word")
            out.setdefault(_phrase_index_word(phrase), []).append((k, phrase))
    return {w: tuple(v) for w, v in out.items()}


_PHRASE_INDEX = _build_phrase_index()
# every word that can switch on a word-triggered stage: one set intersection per paragraph
_CUE_TRIGGERS = frozenset(_PHRASE_INDEX) | _EVAL_TRIGGERS | cl.IMPERATIVE_STARTS | {"than"}


def _phrase_counts(joined: str, hits) -> list[int]:
    """Occurrences of the multi-word cues per _PHRASE_KEYS entry; ``hits`` is the paragraph's
    words (only those in _CUE_TRIGGERS)."""
    counts = [0, 0, 0, 0]
    for word in hits:
        for k, phrase in _PHRASE_INDEX.get(word, ()):
            counts[k] += joined.count(phrase)
    return counts


def _imperative(author: str, hits) -> int:
    """1 if a sentence of ``author`` opens with a command word (Consider, Let, Imagine);
    ``hits``: the command words among the author's words."""
    # a sentence-initial "Consider" is spelt with a capital: without one, no need to look
    for w in cl.IMPERATIVE_STARTS.intersection(hits):
        if _CAPITALISED[w] in author:
            break
    else:
        return 0
    first = _IMPERATIVE_OPENING_RE.match(author)
    if first and first.group(1).lower() in cl.IMPERATIVE_STARTS:
        return 1
    # (a match holds one mark, at its start: the regex tried at each mark finds them all)
    at_marks = map(_IMPERATIVE_AFTER_MARK_RE.match, repeat(author), _positions(author, ".!?:;"))
    matches = filter(None, at_marks)
    for m in matches:
        if m.group(1).lower() in cl.IMPERATIVE_STARTS:
            return 1
    return 0


_EVAL_FRAME_ANCHORS = cl.EVAL_FRAME_START | {"wonder"}


def _eval_frame(words: list[str]) -> int:
    """'it is hard to see', "that's telling", 'no wonder': the author passing judgement."""
    n = len(words)
    # only the positions of the words a frame can start from (found by a C-level pass)
    positions = compress(count(), map(_EVAL_FRAME_ANCHORS.__contains__, words))
    for i in positions:
        w = words[i]
        if w == "wonder" and i and words[i - 1] in ("no", "little", "small"):
            return 1
        if w not in cl.EVAL_FRAME_START:
            continue
        j = i + 1
        if w in ("it", "that", "this", "what") and j < n and words[j] in cl.EVAL_FRAME_COPULA:
            j += 1
        elif w in ("it", "that", "what"):
            continue
        while j < n and words[j] in cl.EVAL_FRAME_SKIP:
            j += 1
        if j < n and words[j] in cl.EVAL_FRAME_WORDS:
            return 1
    return 0


_NO_REPORTING = (0.0,) * 8  # quote_share ... according_to for a text without quotes/attribution


class Attributed(str):
    """A text with what :mod:`stance.attribution` found to be someone else's in it: ``spans``,
    the attributed content, which :func:`analyse` masks as reported speech whatever its tone;
    ``cues``, the words that attribute it (said, according to, statement); and ``sources``,
    who it is attributed to. A ``str``, so it goes wherever a text goes (a pipeline's input
    list)."""

    __slots__ = ("cues", "sources", "spans")

    def __new__(cls, text: str, spans=(), cues=(), sources=()):
        obj = super().__new__(cls, text)
        obj.spans = _clip(spans, len(obj))
        obj.cues = _clip(cues, len(obj))
        obj.sources = _clip(sources, len(obj))
        return obj

    def part(self, start: int, end: int) -> Attributed:
        """``self[start:end]`` with the spans that fall in it, shifted."""

        def shift(spans):
            return [(s - start, e - start) for s, e in spans]

        text = str(self)[start:end]
        return Attributed(text, shift(self.spans), shift(self.cues), shift(self.sources))


def _clip(spans, n: int) -> list[tuple[int, int]]:
    """The spans cut to [0, n), empty ones dropped, sorted and merged."""
    return disjoint([(max(0, s), min(n, e)) for s, e in spans if min(n, e) > max(0, s)])


def analyse(text: str) -> Analysis:
    """Everything the classifier needs about one paragraph or sentence, computed in one pass.

    The common case (no quotation marks, nothing attributed) takes the short way: a handful of
    C-level scans and one dictionary lookup per word. An :class:`Attributed` text has its
    spans masked as reported speech too.
    """
    reported = getattr(text, "spans", None) or []
    cue_spans = getattr(text, "cues", None) or []
    text = str(text or "")
    raw = text.encode("utf-8", "surrogatepass")
    scanned = _scan_bytes(raw)
    if scanned is None:
        all_words, numbers, may_quote = _TOKEN_SCAN(_lower(text)), None, True
    else:
        all_words, numbers, may_quote = scanned
    quotes = _quote_spans(text) if may_quote else []
    if quotes or reported:
        author, others, words, nw = _author_side(text, quotes, reported)
        # the stages below only run when one of their trigger words is in the author's text
        hits = _CUE_TRIGGERS.intersection(words)
    else:
        author, others, words, nw = text, "", all_words, len(all_words)
        hits = _CUE_TRIGGERS.intersection(all_words)
    counts, v_abs, v_pos, v_neg, v_max = _lexicon_counts(words)
    joined = f" {' '.join(words)} "
    past = counts[_PAST_INDEX] + joined.count("ed ")  # -ed words, near enough
    if hits:
        comparative = len(_COMPARATIVE_RE.findall(joined)) if "than" in hits else 0
        of_course, exhort, irony_ph, fact_is = _phrase_counts(joined, hits)
        eval_frame = 0 if _EVAL_TRIGGERS.isdisjoint(hits) else _eval_frame(words)
        imperative = 0 if cl.IMPERATIVE_STARTS.isdisjoint(hits) else _imperative(author, hits)
    else:
        comparative = of_course = exhort = irony_ph = fact_is = eval_frame = imperative = 0

    o_val = _others_valence(all_words, nw, v_abs) if others else 0.0
    if quotes or reported or cue_spans:
        scare, author_share, reporting = _reporting(text, quotes, reported, cue_spans)
    else:
        scare, author_share, reporting = 0, 1.0, _NO_REPORTING

    if numbers is None:
        # digits sort before letters: the smallest token tells whether there are any numbers
        numbers = (
            len(list(filter(_IS_NUMBER, all_words))) if all_words and min(all_words) < "a" else 0
        )
    root_all = 1.0 / math.sqrt(len(all_words) or 1)
    # (fast: " [A-Z]" counted on the UTF-8 bytes, where capitals become "A", spaces stay and
    # everything else, the bytes of non-ASCII characters too, becomes "x")
    caps = raw.translate(_CAPS_BYTES).count(b" A")
    norm = 1.0 / math.sqrt(nw + 1.0)
    (fsg, fpl, second, intens, evals, hedges, boost, deontic, irony_w, judge, general, neg,
     connect, _past_words, present, future, dates, titles) = counts  # fmt: skip
    irony = irony_w + of_course + irony_ph
    cues = (
        fsg * norm,
        fpl * norm,
        second * norm,
        v_abs * norm,
        v_pos * norm,
        v_neg * norm,
        v_max,
        intens * norm,
        evals * norm,
        hedges * norm,
        (boost + of_course) * norm,
        deontic * norm,
        1.0 if "?" in author else 0.0,
        1.0 if "!" in author else 0.0,
        float(imperative),
        1.0 if exhort else 0.0,
        float(irony if irony < 2 else 2),
        float(scare if scare < 2 else 2),
        (judge + comparative) * norm,
        float(eval_frame),
        1.0 if fact_is else 0.0,
        general * norm,
        neg * norm,
        connect * norm,
        past * norm,
        present * norm,
        future * norm,
        author_share,
        math.log1p(nw),
        *reporting,
        numbers * root_all,
        dates * root_all,
        titles * root_all,
        caps * root_all,
        o_val,
    )
    # (tuple.__new__ is what Analysis(...) runs, minus its Python-level __new__)
    return _new_tuple(
        Analysis, (text, quotes, reported, cue_spans, author, others, words, all_words, cues)
    )


def _author_side(text: str, quotes, reported) -> tuple[str, str, list[str], int]:
    """The author's text (placeholders for the masked spans), the others' text, the author's
    tokens and how many of them are words (not placeholders)."""
    author, others = _mask(text, quotes, reported)
    # (an underscore in the text itself could spell a placeholder: the regex decides)
    scanned = (
        None if "_" in text else _scan_bytes(author.encode("utf-8", "surrogatepass"), author=True)
    )
    words = _ALPHA_WORD_SCAN(_lower(author)) if scanned is None else scanned[0]
    return author, others, words, len(words) - words.count(_QUOTE_LOW) - words.count(_REPORTED_LOW)


def _others_valence(all_words: list[str], nw: int, v_abs: float) -> float:
    """Loaded words inside quotes and attributed text: the whole text minus the author's part
    (``nw`` words with valence ``v_abs``)."""
    n_others = len(all_words) - nw
    if n_others <= 0:
        return 0.0
    all_val = sum(map(abs, filter(None, map(cl.VALENCE.get, all_words))))
    return max(0.0, all_val - v_abs) / math.sqrt(n_others + 1.0)


def _lexicon_counts(words: list[str]) -> tuple[list[float], float, float, float, float]:
    """Per-lexicon counts (_LEXICON_CUES order), and the valence sum, positive and negative
    word counts and strongest valence of ``words``."""
    # (counted in floats, exact for any count: float * float is the interpreter's fast case,
    # int * float goes through a failed int multiplication first)
    counts = [0.0] * _N_LEX
    v_abs = v_pos = v_neg = v_max = 0.0
    for cats, v in filter(None, map(_WORD_INFO.get, words)):
        for c in cats:
            counts[c] += 1.0
        if v:
            av = -v if v < 0 else v
            v_abs += av
            if av > v_max:
                v_max = av
            if v > 0.5:
                v_pos += 1.0
            elif v < -0.5:
                v_neg += 1.0
    return counts, v_abs, v_pos, v_neg, v_max


def _reporting(text: str, quotes, reported, cue_spans) -> tuple[int, float, tuple[float, ...]]:
    """Scare quotes, the author's share of the text and the reporting-side cues (quote_share
    ... according_to in CUE_NAMES order)."""
    n_chars = max(len(text.strip()), 1)
    scare = quote_tag = quoted_chars = reported_chars = starts_quoted = open_ended = 0
    according = 0
    for qs, qe in quotes:
        quoted_chars += qe - qs
        if not cue_spans and 0 < len(text[qs + 1 : qe - 1].split()) <= cl.SCARE_MAX_WORDS:
            scare += 1
    if quotes:
        starts_quoted = quotes[0][0] <= 1
        open_ended = quotes[-1][1] == len(text) and text[-1] not in _CLOSING_MARKS
    for s, e in reported:
        reported_chars += e - s
    for cs, ce in cue_spans:
        cue = _lower(text[cs:ce])
        if cue.startswith("according") or cue in _STATEMENT_NOUNS:
            according = 1
        for qs, qe in quotes:
            if 0 <= cs - qe <= 30 or 0 <= qs - ce <= 6:
                quote_tag += 1
                break
    other_share = (quoted_chars + reported_chars) / n_chars
    reporting = (
        quoted_chars / n_chars if quoted_chars < n_chars else 1.0,
        float(len(quotes) if len(quotes) < 3 else 3),
        float(starts_quoted),
        float(open_ended),
        float(len(cue_spans) if len(cue_spans) < 3 else 3),
        float(quote_tag if quote_tag < 2 else 2),
        reported_chars / n_chars if reported_chars < n_chars else 1.0,
        float(according),
    )
    return scare, (1.0 - other_share if other_share < 1.0 else 0.0), reporting


def cue_vector(text: str) -> tuple[float, ...]:
    """The dense cue features of one paragraph, in :data:`CUE_NAMES` order."""
    return analyse(text).cues
