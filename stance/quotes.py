"""A paragraph's quotes as the pages show them: the text with every quote marked and,
after each, who said it (the editors' correction when there is one) as a link to correct it.

The text is cut by stance.marks and rendered by a template partial
(stance/quote_speaker.html#marked-text), escaped by the template engine.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from newsroom.models import Actor, Paragraph
from stance import framing, marks, speakers, voice
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

    @cached_property  # read several times per quote by the page
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

    @cached_property  # read several times per quote by the page
    def correct_url(self) -> str:
        query = urlencode({"start": self.start, "end": self.end})
        return f"{reverse('quote-speaker', args=[self.paragraph.pk])}?{query}"

    @property
    def classes(self) -> str:
        """CSS classes of the quoted words: reported speech, an editor's correction."""
        classes = ["q"]
        if self.kind != "direct":
            classes.append("reported")
        if self.corrected:
            classes.append("corrected" if self.item.is_speech else "not-speech")
        return " ".join(classes)

    @property
    def mark_title(self) -> str:
        return f"{'Quoted' if self.kind == 'direct' else 'Reported'}: {self.chip_text}"

    @property
    def chip_classes(self) -> str:
        if self.corrected:
            return "speaker-chip corrected"
        return "speaker-chip" if self.who else "speaker-chip unknown"

    @property
    def short_text(self) -> str:
        return _short(self.text)

    @cached_property  # read several times per quote by the page
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
    sentences in `opinion` ((start, end, classes, title) each, see opinion_sentences) marked."""
    cut = marks.runs(
        text,
        [
            *(marks.Mark(q.start, q.end, "quote", data=q) for q in quotes),
            *(marks.Mark(s, e, "sentence", title=t, data=c) for s, e, c, t in opinion),
        ],
    )
    runs = [
        (
            run.text,
            run.innermost("quote"),  # the inner quote of nested ones says who
            run.covering("sentence"),
            [mark.data for mark in run.ending if mark.kind == "quote"],  # speaker chips
        )
        for run in cut
    ]
    return render_to_string(
        "stance/quote_speaker.html#marked-text", {"runs": runs, "can_correct": can_correct}
    )


def opinion_sentences(paragraph, marked=None) -> list[tuple[int, int, str, str]]:
    """(start, end, classes, title) of the sentences the page marks: those the active model
    reads as the author's opinion (from a `with_verdicts()` paragraph's `model_sentences`,
    else one query), unless an editor marked them otherwise, and those an editor marked
    (`marked`: {(start, end): SentenceLabel}, see selectors.sentence_labels_by_paragraph)."""
    if hasattr(paragraph, "model_sentences"):
        rows = paragraph.model_sentences
    else:  # a paragraph loaded without with_verdicts()
        rows = (
            Prediction.objects.of_active()
            .filter(paragraph=paragraph)
            .values_list("sentences", flat=True)
            .first()
        )
    n = len(paragraph.text)
    marked = marked or {}
    out = []
    for s in voice.sentences_from_json(rows):
        if s.start >= n:
            continue
        editor = marked.get((s.start, s.end))
        if editor is not None:
            classes = "op-sentence marked" if editor.label == "opinion" else "news-sentence marked"
            title = f"Marked {editor.label} by {editor.editor.get_username()}"
            out.append((s.start, min(s.end, n), classes, title))
        elif s.is_opinion:
            title = f"The author's opinion, sentence by sentence: p(opinion) {s.p_opinion:.2f}"
            out.append((s.start, min(s.end, n), "op-sentence", title))
    return out


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
