"""Text analysis for news/opinion stance: whose voice is each stretch of text?

Pure module (no Django). Everything here is regex based, with patterns compiled once at import,
so that analysing a paragraph costs tens of microseconds.

The central idea: a news report is full of opinions, but they are *other people's*, quoted or
attributed ("X said the decision was petty"); an opinion column is the author's own voice
evaluating, hedging, asking rhetorical questions and exhorting the reader. So we

1. find quotation spans (:func:`quoted_spans`),
2. find attributions and the clauses they govern (:func:`attributions`, :func:`reported_spans`),
3. mask both to get the author's own text (:func:`author_voice`), and
4. compute authorial-stance cues only on that text (:func:`cue_vector`), plus a few counts of
   the reporting side (share of quoted text, attribution verbs, numbers, dates and names; the
   classifier leaves the last three out, see ``stance.pipeline.MODEL_EXCLUDED_CUES``).

Limits worth knowing: attribution is found by verb lists and local patterns, not parsing, so
free indirect speech ("He was sorry the career had ended") stays in the author's voice, and a
clause after a non-speech verb with a clause complement is not masked.

Character offsets are always into the original string; spans are ``(start, end)`` with ``end``
exclusive and include the quotation marks themselves.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from itertools import compress, count, repeat
from operator import itemgetter
from typing import NamedTuple

from nltk.stem.snowball import SnowballStemmer
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

__all__ = [
    "CUE_DESCRIPTIONS",
    "CUE_NAMES",
    "QUOTE_TOKEN",
    "REPORTED_TOKEN",
    "SPEECH_VERBS",
    "Analysis",
    "Attributed",
    "Attribution",
    "analyse",
    "attributions",
    "author_voice",
    "cue_vector",
    "others_voice",
    "quoted_spans",
    "reported_spans",
    "sentence_spans",
    "stem",
    "stem_tokens",
    "tokens",
]


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


QUOTE_TOKEN = "_QUOTE_"
REPORTED_TOKEN = "_REPORTED_"
_QUOTE_PLACEHOLDER = f" {QUOTE_TOKEN} "

# Performance, by design: most paragraphs have no quotation mark, no speech verb and none of
# the words that switch on the multi-word cues, so each stage first makes a cheap check (a set
# intersection, ``str.find``, a translation of the text's bytes) and skips its Python-level work
# when it cannot find anything; and the tokens come from the text's bytes wherever no regex is
# needed (:func:`_scan_bytes`). There is one implementation of each stage.

# --------------------------------------------------------------------------------------------
# Tokenising
# --------------------------------------------------------------------------------------------

_WORD_RE = re.compile(r"[A-Za-z\u00C0-\u024F]+(?:['\u2019][A-Za-z]+)*|\d+(?:[.,:]\d+)*%?|[?!]")
_STEMMER = SnowballStemmer("english")


def tokens(text: str) -> list[str]:
    """Lower-cased word, number, '?' and '!' tokens (apostrophes kept inside words)."""
    return [t.replace("\u2019", "'") for t in _WORD_RE.findall(text.lower())]


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
# Attribution
# --------------------------------------------------------------------------------------------

# Verbs of saying, thinking-as-reported and reporting. Base forms are included only where they
# occur with a plural third-person subject ("critics say", "officials warn").
SPEECH_VERBS = _words(
    "say says said saying tell tells told telling add adds added state states stated claim "
    "claims claimed argue argues argued insist insists insisted note notes noted explain "
    "explains explained warn warns warned write writes wrote ask asks asked reply replies "
    "replied respond responds responded announce announces announced acknowledge "
    "acknowledges acknowledged admit admits admitted concede concedes conceded suggest "
    "suggests suggested believe believes believed think thinks maintain maintains "
    "maintained contend contends contended allege alleges alleged deny denies denied "
    "declare declares declared confirm confirms confirmed predict predicts predicted recall "
    "recalls recalled report reports reported testify testifies testified stress stresses "
    "stressed emphasise emphasises emphasised emphasize emphasizes emphasized observe "
    "observes observed remark remarks remarked complain complains complained tweet tweets "
    "tweeted post posts posted describe describes described accuse accuses accused urge "
    "urges urged agree agrees agreed estimate estimates estimated reveal reveals revealed "
    "indicate indicates indicated counter counters countered conclude concludes concluded "
    "hope hopes hoped fear fears feared expect expects expected promise promises promised "
    "vow vows vowed pledge pledges pledged demand demands demanded call calls called "
    "thought"
)
_SPEECH_SET = frozenset(SPEECH_VERBS)
# verbs that take a clause on their own ("X said the party had ...") and so license masking
_CLAUSE_VERBS = _words(
    "say says said tell tells told add adds added state states stated claim claims claimed "
    "argue argues argued insist insists insisted note notes noted explain explains "
    "explained warn warns warned write writes wrote reply replies replied respond responds "
    "responded announce announces announced acknowledge acknowledges acknowledged admit "
    "admits admitted concede concedes conceded believe believes believed think thinks "
    "maintain maintains maintained contend contends contended allege alleges alleged deny "
    "denies denied declare declares declared confirm confirms confirmed predict predicts "
    "predicted recall recalls recalled report reports reported testify testifies testified "
    "stress stresses stressed emphasise emphasises emphasised emphasize emphasizes "
    "emphasized observe observes observed remark remarks remarked complain complains "
    "complained tweet tweets tweeted post posts posted agree agrees agreed reveal reveals "
    "revealed counter counters countered conclude concludes concluded thought hope hopes "
    "hoped fear fears feared expect expects expected promise promises promised vow vows "
    "vowed pledge pledges pledged"
)
# tag verbs that may follow the clause they govern: "CLAUSE, X said." / "CLAUSE," said X.
_TAG_VERBS = _words(
    "said says told tells added adds wrote writes explained explains insisted insists "
    "argued argues noted notes claimed claims warned warns stated states reported reports "
    "asked asks replied replies continued concluded admitted acknowledged recalled tweeted "
    "posted believes thinks according confirmed declared maintained stressed emphasised "
    "emphasized observed remarked countered conceded"
)
_BASE_FORMS = frozenset(
    v
    for v in SPEECH_VERBS
    if not v.endswith(("s", "ed", "ing")) and v not in ("said", "told", "thought", "wrote")
)
_THIRD_PERSON_ONLY = _BASE_FORMS  # need a plural noun subject, never I/we/you
_FIRST_SECOND = frozenset(["i", "we", "you", "one", "me", "us"])
_AUX = _words(
    "has have had also would will could may might has had just then later further again "
    "once previously earlier already repeatedly publicly privately reportedly separately "
    "recently yesterday today tonight not never did does do n't had been is was were are "
    "has've can must should shall only even still"
)
_AUX_REVERSED = frozenset(w[::-1] for w in _AUX)
_TOKEN_SPAN_RE = re.compile(r"[A-Za-z\u2019']+|[^\sA-Za-z]")
_ACCORDING_RE = re.compile(r"\baccording to\b", re.I)
_STATEMENT_RE = re.compile(
    r"\b(?:in an? (?:statement|interview|email|letter|post|tweet|press release|speech|report)"
    r"|(?:a|the) (?:statement|spokesperson|spokesman|spokeswoman|spokesman's) (?:said|says|read)"
    r"|quoted as saying|was quoted|went on to say|pointed out)\b",
    re.I,
)
_NOT_ATTRIB_BEFORE = frozenset(
    ["to", "needless", "suffice", "fair", "safe", "let's", "i", "we", "you", "one", "they'd"]
)  # "to say", "needless to say", "fair to say"


class Attribution(NamedTuple):
    verb: str  # lower-cased verb or phrase ("said", "according to", "in a statement")
    start: int
    end: int


_START = itemgetter(1)  # Attribution.start, as a C-level sort key
_new_tuple = tuple.__new__  # _new_tuple(Attribution, fields): Attribution(*fields), in C


_NEXT_REV_WORD_RE = re.compile(r"[^a-z']*([a-z']+)").match
_NEXT_WORD_RE = re.compile(r"\W*([A-Za-z\u2019']+)")
# plural-noun subjects that make a base form ("critics say") an attribution
_PLURAL_SUBJECT_RE = re.compile(r"(?:s|people|police|staff|media|they)$")
_DETERMINERS = _words("the a an his her their its our my these")
_NOT_VERB_AFTER = frozenset(["of", "for"])  # "the claims of", "a call for"


def _previous_word(low: str, pos: int) -> str:
    """The word before ``pos`` in lower-cased text, skipping auxiliaries and adverbs
    ("has also said" -> the subject before "has"): the last five words of the 60 characters
    before ``pos``, nearest first."""
    rev = low[max(0, pos - 60) : pos][::-1]
    # the reversed window read a word at a time: usually the first one will do
    i = 0
    for _ in range(5):
        m = _NEXT_REV_WORD_RE(rev, i)
        if m is None:
            break
        word = m.group(1)
        if word not in _AUX_REVERSED:
            return word[::-1]
        i = m.end()
    return ""


_STATEMENT_TRIGGERS = _words(
    "statement interview email letter post tweet release speech report spokesperson "
    "spokesman spokeswoman quoted pointed"
)


def _verb_matches(verb: str, low: str) -> list[tuple[int, int]]:
    r"""(start, end) of every whole-word occurrence of ``verb`` in ``low``, as
    ``re.finditer(r"\bverb\b")`` finds them, but with ``str.find`` (a regex that starts with
    ``\b`` is tried position by position) and the boundaries checked by hand: re's ``\w`` is
    an alphanumeric character or the underscore."""
    out = []
    n = len(low)
    size = len(verb)
    s = low.find(verb)
    while s != -1:
        e = s + size
        if (s == 0 or not (low[s - 1].isalnum() or low[s - 1] == "_")) and (
            e == n or not (low[e].isalnum() or low[e] == "_")
        ):
            out.append((s, e))
            s = low.find(verb, e)
        else:
            s = low.find(verb, s + 1)
    return out


def _lower(text: str) -> str:
    """Lower-cased with typographic apostrophes made straight (same length, same offsets)."""
    return text.lower().replace("\u2019", "'")


def attributions(
    text: str,
    quotes: list[tuple[int, int]] | None = None,
    *,
    low: str | None = None,
    tokset: set[str] | frozenset[str] | None = None,
) -> list[Attribution]:
    """Attribution markers outside quotation spans: speech verbs with a third-person subject
    (not "I think", "you might say", "needless to say"), "according to", "in a statement"."""
    if quotes is None:
        quotes = quoted_spans(text)
    if low is None:
        low = _lower(text)
    if tokset is None:
        tokset = set(_WORD_RE.findall(low))
    verbs = _SPEECH_SET.intersection(tokset)
    out: list[Attribution] = []
    for verb in verbs:
        for s, e in _verb_matches(verb, low):
            if quotes and _inside(s, quotes):
                continue
            nxt = _NEXT_WORD_RE.match(low, e)
            nxt_word = nxt.group(1) if nxt else ""
            if nxt_word == "to" and verb not in ("said", "says", "say", "told", "tells", "tell"):
                continue  # "wants to", "expects to", "hopes to": not speech
            if verb in ("called", "calls", "call") and nxt_word not in ("for", "on"):
                continue
            prev = _previous_word(low, s)  # (the dearest test, so the last)
            if prev in _NOT_ATTRIB_BEFORE or prev in _FIRST_SECOND:
                continue
            # after a determiner it is a noun: "his claims the party was vindictive" is still
            # reported speech, "the report" and "the claims of" are not
            if prev in _DETERMINERS and (
                verb not in ("claims", "claim", "reports") or nxt_word in _NOT_VERB_AFTER
            ):
                continue
            if verb in _THIRD_PERSON_ONLY and not _PLURAL_SUBJECT_RE.search(prev or "x"):
                continue
            if verb == "states" and prev == "united":
                continue
            out.append(_new_tuple(Attribution, (verb, s, e)))  # Attribution(verb, s, e)
    if "according" in tokset:
        for m in _ACCORDING_RE.finditer(low):
            if not (quotes and _inside(m.start(), quotes)):
                out.append(Attribution("according to", m.start(), m.end()))
    if not _STATEMENT_TRIGGERS.isdisjoint(tokset):
        for m in _STATEMENT_RE.finditer(low):
            if not (quotes and _inside(m.start(), quotes)):
                out.append(Attribution(m.group(0), m.start(), m.end()))
    if len(out) > 1:
        out.sort(key=_START)
    return out


_THAT_RE = re.compile(r"\s*(?:,\s*)?(?:that\b)?", re.I)
_TOLD_OBJECT_RE = re.compile(
    r"\s+(?:(?:the|a|an)\s+)?(?:[A-Z][\w\u2019'.-]*\s*){1,5}(?:'s\s+\w+\s*)?"
    r"|\s+(?:reporters|journalists|him|her|them|us|me|media|the media|parliament)\b\s*"
)
_SENTENCE_STOP_SEARCH = re.compile(r"[.!?]").search


def _colon_end(text: str, pos: int, endpos: int) -> int:
    """The end of a colon within 40 characters of ``pos`` with no sentence-final mark before
    it, or 0 for none (a find, and only when there is a colon a search for the marks)."""
    c = text.find(":", pos, endpos)
    if c == -1 or c - pos > 40 or _SENTENCE_STOP_SEARCH(text, pos, c):
        return 0
    return c + 1


_TRAIL_WINDOW = 70  # characters: ", Mr Carter told the Herald on Sunday." fits


def reported_spans(
    text: str,
    quotes: list[tuple[int, int]] | None = None,
    attrs: list[Attribution] | None = None,
) -> list[tuple[int, int]]:
    """Clauses governed by an attribution: someone else's words in reported speech.

    * ``X said (that) CLAUSE`` / ``X told Y (that) CLAUSE``: from after the verb (and object) to
      the end of the sentence (or of the paragraph after a colon: ``X said: ...``).
    * ``CLAUSE, X said.`` / ``CLAUSE, said X.`` / ``CLAUSE, according to X.``: the clause before
      the comma.
    * ``According to X, CLAUSE``: the clause after the comma.
    """
    if quotes is None:
        quotes = quoted_spans(text)
    if attrs is None:
        attrs = attributions(text, quotes)
    if not attrs:
        return []
    spans: list[tuple[int, int]] = []
    sents = sentence_spans(text)
    n = len(text)
    for a in attrs:
        start = a.start
        ss, se = 0, n
        for s, e in sents:
            if s <= start < e:
                ss, se = s, e
                break
        # colon-introduced quotation: everything after the colon is someone else's
        if a.verb != "according to":
            colon_end = _colon_end(text, a.end, min(se, a.end + 42))
            if colon_end:
                spans.append((colon_end, n))
                continue
        # trailing attribution: "CLAUSE, X said." / "CLAUSE," said X.
        before = text[ss:start]
        comma = max(before.rfind(","), before.rfind("\u2014"), before.rfind(" - "))
        if comma >= 0 and start - (ss + comma) <= _TRAIL_WINDOW:
            after = text[a.end : se].strip()
            tail_ok = (
                a.verb.split()[0] in _TAG_VERBS
                and len(after.split()) <= 6
                and len(after) < 45
                and "," not in after[:2]
            )
            clause_end = ss + comma
            if tail_ok and clause_end - ss > 8:
                spans.append((ss, clause_end))
                continue
        if a.verb == "according to":
            c = text.find(",", a.end, se)
            if c != -1 and c - a.end < 60 and se - c > 8:
                spans.append((c + 1, se))
            continue
        # forward reported clause
        pos = a.end
        if a.verb in ("told", "tell", "tells", "asked", "asks", "ask", "urged", "warned"):
            m = _TOLD_OBJECT_RE.match(text, pos)
            if m:
                pos = m.end()
        m = _THAT_RE.match(text, pos)
        if m:
            pos = m.end()
        # (a bare tag, "said X." with nothing after, governs no clause)
        is_clause_verb = a.verb in _CLAUSE_VERBS or a.verb.startswith(("in a", "in an"))
        if is_clause_verb and se - pos > 12 and not (quotes and _inside(pos, quotes)):
            spans.append((pos, se))
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    if len(spans) == 1:  # the usual case
        return spans if spans[0][1] > spans[0][0] else []
    spans = sorted([s for s in spans if s[1] > s[0]])
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


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
    if not reported:
        labelled = [(s, e, QUOTE_TOKEN) for s, e in quotes]
    else:
        labelled = sorted(
            [(s, e, QUOTE_TOKEN) for s, e in quotes]
            + [(s, e, REPORTED_TOKEN) for s, e in reported],
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


def author_voice(text: str) -> str:
    """The author's own text: quotation spans replaced by ``_QUOTE_`` and reported clauses
    (``X said the party had ...``) replaced by ``_REPORTED_``."""
    return analyse(text).author


def others_voice(text: str) -> str:
    """The complement of :func:`author_voice`: quoted and reported text, space-joined."""
    return analyse(text).others


# --------------------------------------------------------------------------------------------
# Cue lexicons
# --------------------------------------------------------------------------------------------


FIRST_PERSON_SINGULAR = _words("i me my mine myself i'm i've i'd i'll")
FIRST_PERSON_PLURAL = _words("we us our ours ourselves we're we've we'd we'll let's")
SECOND_PERSON = _words("you your yours yourself yourselves you're you've you'd you'll")
INTENSIFIERS = _words(
    "very extremely utterly truly really so too absolutely totally completely entirely deeply "
    "incredibly remarkably hugely enormously vastly exceedingly terribly awfully thoroughly "
    "profoundly immensely desperately wildly painfully downright outright sheer blatantly "
    "grossly staggeringly astonishingly shockingly strikingly particularly especially even "
    "indeed simply just quite rather fully far much more most least ever whatsoever"
)
EVALUATIVES = _words(
    "good bad wrong right absurd ridiculous shameful disgraceful foolish clever stupid silly "
    "wise unwise sensible senseless pointless useless worthless dangerous reckless irresponsible "
    "ludicrous laughable outrageous scandalous appalling dreadful terrible awful excellent "
    "brilliant admirable remarkable impressive pathetic petty hypocritical hypocrisy dishonest "
    "honest fair unfair unjust just naive misguided misleading wrongheaded flawed failed "
    "failure disaster disastrous catastrophic mess fiasco farce nonsense rubbish madness insane "
    "crazy bizarre weird strange odd curious funny ironic irony tragic sad sorry shame pity "
    "welcome unwelcome worthy unworthy deserve deserves deserved undeserved necessary "
    "unnecessary needless important crucial vital essential significant trivial serious "
    "hardly arguably problematic troubling worrying worrisome alarming disturbing "
    "embarrassing humiliating cynical cowardly brave courageous bold timid weak strong "
    "incompetent competent inept feeble lame bogus fake phony phoney sham dubious questionable "
    "specious spurious baseless groundless obvious plain clear mistaken mistake blunder "
    "propaganda ideology ideological elitist woke radical extreme extremist"
)
HEDGES = _words(
    "perhaps maybe possibly probably presumably apparently seemingly arguably conceivably "
    "likely unlikely seem seems seemed appear appears appeared suggests suppose supposedly "
    "might may could would somewhat fairly partly"
)
BOOSTERS = _words(
    "surely certainly clearly obviously undoubtedly undeniably definitely evidently plainly "
    "of-course indeed doubtless unquestionably inevitably inevitable certain sure"
)
DEONTIC = _words("should must ought need needs shouldn't mustn't cannot can't")
IRONY = _words("so-called supposedly hardly apparently allegedly purportedly oh alas")
JUDGEMENT_DEGREE = _words(
    "best worst better worse greatest biggest most least finest poorest largest smallest "
    "highest lowest superior inferior"
)
CONNECTIVES_ARGUMENT = _words(
    "but yet however nevertheless nonetheless therefore thus hence instead rather whereas "
    "although though indeed regardless moreover furthermore besides still"
)
GENERALISERS = _words(
    "all every everyone everybody everything nobody nothing none never always any anyone "
    "whole entire"
)
TIME_WORDS = _words(
    "yesterday today tonight tomorrow monday tuesday wednesday thursday friday saturday sunday "
    "january february march april june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec week weeks month months year years "
    "morning afternoon evening night hours minutes"
)
TITLE_WORDS = _words(
    "mr mrs ms dr president minister prime senator sen rep gov governor chief spokesman "
    "spokeswoman spokesperson officials official police department ministry agency court "
    "judge secretary chairman chair ceo director professor leader mp mps councillor"
)
NEGATIONS = _words("not no never nothing nobody none nor n't don't doesn't didn't isn't wasn't")
# Reporting narrates what happened (past tense); commentary argues in the present.
PAST_TENSE = _words(
    "was were had did said told went came made took gave got saw became began won lost left "
    "held met ran rose fell paid sent spent kept brought bought thought found led sold wrote "
    "spoke stood chose knew grew drew flew threw broke struck caught taught fought sought"
)
PRESENT_TENSE = _words(
    "is are am isn't aren't has have does do doesn't don't seems remains means matters "
    "it's that's there's what's here's"
)
FUTURE_CONDITIONAL = _words("will would won't wouldn't can can't could couldn't shall")

_IMPERATIVE_STARTS = _words(
    "let consider imagine remember look think note forget stop don't do try ask take give "
    "make keep read watch listen say tell vote join support stand fight accept admit face "
    "picture recall bear mind never"
)

# Multi-word cues, matched as substrings of the space-joined lower-cased author tokens (padded
# with spaces, so each behaves as a whole-word match). Substring tests run in C: far cheaper
# than a big alternation regex.
PHRASES: dict[str, tuple[str, ...]] = {
    "of_course": ("of course",),
    "exhortation": (
        "it is time",
        "it's time",
        "now is the time",
        "high time",
        "let us",
        "let's",
        "we must",
        "we should",
        "we need to",
        "we ought",
        "we have to",
        "you must",
        "you should",
        "you need to",
        "they must",
        "they should",
        "they need to",
        "government must",
        "government should",
        "everyone should",
        "everyone must",
    ),
    "irony": ("so much for", "yet again", "once again", "as if", "god forbid", "heaven forbid"),
    "the_fact": (
        "the fact is",
        "the truth is",
        "the reality is",
        "the problem is",
        "the point is",
        "the question is",
        "no doubt",
        "without doubt",
        "make no mistake",
        "the lesson",
    ),
}
_PHRASE_PADDED = {k: tuple(f" {p} " for p in v) for k, v in PHRASES.items()}
_EVAL_FRAME_START = frozenset(["it's", "that's", "this", "it", "that", "what"])
_EVAL_FRAME_COPULA = frozenset(["is", "was", "would", "seems", "seemed"])
_EVAL_FRAME_SKIP = _words("not hardly simply just very so quite rather far all too a an")
EVAL_FRAME_WORDS = _words(
    "hard difficult easy clear obvious strange odd ironic sad telling striking remarkable "
    "absurd worth wonder shame pity mistake disgrace impossible fair unfair right wrong "
    "tempting fitting curious galling rich laughable outrageous"
)
_SCARE_MAX_WORDS = 3


def _build_valence() -> dict[str, float]:
    lex = SentimentIntensityAnalyzer().lexicon
    # VADER's lexicon scores many news *topics* (war, killed, party, support, united); they
    # say what happened, not what the author thinks of it. Keep only words that read as
    # judgement; the n-gram features carry the topics anyway.
    topical = _words(
        "party parties war wars killed kill killing death deaths dead die died dies crisis "
        "united support supported supporting supports help helped helping helps free freedom "
        "care cares no yes like liked likes well kind top win won wins winning lost loss lose "
        "losses attack attacked attacks arrest arrested police prison charged charges court "
        "crime crimes victim victims violence fire fired fight fighting fought protest protests "
        "protesters threat threats threatened disease pandemic cancer emergency dispute hurt "
        "injured injury injuries shot shooting terror terrorism terrorist bomb bombing war-torn "
        "please thanks thank vote voted agree agreed agreement hope hopes hoped want wanted "
        "wants interest interests security safe safety benefit benefits approved approval "
        "accepted accept rejected reject ban banned legal justice share shares shared "
        "increase increased growth grow grew gain gains rich poor poverty tax debt fraud"
    )
    return {w: v for w, v in lex.items() if w.isalpha() and w not in topical}


VALENCE: dict[str, float] = _build_valence()


# --------------------------------------------------------------------------------------------
# Analysis and the cue vector
# --------------------------------------------------------------------------------------------

CUES: tuple[tuple[str, str], ...] = (
    # author's voice (computed on author text only)
    ("first_person_sg", "first person singular (I, my) outside quotes"),
    ("first_person_pl", "first person plural (we, our, us) outside quotes"),
    ("second_person", "addresses the reader (you, your) outside quotes"),
    ("valence_abs", "emotionally loaded words outside quotes (sentiment lexicon)"),
    ("valence_pos", "positive judgement words outside quotes"),
    ("valence_neg", "negative judgement words outside quotes"),
    ("valence_max", "strongest loaded word outside quotes"),
    ("intensifiers", "intensifiers (very, utterly, really) outside quotes"),
    ("evaluatives", "evaluative words (absurd, petty, wise) outside quotes"),
    ("hedges", "hedges (perhaps, might, seems) outside quotes"),
    ("boosters", "certainty markers (surely, clearly, certainly) outside quotes"),
    ("deontic", "should / must / ought outside quotes"),
    ("question", "question outside quotes (rhetorical question)"),
    ("exclamation", "exclamation mark outside quotes"),
    ("imperative", "sentence opens with a command (Consider, Let, Imagine)"),
    ("exhortation", "exhortation (let us, it is time, we must)"),
    ("irony", "irony markers (so-called, hardly, of course, so much for)"),
    ("scare_quotes", "scare quotes around a word or two, with no attribution"),
    ("judgement_degree", "comparatives / superlatives of judgement (best, worst, more ... than)"),
    ("it_is_eval", "authorial evaluation frame (it is hard to see, it is clear, no wonder)"),
    ("the_fact_is", "'the truth is', 'the problem is', 'no doubt'"),
    ("generalisers", "sweeping generalisations (all, every, nobody, always) outside quotes"),
    ("negation", "negation outside quotes"),
    ("argument_connectives", "argumentative connectives (but, yet, however, therefore)"),
    ("past_tense", "past-tense narration outside quotes (was, said, -ed)"),
    ("present_tense", "present-tense assertion outside quotes (is, are, has)"),
    ("future_conditional", "will / would / could outside quotes"),
    ("author_share", "share of the paragraph in the author's own voice"),
    ("author_length", "length of the author's own text (log words)"),
    # reporting side
    ("quote_share", "share of the paragraph inside quotation marks"),
    ("quote_count", "number of quotations"),
    ("starts_with_quote", "paragraph opens with a quotation"),
    ("unterminated_quote", "quotation runs on past the end of the paragraph"),
    ("attribution", "attribution verbs (said, told, according to)"),
    ("attribution_tag", 'attribution tag next to a quotation ("...," she said)'),
    ("reported_share", "share of the paragraph in reported speech (X said the ...)"),
    ("according_to", "'according to' / 'in a statement'"),
    ("numbers", "numbers and figures"),
    ("dates", "dates and times (yesterday, July, last week)"),
    ("titles", "titles and officials (Mr, Prime Minister, police)"),
    ("proper_nouns", "names (capitalised words mid-sentence)"),
    ("others_valence", "loaded words inside quotes / reported speech"),
)
CUE_NAMES: tuple[str, ...] = tuple(n for n, _ in CUES)
CUE_DESCRIPTIONS: dict[str, str] = dict(CUES)


class Analysis(NamedTuple):
    text: str
    quotes: list[tuple[int, int]]
    reported: list[tuple[int, int]]
    attributions: list[Attribution]
    author: str  # author's text with placeholders
    others: str  # quoted + reported text
    author_tokens: list[str]  # lower-cased words of ``author``, placeholders as _quote_ etc.
    tokens: list[str]  # lower-cased words and numbers of the whole text
    cues: tuple[float, ...]


# Per-word information, looked up once per author word: (lexicon-cue indices, valence).
_LEXICON_CUES: tuple[tuple[str, frozenset[str]], ...] = (
    ("first_person_sg", FIRST_PERSON_SINGULAR),
    ("first_person_pl", FIRST_PERSON_PLURAL),
    ("second_person", SECOND_PERSON),
    ("intensifiers", INTENSIFIERS),
    ("evaluatives", EVALUATIVES),
    ("hedges", HEDGES),
    ("boosters", BOOSTERS),
    ("deontic", DEONTIC),
    ("irony", IRONY),
    ("judgement_degree", JUDGEMENT_DEGREE),
    ("generalisers", GENERALISERS),
    ("negation", NEGATIONS),
    ("argument_connectives", CONNECTIVES_ARGUMENT),
    ("past_tense", PAST_TENSE),
    ("present_tense", PRESENT_TENSE),
    ("future_conditional", FUTURE_CONDITIONAL),
    ("dates", TIME_WORDS),
    ("titles", TITLE_WORDS),
)
_LX = {name: i for i, (name, _) in enumerate(_LEXICON_CUES)}
_N_LEX = len(_LEXICON_CUES)
_PAST_INDEX = _LX["past_tense"]


def _build_word_info() -> dict[str, tuple[tuple[int, ...], float]]:
    info: dict[str, tuple[tuple[int, ...], float]] = {}
    words = set(VALENCE)
    for _, lex in _LEXICON_CUES:
        words |= lex
    for w in words:
        cats = tuple(i for i, (_, lex) in enumerate(_LEXICON_CUES) if w in lex)
        info[w] = (cats, VALENCE.get(w, 0.0))
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
_CAPITALISED = {w: w[0].upper() + w[1:] for w in _IMPERATIVE_STARTS}
_CAPS_BYTES = bytes(0x41 if 0x41 <= c <= 0x5A else 0x20 if c == 0x20 else 0x78 for c in range(256))
_PHRASE_TRIGGERS = {
    "of_course": frozenset(["course"]),
    "exhortation": frozenset(["time", "let", "let's", "must", "should", "need", "ought", "have"]),
    "irony": frozenset(["much", "again", "if", "forbid"]),
    "the_fact": frozenset(["is", "doubt", "mistake", "lesson"]),
}
_EVAL_TRIGGERS = EVAL_FRAME_WORDS | {"wonder"}


# --------------------------------------------------------------------------------------------
# Fast paths
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
_CUE_TRIGGERS = frozenset(_PHRASE_INDEX) | _EVAL_TRIGGERS | _IMPERATIVE_STARTS | {"than"}
# any of these among the tokens and attributions() may find something
_ATTRIBUTION_TRIGGERS = _SPEECH_SET | _STATEMENT_TRIGGERS | {"according"}
_ALL_TRIGGERS = _ATTRIBUTION_TRIGGERS | _CUE_TRIGGERS


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
    for w in _IMPERATIVE_STARTS.intersection(hits):
        if _CAPITALISED[w] in author:
            break
    else:
        return 0
    first = _IMPERATIVE_OPENING_RE.match(author)
    if first and first.group(1).lower() in _IMPERATIVE_STARTS:
        return 1
    # (a match holds one mark, at its start: the regex tried at each mark finds them all)
    at_marks = map(_IMPERATIVE_AFTER_MARK_RE.match, repeat(author), _positions(author, ".!?:;"))
    matches = filter(None, at_marks)
    for m in matches:
        if m.group(1).lower() in _IMPERATIVE_STARTS:
            return 1
    return 0


_EVAL_FRAME_ANCHORS = _EVAL_FRAME_START | {"wonder"}


def _eval_frame(words: list[str]) -> int:
    """'it is hard to see', "that's telling", 'no wonder': the author passing judgement."""
    n = len(words)
    # only the positions of the words a frame can start from (found by a C-level pass)
    positions = compress(count(), map(_EVAL_FRAME_ANCHORS.__contains__, words))
    for i in positions:
        w = words[i]
        if w == "wonder" and i and words[i - 1] in ("no", "little", "small"):
            return 1
        if w not in _EVAL_FRAME_START:
            continue
        j = i + 1
        if w in ("it", "that", "this", "what") and j < n and words[j] in _EVAL_FRAME_COPULA:
            j += 1
        elif w in ("it", "that", "what"):
            continue
        while j < n and words[j] in _EVAL_FRAME_SKIP:
            j += 1
        if j < n and words[j] in EVAL_FRAME_WORDS:
            return 1
    return 0


_NO_REPORTING = (0.0,) * 8  # quote_share ... according_to for a text without quotes/attribution


class Attributed(str):
    """A text with the spans that an article-level analysis (:mod:`stance.attribution`) found
    to be someone else's words: :func:`analyse` masks them as reported speech, whatever their
    tone, on top of what it finds in the text itself. A ``str``, so it goes wherever a text
    goes (a pipeline's input list)."""

    __slots__ = ("spans",)

    def __new__(cls, text: str, spans=()):
        obj = super().__new__(cls, text)
        n = len(obj)
        obj.spans = [(max(0, s), min(n, e)) for s, e in spans if min(n, e) > max(0, s)]
        return obj


def analyse(text: str) -> Analysis:
    """Everything the classifier needs about one paragraph or sentence, computed in one pass.

    The common case (no quotation marks, no attribution) takes the short way: a handful of
    C-level scans and one dictionary lookup per word. An :class:`Attributed` text has its
    spans masked as reported speech too.
    """
    given = getattr(text, "spans", None)
    text = str(text or "")
    raw = text.encode("utf-8", "surrogatepass")
    scanned = _scan_bytes(raw)
    if scanned is None:
        low = _lower(text)
        all_words, numbers, may_quote = _TOKEN_SCAN(low), None, True
    else:
        low = None  # (lower-cased only if attributions() needs it)
        all_words, numbers, may_quote = scanned
    # Only the words that can switch a stage on (usually a handful): every set-membership
    # question below is about one of them, so this small set answers it like the full one.
    tokset = _ALL_TRIGGERS.intersection(all_words)
    quotes = _quote_spans(text) if may_quote else []
    if _ATTRIBUTION_TRIGGERS.isdisjoint(tokset):
        attrs = reported = []
    else:
        attrs = attributions(text, quotes, low=low or _lower(text), tokset=tokset)
        reported = reported_spans(text, quotes, attrs) if attrs else []
    if given:
        reported = _merge([*reported, *given])
    if quotes or reported:
        author, others = _mask(text, quotes, reported)
        # (an underscore in the text itself could spell a placeholder: the regex decides)
        scanned = (
            None
            if "_" in text
            else _scan_bytes(author.encode("utf-8", "surrogatepass"), author=True)
        )
        words = _ALPHA_WORD_SCAN(_lower(author)) if scanned is None else scanned[0]
        nw = len(words) - words.count(_QUOTE_LOW) - words.count(_REPORTED_LOW)
        # the stages below only run when one of their trigger words is in the author's text
        hits = _CUE_TRIGGERS.intersection(words)
    else:
        author = text
        others = ""
        words = all_words
        nw = len(words)
        hits = _CUE_TRIGGERS.intersection(tokset)
    norm = 1.0 / math.sqrt(nw + 1.0)

    # (counted in floats, exact for any count: float * float is the interpreter's fast case,
    # int * float goes through a failed int multiplication first)
    counts = [0.0] * _N_LEX
    v_abs = 0.0
    v_pos = v_neg = 0.0
    v_max = 0.0
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
    joined = f" {' '.join(words)} "
    past = counts[_PAST_INDEX] + joined.count("ed ")  # -ed words, near enough
    if hits:
        comparative = len(_COMPARATIVE_RE.findall(joined)) if "than" in hits else 0
        of_course, exhort, irony_ph, fact_is = _phrase_counts(joined, hits)
        eval_frame = 0 if _EVAL_TRIGGERS.isdisjoint(hits) else _eval_frame(words)
        imperative = 0 if _IMPERATIVE_STARTS.isdisjoint(hits) else _imperative(author, hits)
    else:
        comparative = of_course = exhort = irony_ph = fact_is = eval_frame = imperative = 0

    o_val = 0.0
    if others:
        # loaded words inside quotes / reported speech: whole text minus the author's part
        all_val = sum(map(abs, filter(None, map(VALENCE.get, all_words))))
        n_others = len(all_words) - nw
        if n_others > 0:
            o_val = max(0.0, all_val - v_abs) / math.sqrt(n_others + 1.0)

    if quotes or attrs or reported:
        n_chars = max(len(text.strip()), 1)
        scare = quote_tag = quoted_chars = reported_chars = starts_quoted = open_ended = 0
        according = 0
        if quotes:
            for qs, qe in quotes:
                quoted_chars += qe - qs
                if not attrs and 0 < len(text[qs + 1 : qe - 1].split()) <= _SCARE_MAX_WORDS:
                    scare += 1
            starts_quoted = quotes[0][0] <= 1
            open_ended = quotes[-1][1] == len(text) and text[-1] not in _CLOSING_MARKS
        for s0, e0 in reported:
            reported_chars += e0 - s0
        if attrs:
            for a in attrs:
                if a.verb == "according to" or a.verb.startswith("in a"):
                    according = 1
                for qs, qe in quotes:
                    if 0 <= a.start - qe <= 30 or 0 <= qs - a.end <= 6:
                        quote_tag += 1
                        break
        other_share = (quoted_chars + reported_chars) / n_chars
        author_share = 1.0 - other_share if other_share < 1.0 else 0.0
        reporting = (
            quoted_chars / n_chars if quoted_chars < n_chars else 1.0,
            float(len(quotes) if len(quotes) < 3 else 3),
            float(starts_quoted),
            float(open_ended),
            float(len(attrs) if len(attrs) < 3 else 3),
            float(quote_tag if quote_tag < 2 else 2),
            reported_chars / n_chars if reported_chars < n_chars else 1.0,
            float(according),
        )
    else:
        scare = 0
        author_share = 1.0
        reporting = _NO_REPORTING

    if numbers is None:
        # digits sort before letters: the smallest token tells whether there are any numbers
        numbers = (
            len(list(filter(_IS_NUMBER, all_words))) if all_words and min(all_words) < "a" else 0
        )
    root_all = 1.0 / math.sqrt(len(all_words) or 1)
    # (fast: " [A-Z]" counted on the UTF-8 bytes, where capitals become "A", spaces stay and
    # everything else, the bytes of non-ASCII characters too, becomes "x")
    caps = raw.translate(_CAPS_BYTES).count(b" A")

    (
        first_sg,
        first_pl,
        second,
        intensifiers,
        evaluatives,
        hedges,
        boosters,
        deontic,
        irony_words,
        judgement,
        generalisers,
        negation,
        connectives,
        _past_words,
        present,
        future,
        dates,
        titles,
    ) = counts
    irony = irony_words + of_course + irony_ph
    cues = (
        first_sg * norm,
        first_pl * norm,
        second * norm,
        v_abs * norm,
        v_pos * norm,
        v_neg * norm,
        v_max,
        intensifiers * norm,
        evaluatives * norm,
        hedges * norm,
        (boosters + of_course) * norm,
        deontic * norm,
        1.0 if "?" in author else 0.0,
        1.0 if "!" in author else 0.0,
        float(imperative),
        1.0 if exhort else 0.0,
        float(irony if irony < 2 else 2),
        float(scare if scare < 2 else 2),
        (judgement + comparative) * norm,
        float(eval_frame),
        1.0 if fact_is else 0.0,
        generalisers * norm,
        negation * norm,
        connectives * norm,
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
        Analysis, (text, quotes, reported, attrs, author, others, words, all_words, cues)
    )


def cue_vector(text: str) -> tuple[float, ...]:
    """The dense cue features of one paragraph, in :data:`CUE_NAMES` order."""
    return analyse(text).cues
