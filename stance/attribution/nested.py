"""Quotations inside quotations: ``"He told me, 'I will not resign,'" she said.`` The inner
words are an attribution of their own, nested in the outer content, with the source the
quotation names (``He``) or none when it names nobody; ``I`` inside a quotation is its
speaker. The same sentence rules read the quotation's inside as a paragraph of its own."""

from __future__ import annotations

from stance.attribution.cues import find_in_paragraph
from stance.attribution.model import QUOTE_MARKS, Found, Paragraph, Span, read_paragraph
from stance.attribution.quotes import continue_quotes
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
        for f in p.found:
            if f.kind != "direct":
                continue
            quotes = [q for q in _quotes_of(p, f) if q not in seen]
            seen.update(quotes)
            inner = [g for q in quotes for g in _inside_quotation(text, p, q)]
            for g in inner:
                g.speaker = _inner_speaker(ctx, g, f.speaker)
            if inner:
                out[id(f)] = inner
    return out


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
