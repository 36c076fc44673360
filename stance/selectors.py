"""Read queries over paragraphs and what the models and editors say about them."""

from collections import Counter
from collections.abc import Iterable

from django.db.models import Case, OuterRef, QuerySet, Subquery, When
from django.db.models.functions import Coalesce

from newsroom.models import Paragraph
from stance import voice
from stance.models import Label, ModelVersion, Prediction, SpeakerCorrection


def with_verdicts(paragraphs: QuerySet[Paragraph]) -> QuerySet[Paragraph]:
    """Annotate each paragraph with the active model's verdict and the latest editor label.

    Adds `model_label`, `p_opinion`, `model_version_id`, `model_sentences` (the prediction's
    sentences, see stance.voice); the latest live label's
    `editor_label`, `label_id`, `label_action`, `label_editor` (username) and
    `label_created`; and `effective_label` (the latest adjudication, else the latest editor
    label, else the model's).
    """
    active = Prediction.objects.filter(
        paragraph=OuterRef("pk"),
        version__is_active=True,
        version__kind=ModelVersion.Kind.CLASSIFIER,
    )
    # An adjudication (a disagreement settled) wins over every plain label, earlier or later.
    latest_label = (
        Label.objects.live()
        .filter(paragraph=OuterRef("pk"))
        .order_by(
            Case(When(action=Label.Action.ADJUDICATE, then=0), default=1),
            "-created",
            "-pk",
        )
    )
    return paragraphs.annotate(
        model_label=Subquery(active.values("label")[:1]),
        p_opinion=Subquery(active.values("p_opinion")[:1]),
        model_version_id=Subquery(active.values("version_id")[:1]),
        model_sentences=Subquery(active.values("sentences")[:1]),
        editor_label=Subquery(latest_label.values("label")[:1]),
        label_id=Subquery(latest_label.values("pk")[:1]),
        label_action=Subquery(latest_label.values("action")[:1]),
        label_editor=Subquery(latest_label.values("editor__username")[:1]),
        label_created=Subquery(latest_label.values("created")[:1]),
    ).annotate(effective_label=Coalesce("editor_label", "model_label"))


def paragraph_words(
    text: str, effective_label: str | None, editor_label: str | None, sentences
) -> tuple[int, int, int]:
    """(words, opinion words, sentences) of one paragraph, for opinion shares.

    With the model's sentences (stance.voice): words of every sentence that is not structure
    (headings, credit lines), opinion words those of its opinion sentences; an editor's label
    covers the whole paragraph. A prediction without sentences (made before them) counts the
    paragraph's words by its effective label, as one sentence.
    """
    stored = voice.sentences_from_json(sentences)
    if not stored:
        words = len(text.split())
        return words, words if effective_label == "opinion" else 0, 1
    counted = [s for s in stored if s.counted]
    words = sum(s.words for s in counted)
    if editor_label is not None:
        return words, words if editor_label == "opinion" else 0, len(counted)
    return words, sum(s.words for s in counted if s.is_opinion), len(counted)


def opinion_share_by_article(article_ids: Iterable[int]) -> dict[int, "OpinionShare"]:
    """Per article: how many of its classifiable paragraphs are opinion, by effective label,
    and how many of its words are in opinion sentences (see paragraph_words)."""
    rows = with_verdicts(
        Paragraph.objects.classifiable().filter(article_id__in=list(article_ids))
    ).values_list("article_id", "effective_label", "editor_label", "model_sentences", "text")
    counts: dict[int, Counter] = {}
    for article_id, label, editor_label, sentences, text in rows:
        counter = counts.setdefault(article_id, Counter())
        counter["paragraphs"] += 1
        words, opinion_words, n_sentences = paragraph_words(text, label, editor_label, sentences)
        counter["words"] += words
        counter["opinion_words"] += opinion_words
        counter["sentences"] += n_sentences
        if label is not None:
            counter["labelled"] += 1
        if label == "opinion":
            counter["opinion"] += 1
    return {article_id: OpinionShare.from_counter(c) for article_id, c in counts.items()}


class OpinionShare:
    """An article's opinion share by words of opinion sentences (`share`, `percent`), and its
    opinion paragraphs out of the classified ones."""

    def __init__(
        self,
        *,
        paragraphs: int,
        labelled: int,
        opinion: int,
        words: int,
        opinion_words: int,
        sentences: int = 0,
    ):
        self.paragraphs = paragraphs
        self.labelled = labelled
        self.opinion = opinion
        self.words = words
        self.opinion_words = opinion_words
        self.sentences = sentences

    @classmethod
    def from_counter(cls, c: Counter) -> "OpinionShare":
        return cls(
            paragraphs=c["paragraphs"],
            labelled=c["labelled"],
            opinion=c["opinion"],
            words=c["words"],
            opinion_words=c["opinion_words"],
            sentences=c["sentences"],
        )

    @classmethod
    def total(cls, shares: Iterable["OpinionShare"]) -> "OpinionShare":
        c: Counter = Counter()
        for share in shares:
            c.update(vars(share))
        return cls.from_counter(c)

    @property
    def share(self) -> float | None:
        """Words of opinion sentences over all counted words (the editors' one number)."""
        if not self.labelled:
            return None
        return self.opinion_words / self.words if self.words else 0.0

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(100 * self.share)

    @property
    def few_sentences(self) -> bool:
        """The share rests on too few sentences to be quoted as is."""
        return voice.few_sentences(self.sentences)

    @property
    def word_percent(self) -> int | None:
        return (
            round(100 * self.opinion_words / self.words) if self.labelled and self.words else None
        )


def speaker_corrections_by_paragraph(
    paragraph_ids: Iterable[int],
) -> dict[int, list[SpeakerCorrection]]:
    """Editors' speaker corrections per paragraph, oldest first (the latest of a quote wins)."""
    out: dict[int, list[SpeakerCorrection]] = {}
    for row in SpeakerCorrection.objects.of_paragraphs(list(paragraph_ids)).select_related(
        "speaker_actor"
    ):
        out.setdefault(row.paragraph_id, []).append(row)
    return out
