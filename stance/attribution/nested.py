"""Attributions inside someone else's content, each nested in the outer content:

* quotations inside quotations: ``"He told me, 'I will not resign,'" she said.`` The inner
  words have the source the quotation names (``He``) or none when it names nobody; ``I``
  inside a quotation is its speaker. The same sentence rules read the quotation's inside as
  a paragraph of its own.
* reports headed by a noun outside quotation marks (:mod:`.reports`): ``Goff has rejected
  Carter's criticism and his claims the party was petty``: the party being petty is Carter's
  claim, which Goff's reported speech carries. The possessor is the speaker: a name as the
  article names it, ``his``/``her``/``its``/``their`` the nearest compatible entity named
  before it in the outer content. A report that is the outer speaker's own (``Goff repeated
  his claim that ...``, or a pronoun with nobody else named before it) adds nothing."""

from __future__ import annotations

import bisect

from stance import lexicons as lx
from stance.attribution.cues import find_in_paragraph
from stance.attribution.model import (
    QUOTE_MARKS,
    Found,
    Paragraph,
    Span,
    inside,
    read_paragraph,
)
from stance.attribution.quotes import continue_quotes
from stance.attribution.reports import REPORT_NOUNS, noun_report
from stance.attribution.speakers import SpeakerContext, compatible, resolve, source_words

_SPEAKER_ITSELF = ("i", "me")


def nested_attributions(
    text: str, paragraphs: list[Paragraph], ctx: SpeakerContext
) -> dict[int, list[Found]]:
    """For each attribution of ``paragraphs`` (by ``id``) whose direct content holds a
    quotation, the attributions found inside that quotation, speakers resolved."""
    out: dict[int, list[Found]] = {}
    seen: set[Span] = set()  # a quotation in two attributions' content is read once
    for p in paragraphs:
        cues = {f.cue for f in p.found}
        for f in p.found:
            inner = _noun_reports(text, p, f, ctx, cues)
            clauses = [g for g in f.inner if g.cue not in cues]  # "X said Y believes Z"
            for g in clauses:
                g.speaker = resolve(ctx, g, None)
            inner = sorted(inner + clauses, key=lambda g: g.content[0][0])
            if f.kind == "direct":
                quotes = [q for q in _quotes_of(p, f) if q not in seen]
                seen.update(quotes)
                quoted = [g for q in quotes for g in _inside_quotation(text, p, q)]
                for g in quoted:
                    g.speaker = _inner_speaker(ctx, g, f.speaker)
                inner = sorted(inner + quoted, key=lambda g: g.content[0][0] if g.content else 0)
            if inner:
                out[id(f)] = inner
    return out


def _noun_reports(
    text: str, p: Paragraph, f: Found, ctx: SpeakerContext, cues: set[Span | None]
) -> list[Found]:
    """Reports headed by a noun with a possessor in ``f``'s content, outside quotation marks
    (each cue once: ``cues`` holds those already found), speakers resolved."""
    out: list[Found] = []
    for s, e in f.content:
        lo, hi = bisect.bisect_left(p.starts, s), bisect.bisect_left(p.starts, e)
        k = lo
        while k < hi:
            t = p.tokens[k]
            if t.low not in REPORT_NOUNS or inside(t.start, p.quotes) is not None:
                k += 1
                continue
            end = min(hi, bisect.bisect_left(p.starts, _sentence_end(p, t.start)))
            g = noun_report(text, p, lo, end, k, owned=True)
            if g is None or g.cue in cues:
                k += 1
                continue
            g.speaker = _possessor_speaker(ctx, g, s)
            unknown_pronoun = g.speaker is None and _pronoun(ctx, g)  # nobody named before it
            own = g.speaker is not None and g.speaker == f.speaker  # "Goff repeated his claim"
            if not (unknown_pronoun or own):
                out.append(g)
                cues.add(g.cue)
            k = bisect.bisect_left(p.starts, g.content[0][1])  # one level of nesting
    return out


def _sentence_end(p: Paragraph, pos: int) -> int:
    i = bisect.bisect_right(p.sentences, (pos, p.end + 1)) - 1
    return p.sentences[i][1] if i >= 0 and pos < p.sentences[i][1] else p.end


def _pronoun(ctx: SpeakerContext, g: Found) -> bool:
    words = source_words(ctx.text[g.source[0] : g.source[1]]) if g.source else []
    return len(words) == 1 and words[0] in lx.POSSESSIVE_PRONOUNS


def _possessor_speaker(ctx: SpeakerContext, g: Found, content_start: int) -> str | None:
    """The entity a report's possessor names: ``his`` the nearest compatible entity named
    before it in the outer content (None when there is none), a name as :func:`resolve`
    finds it."""
    if not _pronoun(ctx, g):
        return resolve(ctx, g, None)
    pronoun = lx.POSSESSIVE_PRONOUNS[source_words(ctx.text[g.source[0] : g.source[1]])[0]]
    for m in reversed(ctx.cast.mentions_within(content_start, g.source[0])):
        entity = ctx.cast.get(m.entity)
        if entity is not None and compatible(pronoun, entity):
            return m.entity
    return None


def _quotes_of(p: Paragraph, f: Found) -> list[Span]:
    """The quotations of ``p`` inside ``f``'s content that may hold another quotation."""
    marks = frozenset(QUOTE_MARKS)
    return [
        q
        for q in p.quotes
        if any(s <= q[0] and q[1] <= e for s, e in f.content)
        and any(c in marks for c in p.text[q[0] - p.start + 1 : q[1] - p.start - 1])
    ]


def _inside_quotation(text: str, p: Paragraph, q: Span) -> list[Found]:
    start, end = q
    if text[start] in QUOTE_MARKS:
        start += 1
    if end > start and text[end - 1] in QUOTE_MARKS:
        end -= 1
    inner = read_paragraph(text, p.index, start, end)
    if not inner.quotes:
        return []
    find_in_paragraph(text, inner, None)
    continue_quotes(inner, None, None)
    return inner.found


def _inner_speaker(ctx: SpeakerContext, g: Found, outer: str | None) -> str | None:
    """``I`` inside a quotation is whoever speaks it; anyone else as the article names them,
    but never the speaker (who would have said ``I``)."""
    if g.source is None:
        return None
    source = " ".join(source_words(ctx.text[g.source[0] : g.source[1]]))
    if source in _SPEAKER_ITSELF:
        return outer
    if source in ("he", "she"):
        return _mentioned_by_speaker(ctx, g.source[0], source, outer)
    speaker = resolve(ctx, g, None)
    return None if speaker == outer else speaker


_LOOK_BACK_CHARS = 2000


def _mentioned_by_speaker(ctx: SpeakerContext, pos: int, pronoun: str, outer: str | None):
    """``"The position Chris was advocating was untenable," he said. "He's saying ..."``: a
    pronoun in a quotation points to the nearest person named before it, quotations included,
    other than the speaker."""
    for m in reversed(ctx.cast.mentions_within(max(0, pos - _LOOK_BACK_CHARS), pos)):
        entity = ctx.cast.get(m.entity)
        if entity is not None and m.entity != outer and compatible(pronoun, entity):
            return m.entity
    return None
