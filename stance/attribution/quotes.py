"""Quotations without a cue of their own (continued, signed, left open across paragraphs)
and paragraphs introduced by a colon or a statement heading."""

from __future__ import annotations

import bisect
import re

from stance import lexicons as lx
from stance.attribution.model import (
    QUOTE_MARKS,
    VERBAL_WORDS,
    Found,
    Paragraph,
    Span,
    Token,
    quote_kind,
    word_count,
)


def _near(found: list[Found], anchors: list[int], q: Span) -> list[Found]:
    """Attributions of a paragraph whose cue or content starts near quotation ``q`` (found
    are in text order: looking at a few neighbours keeps long paragraphs linear)."""
    i = bisect.bisect_left(anchors, q[0])
    return found[max(0, i - 3) : i + 3]


def _covered(span: Span, found: list[Found]) -> bool:
    s, e = span
    return any(cs <= s + 1 and e - 1 <= ce for f in found for cs, ce in f.content)


def _anchor(f: Found) -> int:
    if f.content:
        return f.content[0][0]
    return f.cue[0] if f.cue else 0


def continue_quotes(p: Paragraph, prev: Paragraph | None, current: str | None) -> None:
    p.found.sort(key=_anchor)
    anchors = [_anchor(f) for f in p.found]
    found = list(p.found)
    if p.claimed:
        return
    for q in p.quotes:
        near = _near(found, anchors, q)
        if _covered(q, near):
            continue
        signed = _signed_quote(p, q) or _tagged_quote(p, q)
        if signed is not None:
            p.found.append(signed)
            continue
        owner = _nearest_direct(near, q)
        if owner is not None and owner.kind == "direct":
            owner.content.append(q)
            continue
        if owner is not None:  # '"..." Mr Carter said he would not do it again.'
            p.found.append(
                Found("direct", [q], owner.source, owner.cue, owner.speaker, owner.source_text)
            )
            continue
        opens_paragraph = q[0] - p.start <= 1
        if opens_paragraph and prev is not None and prev.found:
            last = prev.found[-1]  # the speaker of the paragraph before goes on
            p.found.append(Found("direct", [q], last.source, None, last.speaker, last.source_text))
        elif word_count(p, q) >= 6 or (word_count(p, q) >= 3 and _ends_sentence(q, p)):
            p.found.append(Found("direct", [q], None, None))


_SIGNATURE_RE = re.compile(
    r"(?:[ \t]*[\u2015\u2014\u2013]|[ \t]+-)[ \t]*((?:[A-Z][\w.'\u2019-]*[ \t]?){1,5})"
)


def _signed_quote(p: Paragraph, q: Span) -> Found | None:
    """A quotation signed with a dash and a name: ``"..." \u2015 Jane Doe`` (vox pops)."""
    text = p.text
    m = _SIGNATURE_RE.match(text, q[1] - p.start)
    if m is None:
        return None
    s, e = m.start(1) + p.start, m.end(1) + p.start
    while e > s and not text[e - p.start - 1].isalnum():
        e -= 1
    return Found("direct", [q], (s, e), None, source_text=text[s - p.start : e - p.start])


_TAG_NP_MAX = 6
_TAG_PRONOUNS = frozenset(("he", "she", "it", "they", "i", "we"))
_TAG_VERBS = frozenset(("read", "reads", "wrote", "writes", "continued", "continues"))


def _tag_verb(t: Token) -> bool:
    """A verb in a quotation's tag slot: any past tense (``opined``, ``beamed``), ``read``."""
    return t.text.islower() and (
        t.low in _TAG_VERBS or t.low in lx.TAG_VERBS or (t.low.endswith("ed") and len(t.low) > 4)
    )


def _tagged_quote(p: Paragraph, q: Span) -> Found | None:
    """A quotation and a tag whose verb is no known cue, ending its sentence: ``"...,"
    opined the Plain Dealer.``, ``"...!" beamed Hartley.``, ``"...," it read.``: in that slot
    any verb tells who spoke."""
    toks = p.tokens
    j = bisect.bisect_left(p.starts, q[1])
    if j < len(toks) and toks[j].text == ",":
        j += 1
    k = j
    while k < len(toks) and toks[k].text not in ".,;:!?" and toks[k].text not in QUOTE_MARKS:
        k += 1
    if k == j or k - j > _TAG_NP_MAX + 1 or (k < len(toks) and toks[k].text not in ".,"):
        return None
    first, last = toks[j], toks[k - 1]
    if _tag_verb(first) and k - j > 1 and _names(toks[j + 1 : k]):
        source, cue = (toks[j + 1].start, last.end), (first.start, first.end)
    elif _tag_verb(last) and k - j > 1 and _names(toks[j : k - 1]):
        source, cue = (first.start, toks[k - 2].end), (last.start, last.end)
    else:
        return None
    return Found(
        "direct", [q], source, cue, source_text=p.text[source[0] - p.start : source[1] - p.start]
    )


def _names(np: list[Token]) -> bool:
    """A pronoun, or a noun phrase opening with a capital or a determiner: a tag's source
    (not a subject with its auxiliary: ``"..." The treasurer did not answer.``)."""
    head = np[0]
    if len(np) == 1 and head.low in _TAG_PRONOUNS:
        return True
    return (head.text[:1].isupper() or head.low in ("the", "a", "an")) and not any(
        t.text.islower() and (t.low.endswith(("ed", "n't")) or t.low in VERBAL_WORDS) for t in np
    )


def _ends_sentence(q: Span, p: Paragraph) -> bool:
    """A quotation that is a sentence of its own ends with its punctuation inside the marks."""
    i = bisect.bisect_left(p.starts, q[1]) - 1
    return i > 0 and p.tokens[i].text in QUOTE_MARKS and p.tokens[i - 1].text in ".!?,"


def _nearest_direct(near: list[Found], q: Span) -> Found | None:
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


def open_quotes_take_the_next_speaker(paragraphs: list[Paragraph]) -> None:
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


def introduced_by_colon(text: str, paragraphs: list[Paragraph], i: int) -> None:
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
            f.kind = quote_kind(nxt, f.content)
            nxt.found = [g for g in nxt.found if g.source is not None]
            nxt.claimed = True
