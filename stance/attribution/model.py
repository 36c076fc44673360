"""The records attribution works on: tokens, paragraphs, attributions being built, and the
public :class:`Attribution`; with the small span helpers every attribution module shares."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from stance import lexicons as lx
from stance.sentences import sentence_spans
from stance.spans import containing
from stance.text import quoted_spans

Span = tuple[int, int]


@dataclass(frozen=True)
class Attribution:
    """One act of attribution. Spans are (start, end) character offsets into the article."""

    kind: str  # "direct" | "reported" | "statement"
    content: tuple[Span, ...]
    source: tuple[Span, ...] = ()
    cue: tuple[Span, ...] = ()
    speaker: str | None = None  # the entity's name, or None when unknown
    nested: bool = False  # inside another attribution's content (:mod:`.nested`)

    def as_json(self) -> dict:
        return {
            "content": [list(s) for s in self.content],
            "source": [list(s) for s in self.source],
            "cue": [list(s) for s in self.cue],
            "kind": self.kind,
            "speaker": self.speaker,
        }


_TOKEN_RE = re.compile(
    r"(?:Mrs?|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Capt|Prof|Rev|St|Jr|Sr|Mt|Ft)\.(?=\s)"
    r"|[A-Z]\.(?:[A-Z]\.)+|[A-Z]\.(?=\s[A-Z])"
    r"|[\w-]+(?:\.[\w-]+)*\.(?=[,)])"  # "R-S.C.," "D-Calif.)" "Ala.," (no sentence end)
    r"|\w+s[\u2019'](?=\s+\w)"  # a plural possessive: "Officers' Training", "Gates' work"
    r"|\w+(?:[\u2019']\w+)*(?:[-.]\w+(?:[\u2019']\w+)*)*"  # apostrophes only inside a word
    r"|[^\w\s]"
)


QUOTE_MARKS = "\"\u201c\u201d\u201e\u00ab\u00bb'\u2018\u2019"


CLAUSE_BREAKS = frozenset(",;:()[]\u2014\u2013")


CLAUSE_WORDS = lx.words(
    "that and but or when as because if which while whereas although though after before given "
    "since so until unless where why how what whether"
)


NOT_SUBJECT_END = lx.words(
    "to of in on at for with by from about into as than the a an and or but that which "
    "this needless suffice fair safe let's so what how"
)


class Token(NamedTuple):
    start: int
    end: int
    text: str
    low: str


def tokenize(text: str, offset: int) -> list[Token]:
    return [
        Token(
            m.start() + offset,
            m.end() + offset,
            m.group(),
            m.group().lower().replace("\u2019", "'"),
        )
        for m in _TOKEN_RE.finditer(text)
    ]


@dataclass
class Paragraph:
    index: int
    start: int
    end: int
    tokens: list[Token]
    quotes: list[Span]
    sentences: list[Span]
    text: str = ""  # the paragraph's own text (offset by start)
    claimed: bool = False  # the content of a colon or statement heading before it
    found: list[Found] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)  # token starts, for bisect

    def __post_init__(self) -> None:
        self.starts = [t.start for t in self.tokens]


@dataclass
class Found:
    """An attribution being built: article offsets, speaker not yet resolved."""

    kind: str
    content: list[Span]
    source: Span | None
    cue: Span | None
    speaker: str | None = None
    source_text: str = ""
    head: Span | None = None  # the part of the source that names it (before an apposition)
    inner: list[Found] = field(default_factory=list)  # cues with a subject inside the content


def paragraph_spans(text: str) -> list[Span]:
    """(start, end) of each paragraph of ``text`` (blocks separated by blank lines)."""
    out, pos = [], 0
    for m in re.finditer(r"\n[ \t]*\n\s*", text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return [(s, e) for s, e in out if text[s:e].strip()]


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


def read_paragraph(text: str, index: int, start: int, end: int) -> Paragraph:
    body = _doubled_apostrophes_as_quotes(text[start:end])
    return Paragraph(
        index,
        start,
        end,
        tokenize(body, start),
        [(s + start, e + start) for s, e in quoted_spans(body)],
        [(s + start, e + start) for s, e in _join_split_tags(body, sentence_spans(body))],
        body,
    )


_QUESTION_QUOTE_END_RE = re.compile(r"[?!][\"\u201d'\u2019]+$")
_TAG_WORDS_MAX = 8  # "Sen. Jane Smith of the committee asked reporters rhetorically."


def _join_split_tags(body: str, spans: list[Span]) -> list[Span]:
    """A quotation ending in ``?`` or ``!`` and its tag are one sentence: ``"Why not?" she
    asked.`` (a sentence splitter ends the sentence at the mark)."""
    out: list[Span] = []
    for s, e in spans:
        question = out and _QUESTION_QUOTE_END_RE.search(body, out[-1][0], out[-1][1])
        if question and _is_tag(body[s:e]):
            out[-1] = (out[-1][0], e)
            continue
        out.append((s, e))
    return out


VERBAL_WORDS = lx.words(
    "not never did does do is was were are am be been being has have had would will could "
    "can may might must should shall"
)  # auxiliaries and negation: in a clause, never in a name
_NOT_IN_A_SPEAKER = (
    CLAUSE_WORDS | VERBAL_WORDS | lx.words("to who whom whose no nobody none neither nothing")
)  # "The treasurer did not answer.", "No one asked why.": a clause of its own
_CLAUSE_IN_A_TAIL = VERBAL_WORDS | frozenset(lx.SUBJECT_PRONOUNS) | {"that"}
# Conjunctions that open a clause of circumstance: after a tag ("Sessions said as he launched
# the process.", '"...," she said, as the crowd booed') it is the author's, not the speaker's.
CIRCUMSTANCE_OPENERS = lx.words(
    "as when whenever while after before because since though although until unless once whereas"
)


def _bare(word: str) -> str:
    return word.strip(".,;:!?\"\u201c\u201d'\u2018\u2019()").lower()


def _is_tag(sentence: str) -> bool:
    """Whether ``sentence``, after a quotation ending in ``?`` or ``!``, is its tag: it opens
    in lower case (``she asked.``, ``asked the mayor.``) or with a speaker and a tag verb
    that has no clause of its own (``Mr Lee asked reporters.``, ``The treasurer asked.``);
    not a sentence that only holds such a verb (``The treasurer did not answer.``, ``No one
    asked why.``, ``The treasurer replied that nobody knew.``)."""
    if sentence[:1].islower():
        return True
    words = sentence.split()
    for k, word in enumerate(words[:_TAG_WORDS_MAX]):
        low = _bare(word)
        if k and low in lx.TAG_VERBS and word.strip(".,;:!?").islower():
            return word[-1:] in ",;:" or not _clause_follows(words[k + 1 :])
        if low in _NOT_IN_A_SPEAKER or low.endswith("n't"):
            return False  # a verb or a clause before the tag verb: a sentence of its own
    return False


def _clause_follows(words: list[str]) -> bool:
    """Whether the verb before ``words`` has a clause of its own (``replied that ...``,
    ``said he would ...``) before a comma, a quotation or a clause of circumstance."""
    for word in words:
        low = _bare(word)
        if word[:1] in QUOTE_MARKS or low in CIRCUMSTANCE_OPENERS:
            return False
        if low in _CLAUSE_IN_A_TAIL or low.endswith("n't"):
            return True
        if word[-1:] in ",;:":
            return False
    return False


def trim(text: str, span: Span) -> Span:
    """Without surrounding spaces and the final punctuation outside a quotation."""
    s, e = span
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ".,;:"):
        e -= 1
    return s, e


def inside(pos: int, spans: Sequence[Span]) -> Span | None:
    """The span of sorted, non-overlapping ``spans`` that contains ``pos``."""
    i = containing(pos, spans)
    return spans[i] if i >= 0 else None


def quote_kind(p: Paragraph, content: list[Span]) -> str:
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


def within(inner: Found, outer: Found) -> bool:
    """Whether ``inner``'s source and content lie inside ``outer``'s content."""
    if inner.source is None or not inner.content or not outer.content:
        return False
    spans = [inner.source, *inner.content]
    return all(any(s <= a and b <= e for s, e in outer.content) for a, b in spans)


def word_count(p: Paragraph, span: Span) -> int:
    lo = bisect.bisect_left(p.starts, span[0])
    hi = bisect.bisect_left(p.starts, span[1])
    return sum(1 for t in p.tokens[lo:hi] if t.text[:1].isalnum())
