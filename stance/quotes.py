"""A paragraph's quotes as the pages show them: the text with every quote marked and,
after each, who said it (the editors' correction when there is one) as a link to correct it.

Built in Python with explicit escaping, as the compare view's segments are: an article has
hundreds of quotes and marks.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from newsroom.models import Actor, Paragraph
from stance import framing, speakers, voice
from stance.models import ParagraphAnalysis, Prediction
from stance.selectors import speaker_corrections_by_paragraph


@dataclass(frozen=True)
class QuoteView:
    """One quote of a paragraph with the speaker the pages show."""

    paragraph: Paragraph
    item: speakers.CorrectedQuote
    actors: dict[str, Actor]

    @property
    def start(self) -> int:
        return self.item.quote.start

    @property
    def end(self) -> int:
        return self.item.quote.end

    @property
    def text(self) -> str:
        return self.paragraph.text[self.start : self.end]

    @property
    def kind(self) -> str:
        return self.item.quote.kind

    @property
    def dom_id(self) -> str:
        return f"q{self.paragraph.pk}-{self.item.index}"

    @property
    def speaker_actor(self) -> Actor | None:
        return self.actors.get(self.item.speaker_key or "")

    @property
    def who(self) -> str:
        """The speaker as the page names them ("" when nobody is known)."""
        if not self.item.is_speech:
            return ""
        actor = self.speaker_actor
        return actor.name if actor is not None else self.item.speaker_text

    @property
    def model_who(self) -> str:
        """Who the analysis says it was, before any correction ("" when nobody)."""
        quote = self.item.quote
        actor = self.actors.get(quote.speaker or "")
        if actor is None:
            return quote.speaker_text
        written = quote.speaker_text
        return f"{actor.name} (“{written}”)" if written and written != actor.name else actor.name

    @property
    def corrected(self) -> bool:
        return self.item.correction is not None

    @property
    def correct_url(self) -> str:
        query = urlencode({"start": self.start, "end": self.end})
        return f"{reverse('quote-speaker', args=[self.paragraph.pk])}?{query}"

    @property
    def chip_text(self) -> str:
        if not self.item.is_speech:
            return "nobody’s words"
        return self.who or "who said it?"


def analysis_of(paragraph: Paragraph) -> framing.ParagraphFraming:
    try:
        return framing.ParagraphFraming.from_dict(paragraph.analysis.data)
    except ParagraphAnalysis.DoesNotExist:
        return framing.ParagraphFraming()


def quote_views(
    paragraphs: Iterable[Paragraph], actors: dict[str, Actor]
) -> dict[int, list[QuoteView]]:
    """Every paragraph's quotes with their corrected speakers (paragraphs need their
    `analysis` selected). One query for the corrections."""
    paragraphs = list(paragraphs)
    corrections = speaker_corrections_by_paragraph(p.pk for p in paragraphs)
    out = {}
    for paragraph in paragraphs:
        items = speakers.corrected_quotes(
            analysis_of(paragraph), paragraph.text, corrections.get(paragraph.pk, [])
        )
        out[paragraph.pk] = [QuoteView(paragraph, item, actors) for item in items]
    return out


def marked_html(text: str, quotes: list[QuoteView], *, can_correct: bool, opinion=()) -> SafeString:
    """The paragraph's text with its quotes marked and a speaker chip after each, and the
    sentences in `opinion` ((start, end, p_opinion) each, see opinion_sentences) marked."""
    bounds = sorted(
        {
            0,
            len(text),
            *(b for q in quotes for b in (q.start, q.end)),
            *(b for s, e, _ in opinion for b in (s, e)),
        }
    )
    chips_at: dict[int, list[QuoteView]] = {}
    for q in quotes:
        chips_at.setdefault(q.end, []).append(q)
    out = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        covering = [q for q in quotes if q.start <= start and end <= q.end]
        piece = escape(text[start:end])
        if covering:
            inner = min(covering, key=lambda q: q.end - q.start)
            classes = ["q"]
            if inner.kind != "direct":
                classes.append("reported")
            if inner.corrected:
                classes.append("corrected" if inner.item.is_speech else "not-speech")
            title = f"{'Quoted' if inner.kind == 'direct' else 'Reported'}: {inner.chip_text}"
            piece = (
                f'<span class="{" ".join(classes)}" data-quote="{inner.dom_id}" '
                f'title="{escape(title)}">{piece}</span>'
            )
        out.append(_in_opinion_sentence(piece, start, end, opinion))
        for q in chips_at.get(end, []):
            out.append(_chip(q, can_correct=can_correct))
    return mark_safe("".join(out))


def opinion_sentences(paragraph) -> list[tuple[int, int, float]]:
    """(start, end, p_opinion) of the sentences the active model reads as the author's
    opinion, from a `with_verdicts()` paragraph's `model_sentences` (else one query)."""
    if hasattr(paragraph, "model_sentences"):
        rows = paragraph.model_sentences
    else:  # a paragraph loaded without with_verdicts()
        rows = (
            Prediction.objects.of_active()
            .filter(paragraph=paragraph)
            .values_list("sentences", flat=True)
            .first()
        )
    stored = voice.sentences_from_json(rows)
    n = len(paragraph.text)
    return [(s.start, min(s.end, n), s.p_opinion) for s in stored if s.is_opinion and s.start < n]


def _in_opinion_sentence(piece: str, start: int, end: int, opinion) -> str:
    """`piece` (text[start:end], already HTML) wrapped as part of an opinion sentence."""
    for s, e, p in opinion:
        if s <= start and end <= e:
            return (
                f'<span class="op-sentence" title="The author\'s opinion, sentence by sentence: '
                f'p(opinion) {p:.2f}">{piece}</span>'
            )
    return piece


def _chip(q: QuoteView, *, can_correct: bool) -> str:
    classes = "speaker-chip"
    if q.corrected:
        classes += " corrected"
    elif not q.who:
        classes += " unknown"
    label = escape(q.chip_text)
    if not can_correct:
        return f'<span class="{classes}" id="{q.dom_id}">{label}</span>'
    url = escape(q.correct_url)
    slot = f"#speaker-{q.paragraph.pk}"
    return (
        f'<a class="{classes}" id="{q.dom_id}" href="{url}" hx-get="{url}" '
        f'hx-target="{slot}" hx-swap="innerHTML" '
        f'aria-label="Speaker: {label}. Correct who said “{escape(_short(q.text))}”">'
        f"{label}</a>"
    )


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
