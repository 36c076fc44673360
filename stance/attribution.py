"""Who said what: every quote, reported claim, statement and stated belief of an article, with
its source, cue and content, resolved to a speaker (pure, no Django, no actor list).

:func:`attribute_text` reads an article (paragraphs separated by blank lines);
:func:`attribute` reads it as a list of paragraphs. Both return :class:`Attribution` records
with character spans into the article. The rules follow news writing, sentence by sentence:

* ``X said (that) CONTENT.`` / ``X told reporters (that) CONTENT.`` / ``X believes CONTENT.``:
  the source is the noun phrase before the cue (auxiliaries and adverbs skipped: ``has also
  said``), the content the rest of the sentence.
* ``CONTENT, X said.`` / ``CONTENT," said X.`` / ``"CONTENT," X said, "MORE."``: a tag after
  the content; both halves of a split quotation belong to it.
* ``According to X, CONTENT.`` / ``CONTENT, according to X.``
* ``X said:`` or ``X's statement:`` ending a paragraph introduces the next paragraph (a
  statement heading introduces everything after it: the document it heads).
* ``X's claim that CONTENT``: statement nouns with ``that``.
* A quotation with no cue of its own continues the attribution next to it in its paragraph,
  or, when it opens its paragraph, the speaker of the paragraph before. Anything else quoted
  at length is someone's words with no known speaker; short scare quotes are not.

The speaker is the :mod:`stance.entities` entity the source names; a pronoun (``he``)
resolves to the current speaker when compatible, else to the subject of the nearest sentence
that names a compatible entity; a description (``the Te Atatu MP``) to the one entity whose
role fits, and stays unresolved when two could. Cost is linear in the length of the text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from stance import lexicons as lx
from stance.entities import Cast, Entity, Mention, find_cast, join_paragraphs
from stance.sentences import sentence_spans
from stance.spans import containing
from stance.text import quoted_spans

__all__ = ["Attribution", "attribute", "attribute_text", "paragraph_spans"]

Span = tuple[int, int]


@dataclass(frozen=True)
class Attribution:
    """One act of attribution. Spans are (start, end) character offsets into the article."""

    kind: str  # "direct" | "reported" | "statement"
    content: tuple[Span, ...]
    source: tuple[Span, ...] = ()
    cue: tuple[Span, ...] = ()
    speaker: str | None = None  # the entity's name, or None when unknown

    def as_json(self) -> dict:
        return {
            "content": [list(s) for s in self.content],
            "source": [list(s) for s in self.source],
            "cue": [list(s) for s in self.cue],
            "kind": self.kind,
            "speaker": self.speaker,
        }


# ---------------------------------------------------------------------------------------------
# Tokens


_TOKEN_RE = re.compile(
    r"(?:Mrs?|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Capt|Prof|Rev|St|Jr|Sr|Mt|Ft)\.(?=\s)"
    r"|[A-Z]\.(?:[A-Z]\.)+|[A-Z]\.(?=\s[A-Z])"
    r"|[\w\u2019']+(?:[-.][\w\u2019']+)*|[^\w\s]"
)
_QUOTE_MARKS = "\"\u201c\u201d\u201e\u00ab\u00bb'\u2018\u2019"
_CLAUSE_BREAKS = frozenset(",;:()[]\u2014\u2013")
_CLAUSE_WORDS = lx.words(
    "that and but or when as because if which while whereas although though after before given "
    "since so until unless where why how what whether"
)
_NOT_SUBJECT_END = lx.words(
    "to of in on at for with by from about into as than the a an and or but that which "
    "this needless suffice fair safe let's so what how"
)


class _Tok(NamedTuple):
    start: int
    end: int
    text: str
    low: str


def _tokens(text: str, offset: int) -> list[_Tok]:
    return [
        _Tok(
            m.start() + offset,
            m.end() + offset,
            m.group(),
            m.group().lower().replace("\u2019", "'"),
        )
        for m in _TOKEN_RE.finditer(text)
    ]


@dataclass
class _Paragraph:
    index: int
    start: int
    end: int
    tokens: list[_Tok]
    quotes: list[Span]
    sentences: list[Span]
    text: str = ""  # the paragraph's own text (offset by start)
    claimed: bool = False  # the content of a colon or statement heading before it
    found: list[_Found] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)  # token starts, for bisect

    def __post_init__(self) -> None:
        self.starts = [t.start for t in self.tokens]


@dataclass
class _Found:
    """An attribution being built: article offsets, speaker not yet resolved."""

    kind: str
    content: list[Span]
    source: Span | None
    cue: Span | None
    speaker: str | None = None
    source_text: str = ""


def paragraph_spans(text: str) -> list[Span]:
    """(start, end) of each paragraph of ``text`` (blocks separated by blank lines)."""
    out, pos = [], 0
    for m in re.finditer(r"\n[ \t]*\n\s*", text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return [(s, e) for s, e in out if text[s:e].strip()]


# ---------------------------------------------------------------------------------------------
# Public entry points


def attribute_text(text: str, *, cast: Cast | None = None) -> list[Attribution]:
    """Attributions of an article given as one text; spans index ``text``."""
    spans = paragraph_spans(text)
    if cast is None:
        cast = find_cast([text])  # runs never cross blank lines: offsets are the text's
    return _attribute(text, spans, cast)


def attribute(paragraphs: Sequence[str], *, cast: Cast | None = None) -> list[Attribution]:
    """Attributions of an article given as paragraphs; spans index the paragraphs joined by a
    blank line (:func:`stance.entities.join_paragraphs`)."""
    text, starts = join_paragraphs(paragraphs)
    spans = [(s, s + len(p)) for s, p in zip(starts, paragraphs, strict=True) if p.strip()]
    if cast is None:
        cast = find_cast(paragraphs)
    return _attribute(text, spans, cast)


def _attribute(text: str, spans: list[Span], cast: Cast) -> list[Attribution]:
    paragraphs = [_read_paragraph(text, i, s, e) for i, (s, e) in enumerate(spans)]
    ctx = _Context(
        text,
        cast,
        [s for p in paragraphs for s, _ in p.sentences],
        [q for p in paragraphs for q in p.quotes],
    )
    current: str | None = None  # the speaker news writing is following
    for i, p in enumerate(paragraphs):
        _find_in_paragraph(text, p, paragraphs[i - 1] if i else None)
        if p.claimed:  # inside a document: only attributions naming a source of their own
            p.found = [f for f in p.found if f.source is not None]
        for f in p.found:
            if f.speaker is None:
                f.speaker = _resolve(ctx, f, current)
            if f.speaker is not None and f.source is not None:
                current = f.speaker
        _continue_quotes(p, paragraphs[i - 1] if i else None, current)
        _introduced_by_colon(text, paragraphs, i)
    _open_quotes_take_the_next_speaker(paragraphs)
    out = []
    for p in paragraphs:
        for f in p.found:
            out.append(
                Attribution(
                    kind=f.kind,
                    content=tuple(_trim(text, s) for s in f.content if _trim(text, s)[1] > s[0]),
                    source=(f.source,) if f.source else (),
                    cue=(f.cue,) if f.cue else (),
                    speaker=f.speaker,
                )
            )
    return [a for a in out if a.content]


_DOUBLED_APOSTROPHES_RE = re.compile(r"''")


def _doubled_apostrophes_as_quotes(body: str) -> str:
    """``''It is over,'' he said`` (a typesetting of some wires and archives): each pair as a
    double quotation mark and a space on its outer side, so that offsets stay the same."""
    if "''" not in body:
        return body

    def mark(m: re.Match) -> str:
        before = body[m.start() - 1] if m.start() else " "
        return ' "' if before.isspace() or before in "([" else '" '

    return _DOUBLED_APOSTROPHES_RE.sub(mark, body)


def _read_paragraph(text: str, index: int, start: int, end: int) -> _Paragraph:
    body = _doubled_apostrophes_as_quotes(text[start:end])
    return _Paragraph(
        index,
        start,
        end,
        _tokens(body, start),
        [(s + start, e + start) for s, e in quoted_spans(body)],
        [(s + start, e + start) for s, e in sentence_spans(body)],
        body,
    )


def _trim(text: str, span: Span) -> Span:
    """Without surrounding spaces and the final punctuation outside a quotation."""
    s, e = span
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ".,;:"):
        e -= 1
    return s, e


# ---------------------------------------------------------------------------------------------
# Cues and their clauses, sentence by sentence


def _inside(pos: int, spans: Sequence[Span]) -> Span | None:
    """The span of sorted, non-overlapping ``spans`` that contains ``pos``."""
    i = containing(pos, spans)
    return spans[i] if i >= 0 else None


def _find_in_paragraph(text: str, p: _Paragraph, prev: _Paragraph | None) -> None:
    toks = p.tokens
    speaker_line = _speaker_line(text, p) or _signed_heading(text, p)
    if speaker_line is not None:
        p.found.append(speaker_line)
        return
    si = 0
    sentences = p.sentences or [(p.start, p.end)]
    by_sentence: list[list[int]] = [[] for _ in sentences]
    for i, t in enumerate(toks):
        while si < len(sentences) - 1 and t.start >= sentences[si][1]:
            si += 1
        by_sentence[si].append(i)
    for (s_start, s_end), idx in zip(sentences, by_sentence, strict=True):
        if idx:
            _find_in_sentence(text, p, idx[0], idx[-1] + 1, s_start, s_end)


_SPEAKER_LINE_RE = re.compile(
    r"[\"\u201c]?((?:[A-Z][\w.'\u2019-]*[ \t]+){0,3}[A-Z][\w.'\u2019-]*)[ \t]*"
    r"(:|[\u2015\u2014][ \t]*(?=[\"\u201c\u201d]))[ \t]*(?=\S)"
)


def _speaker_line(text: str, p: _Paragraph) -> _Found | None:
    """A paragraph that opens with a name and a colon or dash: transcripts (``PENCE: Well,
    look...``), vox pops (``Jane Doe \u2015 "..."``) and headlines (``Key: Labour not happy``)."""
    m = _SPEAKER_LINE_RE.match(text, p.start, p.end)
    if m is None or m.end() >= p.end:
        return None
    name = m.group(1)
    if name.split()[0].lower() in lx.NOT_NAMES:
        return None
    return _Found(
        "direct" if text[m.end()] in _QUOTE_MARKS or name.isupper() else "reported",
        [(m.end(), p.end)],
        (m.start(1), m.end(1)),
        (m.start(2), m.end(2)),
        source_text=name,
    )


_SIGNED_HEADING_RE = re.compile(
    r"(?P<content>[^\n]{3,120}?)[ \t]+[-\u2013\u2014\u2015][ \t]+"
    r"(?P<name>(?:[A-Z][\w'\u2019-]*[ \t]?){1,3})[ \t]*$"
)


def _signed_heading(text: str, p: _Paragraph) -> _Found | None:
    """A subheading signed with a name: ``Carter's position untenable - Williams``."""
    if len(p.tokens) > 16 or p.tokens[-1].text in ".!?":
        return None
    m = _SIGNED_HEADING_RE.fullmatch(text, p.start, p.end)
    if m is None or m.group("name").split()[0].lower() in lx.NOT_NAMES:
        return None
    return _Found(
        _kind(p, [m.span("content")]),
        [m.span("content")],
        m.span("name"),
        None,
        source_text=m.group("name").strip(),
    )


def _find_in_sentence(text: str, p: _Paragraph, lo: int, hi: int, s_start: int, s_end: int) -> None:
    toks = p.tokens
    taken_until = lo
    headline = _is_headline(toks, lo, hi)
    for i in range(lo, hi):
        if i < taken_until:
            continue
        t = toks[i]
        if _inside(t.start, p.quotes):
            continue
        found = None
        if t.low == "according" and i + 1 < hi and toks[i + 1].low == "to":
            found = _according_to(text, p, lo, hi, i)
        elif (
            t.low in lx.CUE_VERBS
            and (t.text.islower() or headline)
            and not _is_passive(toks, lo, i)
        ):
            found = _verb_cue(text, p, lo, hi, i)
        elif t.low in lx.STATEMENT_NOUNS:
            found = _noun_cue(text, p, lo, hi, i)
        if found is not None:
            p.found.append(found)
            end = max(e for _, e in found.content) if found.content else t.end
            while taken_until < hi and toks[taken_until].start < end:
                taken_until += 1
            taken_until = max(taken_until, i + 1)


def _is_headline(toks: list[_Tok], lo: int, hi: int) -> bool:
    """Title Case (``Obama Says Museum Will Tell of Suffering``): cues are capitalised."""
    words = [t for t in toks[lo:hi] if t.text[:1].isalpha() and len(t.text) > 3]
    return len(words) >= 3 and sum(t.text[:1].isupper() for t in words) >= 0.8 * len(words)


_RAISING = lx.words("appeared appears seemed seems continued continues on tried tries wanted")


def _is_passive(toks: list[_Tok], lo: int, i: int) -> bool:
    """``was told``, ``is expected``, ``to say``: not an attribution by the subject."""
    if i == lo:
        return False
    prev = toks[i - 1].low
    if prev == "to" and i - 2 >= lo and toks[i - 2].low in _RAISING:
        return False  # "appeared to suggest", "went on to say", "continued to call for"
    if prev in ("to", "be", "been", "being"):
        return True
    participle = toks[i].low.endswith(("ed", "told", "said", "thought", "known", "held", "found"))
    return prev in ("is", "was", "are", "were", "it's") and participle


_LEADING_ADVERBS = lx.words(
    "today yesterday tonight however meanwhile earlier later also then now still and but so "
    "separately again instead"
)


def _subject_before(p: _Paragraph, lo: int, i: int) -> tuple[int, int] | None:
    """Token range [a, b) of the noun phrase before the cue at ``i`` (auxiliaries and adverbs
    between them skipped), or None."""
    toks = p.tokens
    b = i
    while b > lo:
        if toks[b - 1].low in lx.AUXILIARIES or toks[b - 1].low.endswith("ly"):
            b -= 1
        elif toks[b - 1].text == ")":  # "Mike Pence (R-IN) said"
            k = b - 1
            while k > lo and toks[k].text != "(" and b - k < 8:
                k -= 1
            if toks[k].text != "(":
                break
            b = k
        else:
            break
    if b == lo:
        return None
    a = b
    while a > lo and b - a < 12:
        prev = toks[a - 1]
        if prev.text in _CLAUSE_BREAKS or prev.text in _QUOTE_MARKS or prev.low in _CLAUSE_WORDS:
            break
        if prev.text in ".!?":
            break
        a -= 1
    while a < b - 1 and toks[a].low in _LEADING_ADVERBS:
        a += 1  # "Today the Te Atatu MP told": the source is "the Te Atatu MP"
    if a == b or toks[b - 1].low in _NOT_SUBJECT_END:
        return None
    return (a, b)


_DETERMINERS = lx.words(
    "the a an his her their its this that these those some many several one two three both "
    "other another most few all each every"
)
_NP_PREPOSITIONS = lx.words("of with in on at from about over between against among")
_EVIDENCE_HEADS = lx.words(
    "data figures numbers research evidence results video footage records documents emails "
    "photos polls polling analysis investigation review audit tests statistics transcript "
    "filings panel inquiry"
)


def _looks_like_source(p: _Paragraph, a: int, b: int, cue: str) -> bool:
    """Whether tokens [a, b) can be who speaks: a name, a pronoun, a role, an organisation,
    a document, or (for unambiguous cues) any short noun phrase."""
    toks = p.tokens
    head = toks[b - 1]
    for k in range(a + 1, b - 1):
        if toks[k].low in _NP_PREPOSITIONS:  # "the bitterness of the dispute with Carter"
            head = toks[k - 1]
            break
    if cue in lx.EVIDENCE_VERBS and cue not in lx.SPEECH_VERBS:
        return head.low in lx.STATEMENT_NOUNS or head.low in _EVIDENCE_HEADS
    strong = (
        head.low in lx.SUBJECT_PRONOUNS
        or head.low in lx.ROLE_NOUNS
        or head.low in lx.COLLECTIVE_SOURCES
        or head.low in lx.ORG_WORDS
        or (head.text[:1].isupper() and head.low not in lx.NOT_NAMES)
    )
    if strong or cue in lx.NOUN_LIKE_CUES:
        return strong
    if head.low in lx.STATEMENT_NOUNS:
        return True
    return b - a <= 6 and (
        toks[a].low in _DETERMINERS or toks[a].text[:1].isdigit() or head.low.endswith("s")
    )


def _verb_cue(text: str, p: _Paragraph, lo: int, hi: int, i: int) -> _Found | None:
    toks = p.tokens
    cue = toks[i]
    after = i + 1
    prev_text = toks[i - 1].text if i > lo else ""
    if prev_text == ",":
        # "Hall, who led the council for nine years, said ..."
        clause = _relative_clause_before(p, lo, i - 1)
        if clause is not None:
            return _verb_cue_with_subject(text, p, lo, hi, i, clause)
    # CONTENT," said X.  /  CONTENT, said X.
    if prev_text in (",", "\u201d", '"', "'", "\u2019") and cue.low in lx.TAG_VERBS:
        src = _noun_phrase_after(p, after, hi)
        if src is not None:
            content = _content_before(p, lo, i - 1)
            if content:
                return _Found(
                    _kind(p, content),
                    content + _quote_after(p, src[1], hi),
                    (toks[src[0]].start, toks[src[1] - 1].end),
                    (cue.start, cue.end),
                    source_text=text[toks[src[0]].start : toks[src[1] - 1].end],
                )
    if cue.low.endswith("ing") and prev_text.lower() not in _PROGRESSIVE and prev_text != ",":
        return None  # "bad planning", "more worrying": nouns and adjectives
    if cue.low in _PARTICIPLES_ONLY and prev_text.lower() not in ("has", "have", "had"):
        return None  # "his written testimony"
    subject = _subject_before(p, lo, i)
    finite = cue.low.endswith(("ed", "s")) or cue.low in _IRREGULAR_PAST
    if subject is None and (
        (cue.low.endswith("ing") and prev_text == ",")
        or (prev_text.lower() in ("and", "but") and finite)
    ):
        subject = _sentence_subject(p, lo, i)  # "Trump spoke ..., promising"; "X ... and hoped"
    if subject is not None and toks[subject[0]].low in ("who", "which"):
        # "Hall, who led the council for nine years, said": the name before the clause
        named = _apposition_start(p, lo, subject[0])
        subject = (named, subject[1]) if named < subject[0] else None
        if subject is not None:
            return _verb_cue_with_subject(text, p, lo, hi, i, subject)
    if subject is None or not _looks_like_source(p, *subject, cue.low):
        return None
    return _verb_cue_with_subject(text, p, lo, hi, i, subject)


def _verb_cue_with_subject(
    text: str, p: _Paragraph, lo: int, hi: int, i: int, subject: tuple[int, int]
) -> _Found | None:
    toks = p.tokens
    cue = toks[i]
    after = i + 1
    a, b = subject
    source = (toks[a].start, toks[b - 1].end)
    found = _Found(
        "reported", [], source, (cue.start, cue.end), source_text=text[source[0] : source[1]]
    )
    # CONTENT, X said.  /  "CONTENT," X said, "MORE."
    if (
        a > lo
        and toks[a - 1].text in (",", "\u201d", '"', "'", "\u2019")
        and cue.low in lx.TAG_VERBS
    ):
        rest = _skip_tag_tail(p, after, hi)
        name_start = _apposition_start(p, lo, a)
        if name_start < a:
            found.source = (toks[name_start].start, found.source[1])
            found.source_text = text[found.source[0] : found.source[1]]
        elif rest >= hi or (
            rest >= 0 and (toks[rest].text in ".!?," or toks[rest].text in _QUOTE_MARKS)
        ):
            content = _content_before(p, lo, a - 1)
            if content and _substantial(p, content):
                found.content = content + _quote_after(p, rest, hi) + _clause_after(p, rest, hi)
                found.kind = _kind(p, found.content)
                return found
    # X said (that) CONTENT.   X told Y (that) CONTENT.   X said: CONTENT
    start = _content_start(p, after, hi, cue.low)
    if start is None:
        return None
    if start >= hi:
        return found if _colon_follows(p, hi) else None
    found.content = [(toks[start].start, toks[hi - 1].end)]
    found.kind = _kind(p, found.content)
    weak = cue.low in lx.WEAK_CUE_VERBS and found.kind != "direct"
    if weak and not (after < hi and toks[after].low in ("that", ":")):
        return None
    return found


_PARTICIPLES_ONLY = lx.words("written spoken known shown")
_IRREGULAR_PAST = lx.words("said told wrote thought held felt knew spoke read put found")
_PROGRESSIVE = lx.words("is are was were be been 's 're also still now not")


def _sentence_subject(p: _Paragraph, lo: int, i: int) -> tuple[int, int] | None:
    """The name or pronoun opening the sentence: the subject a participle clause shares."""
    toks = p.tokens
    k = lo
    while k < i and toks[k].text in _QUOTE_MARKS:
        k += 1
    if k < i and toks[k].low in lx.SUBJECT_PRONOUNS:
        return (k, k + 1)
    a = k
    while k < i and (toks[k].text[:1].isupper() or toks[k].low in ("'s",)) and k - a < 6:
        k += 1
    return (a, k) if k > a else None


def _colon_follows(p: _Paragraph, hi: int) -> bool:
    toks = p.tokens
    return hi > 0 and toks[hi - 1].text == ":"


_TAG_TAIL_MAX = 8  # "said in an interview on Monday night": no clause of its own


def _skip_tag_tail(p: _Paragraph, j: int, hi: int) -> int:
    """Past what may follow a tag (``he said on Monday``, ``Mr Little said last night``);
    ``hi`` when a clause follows instead (then it is not a tag)."""
    toks = p.tokens
    start = j
    while j < hi and toks[j].text not in (",", ".", "!", "?", ";", ":"):
        if toks[j].text in _QUOTE_MARKS:
            break
        if (
            j - start >= _TAG_TAIL_MAX
            or toks[j].low in lx.SUBJECT_PRONOUNS
            or toks[j].low in _FINITE_VERBS
            or toks[j].low == "that"
        ):
            return -1  # a clause follows the verb: "states Carter had discussions"
        j += 1
    return j


def _relative_clause_before(p: _Paragraph, lo: int, comma: int) -> tuple[int, int] | None:
    """``NAME, who ...,`` or ``NAME, the ...,`` ending at ``comma``: (name start, comma)."""
    toks = p.tokens
    k = comma - 1
    while k > lo and toks[k].text != "," and comma - k < 16:
        if toks[k].text in _QUOTE_MARKS:
            return None
        k -= 1
    if k <= lo or toks[k].text != "," or toks[k + 1].low not in ("who", "the", "a", "an", "whose"):
        return None
    start = _apposition_start(p, lo, k + 1)
    return (start, comma) if start <= k else None


def _apposition_start(p: _Paragraph, lo: int, a: int) -> int:
    """``Richard Revesz, director of the institute, said``: where the name before the
    apposition starts (``a`` itself when there is none)."""
    toks = p.tokens
    if a - 2 < lo or toks[a - 1].text != ",":
        return a
    k = a - 2
    while (
        k > lo
        and toks[k - 1].text[:1].isupper()
        and toks[k - 1].low not in lx.NOT_NAMES
        and a - k < 7
    ):
        k -= 1
    opens = k == lo or toks[k - 1].text in (",", "(") or toks[k - 1].low in ("but", "and")
    if opens and toks[k].text[:1].isupper() and toks[a - 2].text[:1].isupper():
        return k
    return a


_ADVERBIAL_OPENERS = lx.words(
    "on in at during last this yesterday today earlier later recently after before "
    "monday tuesday wednesday thursday friday saturday sunday publicly privately repeatedly "
    "again also"
)


_NO_CLAUSE_AFTER = lx.words(
    "to for of about with during after before since over through under within"
)


def _base(cue: str) -> str:
    return lx.BASE_FORM.get(cue, cue)


def _content_start(p: _Paragraph, j: int, hi: int, cue: str) -> int | None:
    """First token of the content after a cue, or ``hi`` when the sentence ends (colon)."""
    toks = p.tokens
    if j < hi and toks[j].text == ":":
        return j + 1 if j + 1 < hi else hi
    if j < hi and toks[j].low in lx.ADDRESSEE_VERBS and cue in lx.SPEECH_VERBS:
        cue, j = toks[j].low, j + 1  # "Mr Carter said told Radio New Zealand he ...": a slip
    if cue in lx.ADDRESSEE_VERBS:
        k = j
        while k < min(hi, j + 14) and toks[k].text not in _QUOTE_MARKS:
            if toks[k].low == "that":
                return k + 1 if k + 1 < hi else None
            if toks[k].text in (":",):
                return k + 1 if k + 1 < hi else hi
            k += 1
        j = _skip_object(p, j, hi)
        if j < hi and toks[j].low in ("said", "says", "that"):
            j += 1  # "told Radio New Zealand said the party ...": a slip of the pen
    # adverbials before the clause: "said on Monday that", "said in a statement that"
    if j < hi and toks[j].low in _ADVERBIAL_OPENERS:
        k, stop = j, min(hi, j + 10)
        while k < stop and toks[k].text not in (",", ".", ":") and toks[k].text not in _QUOTE_MARKS:
            if toks[k].low == "that":
                return k + 1 if k + 1 < hi else None
            k += 1
    if j < hi and toks[j].text in (",",):
        j += 1
    if j < hi and toks[j].low == "that":
        j += 1
    if j >= hi or toks[j].text in (".", "!", "?"):
        return hi if j < hi and toks[hi - 1].text == ":" else None
    particle = lx.PHRASAL_CUES.get(_base(cue))
    if particle and toks[j].low in particle:
        return j + 1 if j + 1 < hi else None  # "called for a ban", "spoke about the war"
    if toks[j].low == "to" and cue in lx.INTENTION_VERBS:
        return j  # "she wants to triple the program": a stated intention
    if _base(cue) in lx.PHRASAL_ONLY:
        return None  # "pushed the car", "pointed the way": not speech without the particle
    if (
        toks[j].low in _NO_CLAUSE_AFTER | {"by", "from", "in", "on", "at"}
        and cue in lx.SPEECH_VERBS
        and cue not in ("tell", "told")
    ):
        # "said in a statement" (no clause): the content is whatever follows a comma
        return None if toks[j].low in _NO_CLAUSE_AFTER else j
    return j


def _skip_object(p: _Paragraph, j: int, hi: int) -> int:
    """Past the addressee of ``told``: ``reporters``, ``the Herald``, ``Radio New Zealand``,
    ``National Radio's Kathryn Ryan on Nine to Noon this morning``."""
    toks = p.tokens
    k = j
    if k < hi and toks[k].low in ("the", "a", "an", "his", "her", "their", "its"):
        k += 1
    while (
        k < hi
        and (toks[k].text[:1].isupper() or toks[k].low in ("'s", "s"))
        and toks[k].low not in lx.SUBJECT_PRONOUNS
    ):
        k += 1
    if k == j and k < hi:
        k += 1  # "told reporters"
    # a time phrase after the object
    while k < hi and toks[k].low in (
        "on",
        "this",
        "last",
        "yesterday",
        "today",
        "morning",
        "night",
        "week",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "to",
        "noon",
        "nine",
    ):
        k += 1
    return k


def _content_before(p: _Paragraph, lo: int, comma: int) -> list[Span]:
    """Content of a tag: the quotation that ends just before it, else the clause from the
    sentence start."""
    toks = p.tokens
    if comma < lo:
        return []
    end_tok = toks[comma]
    q = _inside(end_tok.start, p.quotes) or _inside(max(end_tok.start - 1, 0), p.quotes)
    if q is not None:
        return [q]
    first = toks[lo]
    if first.start >= end_tok.start:
        return []
    return [(first.start, end_tok.start)]


def _substantial(p: _Paragraph, content: list[Span]) -> bool:
    """A tag's content is a quotation or a clause, not ``Last night,``."""
    return _kind(p, content) == "direct" or _word_count(p, content[0]) >= 4


def _clause_after(p: _Paragraph, j: int, hi: int) -> list[Span]:
    """``CONTENT, he said, MORE.``: a tag in mid-sentence governs the rest too."""
    toks = p.tokens
    if 0 <= j < hi - 1 and toks[j].text == "," and toks[j + 1].text not in _QUOTE_MARKS:
        return [(toks[j + 1].start, toks[hi - 1].end)]
    return []


def _quote_after(p: _Paragraph, j: int, hi: int) -> list[Span]:
    """The second half of a split quotation: ``"...," he said, "MORE."``"""
    toks = p.tokens
    while j < hi and toks[j].text in (",",):
        j += 1
    if j < hi:
        q = _inside(toks[j].start, p.quotes)
        if q is not None:
            return [q]
    return []


_FINITE_VERBS = lx.words(
    "would will was is had has have were are could should can may might must did does do "
    "'s 're 'd 'll"
)


def _noun_phrase_after(p: _Paragraph, j: int, hi: int) -> tuple[int, int] | None:
    """``said Mr Goff``, ``said the party's president``: the phrase up to punctuation."""
    toks = p.tokens
    k = j
    while (
        k < hi
        and toks[k].text not in (",", ".", "!", "?", ";", ":")
        and toks[k].text not in _QUOTE_MARKS
        and k - j < 10
    ):
        k += 1
    if k == j or any(t.low in _FINITE_VERBS for t in toks[j:k]):
        return None  # "said he would take the fight on": a clause, not who said it
    if toks[j].low in lx.SUBJECT_PRONOUNS and k - j > 1:
        return None
    return (j, k)


def _according_to(text: str, p: _Paragraph, lo: int, hi: int, i: int) -> _Found | None:
    toks = p.tokens
    src = _noun_phrase_after(p, i + 2, hi)
    if src is None:
        return None
    source = (toks[src[0]].start, toks[src[1] - 1].end)
    cue = (toks[i].start, toks[i + 1].end)
    if i == lo or (i == lo + 1 and toks[lo].text in _QUOTE_MARKS):
        # According to X, CONTENT.
        j = src[1]
        if j < hi and toks[j].text == ",":
            j += 1
        if j >= hi:
            return None
        content = [(toks[j].start, toks[hi - 1].end)]
    else:
        end = toks[i - 1].end if toks[i - 1].text != "," else toks[i - 2].end
        content = [(toks[lo].start, end)]
    found = _Found("reported", content, source, cue, source_text=text[source[0] : source[1]])
    found.kind = _kind(p, content)
    return found


def _noun_cue(text: str, p: _Paragraph, lo: int, hi: int, i: int) -> _Found | None:
    """``Trump's claim that ...``, ``a statement from the council that ...``, and a
    statement heading: ``Labour Party statement:`` ending its paragraph."""
    toks = p.tokens
    cue = toks[i]
    colon = toks[i + 1] if i + 1 < hi else None
    if colon is not None and colon.text == ":" and text[colon.end : colon.end + 1] in ("\n", ""):
        a = i
        while a > lo and _name_token(toks[a - 1]):
            a -= 1
        source = (toks[a].start, toks[i - 1].end) if a < i else None
        rest = [(colon.end, p.end)] if colon.end < p.end else []
        return _Found(
            "statement",
            rest,
            source,
            (cue.start, cue.end),
            source_text=text[source[0] : source[1]] if source else "",
        )
    if i + 1 < hi and toks[i + 1].low == "that" and i + 2 < hi:
        a = i
        while (
            a > lo
            and toks[a - 1].text not in _CLAUSE_BREAKS
            and toks[a - 1].low not in ("the", "a", "an")
            and i - a < 6
        ):
            a -= 1
        source = None
        if (
            a < i
            and toks[i - 1].low in ("'s", "s'")
            or (a < i - 1 and toks[i - 2].low.endswith("'s"))
        ):
            source = (toks[a].start, toks[i - 1].end)
        return _Found(
            "reported",
            [(toks[i + 2].start, toks[hi - 1].end)],
            source,
            (cue.start, cue.end),
            source_text=text[source[0] : source[1]] if source else "",
        )
    return None


def _name_token(t: _Tok) -> bool:
    return t.text[:1].isupper() or t.low in ("'s",)


def _kind(p: _Paragraph, content: list[Span]) -> str:
    """``direct`` when the content is mostly quotation, else ``reported``."""
    total = sum(e - s for s, e in content) or 1
    quoted = 0
    for s, e in content:
        i = max(0, bisect.bisect_right(p.quotes, (s, s)) - 1)
        while i < len(p.quotes) and p.quotes[i][0] < e:
            qs, qe = p.quotes[i]
            quoted += max(0, min(e, qe) - max(s, qs))
            i += 1
    return "direct" if quoted * 2 >= total else "reported"


# ---------------------------------------------------------------------------------------------
# Quotations without a cue of their own; paragraphs introduced by a colon


def _near(found: list[_Found], anchors: list[int], q: Span) -> list[_Found]:
    """Attributions of a paragraph whose cue or content starts near quotation ``q`` (found
    are in text order: looking at a few neighbours keeps long paragraphs linear)."""
    i = bisect.bisect_left(anchors, q[0])
    return found[max(0, i - 3) : i + 3]


def _covered(span: Span, found: list[_Found]) -> bool:
    s, e = span
    return any(cs <= s + 1 and e - 1 <= ce for f in found for cs, ce in f.content)


def _anchor(f: _Found) -> int:
    if f.content:
        return f.content[0][0]
    return f.cue[0] if f.cue else 0


def _continue_quotes(p: _Paragraph, prev: _Paragraph | None, current: str | None) -> None:
    p.found.sort(key=_anchor)
    anchors = [_anchor(f) for f in p.found]
    found = list(p.found)
    if p.claimed:
        return
    for q in p.quotes:
        near = _near(found, anchors, q)
        if _covered(q, near):
            continue
        signed = _signed_quote(p, q)
        if signed is not None:
            p.found.append(signed)
            continue
        owner = _nearest_direct(near, q)
        if owner is not None and owner.kind == "direct":
            owner.content.append(q)
            continue
        if owner is not None:  # '"..." Mr Carter said he would not do it again.'
            p.found.append(
                _Found("direct", [q], owner.source, owner.cue, owner.speaker, owner.source_text)
            )
            continue
        opens_paragraph = q[0] - p.start <= 1
        if opens_paragraph and prev is not None and prev.found:
            last = prev.found[-1]  # the speaker of the paragraph before goes on
            p.found.append(_Found("direct", [q], last.source, None, last.speaker, last.source_text))
        elif _word_count(p, q) >= 6 or (_word_count(p, q) >= 3 and _ends_sentence(q, p)):
            p.found.append(_Found("direct", [q], None, None))


_SIGNATURE_RE = re.compile(
    r"(?:[ \t]*[\u2015\u2014\u2013]|[ \t]+-)[ \t]*((?:[A-Z][\w.'\u2019-]*[ \t]?){1,5})"
)


def _signed_quote(p: _Paragraph, q: Span) -> _Found | None:
    """A quotation signed with a dash and a name: ``"..." \u2015 Jane Doe`` (vox pops)."""
    text = p.text
    m = _SIGNATURE_RE.match(text, q[1] - p.start)
    if m is None:
        return None
    s, e = m.start(1) + p.start, m.end(1) + p.start
    while e > s and not text[e - p.start - 1].isalnum():
        e -= 1
    return _Found("direct", [q], (s, e), None, source_text=text[s - p.start : e - p.start])


def _ends_sentence(q: Span, p: _Paragraph) -> bool:
    """A quotation that is a sentence of its own ends with its punctuation inside the marks."""
    i = bisect.bisect_left(p.starts, q[1]) - 1
    return i > 0 and p.tokens[i].text in _QUOTE_MARKS and p.tokens[i - 1].text in ".!?,"


def _nearest_direct(near: list[_Found], q: Span) -> _Found | None:
    """The attribution of this paragraph whose content is next to quotation ``q``: the same
    speaker goes on (``"..." he said. "MORE"``)."""
    best, gap = None, None
    for f in near:
        if f.source is None or not f.content:
            continue
        d = min(abs(q[0] - f.content[-1][1]), abs(f.content[0][0] - q[1]))
        if gap is None or d < gap:
            best, gap = f, d
    return best


def _word_count(p: _Paragraph, span: Span) -> int:
    lo = bisect.bisect_left(p.starts, span[0])
    hi = bisect.bisect_left(p.starts, span[1])
    return sum(1 for t in p.tokens[lo:hi] if t.text[:1].isalnum())


def _open_quotes_take_the_next_speaker(paragraphs: list[_Paragraph]) -> None:
    """A quotation left open at a paragraph's end, with no speaker, goes on in the next
    paragraph: whoever speaks there spoke here (the tag usually comes at the end)."""
    for i in range(len(paragraphs) - 2, -1, -1):
        p, nxt = paragraphs[i], paragraphs[i + 1]
        if not p.found or not nxt.found or not p.quotes or p.quotes[-1][1] < p.end:
            continue
        last = p.found[-1]
        if last.source is None and last.speaker is None and last.content[-1] == p.quotes[-1]:
            opener = next(
                (f for f in nxt.found if f.content and f.content[0][0] <= nxt.start + 1), None
            )
            if opener is not None and opener.speaker is not None:
                last.speaker = opener.speaker
                last.source, last.source_text = opener.source, opener.source_text


def _introduced_by_colon(text: str, paragraphs: list[_Paragraph], i: int) -> None:
    """``X said:`` or ``Statement:`` at a paragraph's end: the next paragraph is its content;
    a statement heading takes every paragraph after it."""
    p = paragraphs[i]
    for f in p.found:
        if i + 1 >= len(paragraphs) or (f.content and f.kind != "statement"):
            continue
        nxt = paragraphs[i + 1]
        if f.kind == "statement":
            f.content += [(q.start, q.end) for q in paragraphs[i + 1 :]]
            for q in paragraphs[i + 1 :]:
                q.found = [g for g in q.found if g.source is not None]
                q.claimed = True
        elif not f.content:
            f.content = [(nxt.start, nxt.end)]
            f.kind = _kind(nxt, f.content)
            nxt.found = [g for g in nxt.found if g.source is not None]
            nxt.claimed = True


# ---------------------------------------------------------------------------------------------
# Speakers


@dataclass
class _Context:
    """What speaker resolution needs to know of the whole article."""

    text: str
    cast: Cast
    sentence_starts: list[int]
    quotes: list[Span]
    resolved: list[Mention] = field(default_factory=list)  # pronoun sources, in text order


def _resolve(ctx: _Context, f: _Found, current: str | None) -> str | None:
    if f.source is None:
        return None
    s, e = f.source
    named = ctx.cast.mentions_within(s, e)
    if named:
        return named[-1].entity
    words = [w.lower() for w in re.findall(r"[\w']+", f.source_text)]
    if not words:
        return None
    head = words[-1]
    wanted = lx.SUBJECT_PRONOUNS.get(head) if len(words) == 1 else None
    if wanted in ("he", "she", "it", "they"):
        speaker = _resolve_pronoun(ctx, s, current, wanted)
        if speaker is not None:  # "He said ... He had rejected": chains of pronouns
            ctx.resolved.append(Mention(s, e, speaker, f"pronoun {wanted}"))
        return speaker
    if wanted in ("who", "which"):
        return _antecedent(ctx, s)  # "the police department, which reported"
    if wanted is not None:
        return None  # "I", "we", "you": the writer, a group, or unknown
    if head in lx.ROLE_NOUNS or head in lx.ORG_WORDS or len(words) <= 5:
        entity = ctx.cast.by_description(words)
        if entity is not None:
            return entity.name
    if head in lx.ROLE_NOUNS or head in lx.ORG_WORDS:
        # "John Key could not resist. The Prime Minister told reporters ...": the nearest
        # entity of the right kind that no other role is known for
        kind = "organisation" if head in lx.ORG_WORDS else "person"
        nearest = _resolve_pronoun(ctx, s, None, "", lambda e: e.kind == kind and not e.role)
        if nearest is not None:
            return nearest
    return _name_as_written(f.source_text)


def _name_as_written(source: str) -> str | None:
    """A source that is a name the cast does not know (``HOST:``, a one-off ``Jane Doe``)
    is its own speaker; a description (``the mayor``) is nobody in particular."""
    tokens = source.split()
    if 0 < len(tokens) <= 4 and all(t[:1].isupper() for t in tokens):
        first = tokens[0].lower().rstrip(".")
        if first not in lx.NOT_NAMES and not (len(tokens) == 1 and first in lx.COLLECTIVE_SOURCES):
            return source.strip()
    return None


def _antecedent(ctx: _Context, pos: int) -> str | None:
    """The name a relative pronoun follows: ``Sen. Warren, who said`` -> Warren."""
    before = ctx.cast.mentions_before(pos)
    if before and re.fullmatch(r"[\s,]*", ctx.text[before[-1].end : pos]):
        return before[-1].entity
    return None


def _compatible(pronoun: str, entity_pronoun: str, kind: str) -> bool:
    if pronoun in ("it", "they"):
        return kind == "organisation" or entity_pronoun == pronoun
    return kind == "person" and entity_pronoun in (pronoun, "")


_LOOK_BACK_SENTENCES = 4


def _resolve_pronoun(
    ctx: _Context,
    pos: int,
    current: str | None,
    pronoun: str,
    accept: Callable[[Entity], bool] | None = None,
) -> str | None:
    """The subject (first compatible mention outside quotations) of the nearest earlier
    sentence that names a compatible entity; None when two are named side by side there
    (``Goff and Carter met. He said``); the current speaker when nobody is named nearby.
    ``accept`` replaces the pronoun's test (descriptions: "the mayor")."""
    if accept is None:
        accept = lambda e: _compatible(pronoun, e.pronoun, e.kind)  # noqa: E731
    si = bisect.bisect_right(ctx.sentence_starts, pos) - 1
    for k in range(si - 1, max(-1, si - 1 - _LOOK_BACK_SENTENCES), -1):
        end = ctx.sentence_starts[k + 1] if k + 1 < len(ctx.sentence_starts) else pos
        lo, hi = ctx.sentence_starts[k], min(end, pos)
        named = ctx.cast.mentions_within(lo, hi) + [
            m for m in ctx.resolved[-8:] if lo <= m.start < hi
        ]
        fits = sorted(
            (
                m
                for m in named
                if _inside(m.start, ctx.quotes) is None
                and (e := ctx.cast.get(m.entity)) is not None
                and accept(e)
                and (m.via in _NAMED_VIA or m.via == f"pronoun {pronoun}")
            ),
            key=lambda m: m.start,
        )
        if not fits:
            continue
        first = fits[0]
        rivals = [m for m in fits[1:] if m.entity != first.entity]
        if rivals and re.fullmatch(r"\s*(?:and|or|,)\s*", ctx.text[first.end : rivals[0].start]):
            return None
        return first.entity
    cur = ctx.cast.get(current)
    if cur is not None and _compatible(pronoun, cur.pronoun, cur.kind):
        return current
    return None


_NAMED_VIA = ("name", "surname", "title", "first name", "alias")
