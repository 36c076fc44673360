"""Reads: verdicts and opinion shares of paragraphs, training rows, exports of editors' work,
a story's entities and a paragraph's stored quotes, the framing analysis's inputs and
freshness, and the scorer of sentiment toward actors."""

import hashlib
import heapq
import io
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, Count, Max, OuterRef, QuerySet, Subquery, When
from django.db.models.functions import Coalesce

from newsroom.models import Actor, Article, Paragraph, Story
from newsroom.words import word_count
from stance import actor_sentiment, caching, framing, pipeline, registry, treatment, voice
from stance.models import (
    Frame,
    Label,
    ModelVersion,
    ParagraphAnalysis,
    Prediction,
    SentenceLabel,
    SpeakerCorrection,
    TrainingSet,
)

if TYPE_CHECKING:
    from stance.entities import Entity


# A paragraph's labels, the one that counts first: an adjudication (a disagreement settled)
# wins over every plain label, earlier or later; else the latest.
LABEL_PRECEDENCE = (
    Case(When(action=Label.Action.ADJUDICATE, then=0), default=1),
    "-created",
    "-pk",
)


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
    latest_label = Label.objects.live().filter(paragraph=OuterRef("pk")).order_by(*LABEL_PRECEDENCE)
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
        words = word_count(text)
        return words, words if effective_label == "opinion" else 0, 1
    counted = [s for s in stored if s.counted]
    words = sum(s.words for s in counted)
    if editor_label is not None:
        return words, words if editor_label == "opinion" else 0, len(counted)
    return words, sum(s.words for s in counted if s.is_opinion), len(counted)


# How long a computed opinion share is kept. Its key changes with everything it is computed
# from (see _share_keys), so this only bounds what a deployment of new code might leave.
SHARE_CACHE_SECONDS = 3600


def opinion_share_by_article(article_ids: Iterable[int]) -> dict[int, "OpinionShare"]:
    """Per article: how many of its classifiable paragraphs are opinion, by effective label,
    and how many of its words are in opinion sentences (see paragraph_words).

    A 20,000-paragraph article's share is read on every view of its page, so each share is
    cached under a key that changes with its paragraphs, its active predictions and its
    labels (append-only: an undo is a new row); only missing ones are computed.
    """
    ids = list(article_ids)
    keys = _share_keys(ids)
    cached = cache.get_many(keys.values())
    shares = {a: cached[key] for a, key in keys.items() if key in cached}
    missing = [a for a in keys if a not in shares]
    if missing:
        computed = _opinion_shares(missing)
        cache.set_many({keys[a]: share for a, share in computed.items()}, SHARE_CACHE_SECONDS)
        shares.update(computed)
    return shares


def _share_keys(ids: list[int]) -> dict[int, str]:
    """{article id: the cache key of its opinion share} for the articles with classifiable
    paragraphs: three grouped counts, reading no rows."""
    active = ModelVersion.objects.classifiers().filter(is_active=True).values_list("pk", flat=True)
    version = next(iter(active), None)
    paragraphs = dict(
        Paragraph.objects.classifiable()
        .filter(article_id__in=ids)
        .values("article_id")
        .annotate(n=Count("pk"))
        .values_list("article_id", "n")
    )
    predictions = {
        a: (n, last)
        for a, n, last in Prediction.objects.filter(
            paragraph__article_id__in=ids, version_id=version
        )
        .values("paragraph__article_id")
        .annotate(n=Count("pk"), last=Max("pk"))
        .values_list("paragraph__article_id", "n", "last")
    }
    labels = dict(
        Label.objects.filter(paragraph__article_id__in=ids)
        .values("paragraph__article_id")
        .annotate(last=Max("pk"))
        .values_list("paragraph__article_id", "last")
    )
    return {
        a: f"opinion-share:{a}:{n}:{version}:{predictions.get(a)}:{labels.get(a)}".replace(" ", "")
        for a, n in paragraphs.items()
    }


def _opinion_shares(ids: list[int]) -> dict[int, "OpinionShare"]:
    """Computed: three flat queries (paragraphs, active predictions, live labels) merged here
    rather than with_verdicts()'s per-paragraph subqueries. Texts are read only for
    paragraphs without stored sentences."""
    active = ModelVersion.objects.classifiers().filter(is_active=True).values("pk")
    predicted = {
        pk: (label, sentences)
        for pk, label, sentences in Prediction.objects.filter(
            paragraph__article_id__in=ids, version_id__in=active
        ).values_list("paragraph_id", "label", "sentences")
    }
    editor: dict[int, str] = {}
    for pk, label in (
        Label.objects.live()
        .filter(paragraph__article_id__in=ids)
        .order_by(*LABEL_PRECEDENCE)
        .values_list("paragraph_id", "label")
    ):
        editor.setdefault(pk, label)  # the first in precedence order is the paragraph's
    rows = list(
        Paragraph.objects.classifiable().filter(article_id__in=ids).values_list("pk", "article_id")
    )
    texts = dict(
        Paragraph.objects.filter(
            pk__in=[pk for pk, _ in rows if not predicted.get(pk, (None, None))[1]]
        ).values_list("pk", "text")
    )
    counts: dict[int, Counter] = {}
    for pk, article_id in rows:
        model_label, sentences = predicted.get(pk, (None, None))
        editor_label = editor.get(pk)
        label = editor_label or model_label
        counter = counts.setdefault(article_id, Counter())
        _count(counter, texts.get(pk, ""), label, editor_label, sentences)
    return {article_id: OpinionShare.from_counter(c) for article_id, c in counts.items()}


def _count(counter: Counter, text: str, label, editor_label, sentences) -> None:
    counter["paragraphs"] += 1
    words, opinion_words, n_sentences = paragraph_words(text, label, editor_label, sentences)
    counter["words"] += words
    counter["opinion_words"] += opinion_words
    counter["sentences"] += n_sentences
    if label is not None:
        counter["labelled"] += 1
    if label == "opinion":
        counter["opinion"] += 1


class OpinionShare:
    """How much of an article is opinion: by words of opinion sentences (`share`, `percent`),
    and its opinion paragraphs out of the classified ones (`paragraph_percent`). The one
    definition, for the article, story and compare pages and the story report."""

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
    def of_paragraphs(cls, paragraphs: Iterable[Paragraph]) -> "OpinionShare":
        """The share of classifiable paragraphs annotated by with_verdicts()."""
        c: Counter = Counter()
        for p in paragraphs:
            _count(c, p.text, p.effective_label, p.editor_label, p.model_sentences)
        return cls.from_counter(c)

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
    def paragraph_percent(self) -> int | None:
        """Opinion paragraphs over classified ones (by effective label)."""
        return round(100 * self.opinion / self.labelled) if self.labelled else None

    @property
    def few_sentences(self) -> bool:
        """The share rests on too few sentences to be quoted as is."""
        return voice.few_sentences(self.sentences)


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


# ---------------------------------------------------------------------------
# Training data


def training_rows_starter() -> list[tuple[str, str, str]]:
    return pipeline.read_labelled_tsv(settings.STANCE_STARTER_CORPUS)


def training_rows_editor_labels() -> list[tuple[str, str, str]]:
    """Every paragraph an editor labelled, with its effective (latest) label, then every
    sentence an editor labelled (training_rows_sentence_labels)."""
    labelled = with_verdicts(
        Paragraph.objects.filter(pk__in=Label.objects.live().values("paragraph_id"))
    )
    return [
        *(
            (f"paragraph-{pk}", text, label)
            for pk, text, label in labelled.values_list("pk", "text", "editor_label")
        ),
        *training_rows_sentence_labels(),
    ]


def training_rows_sentence_labels() -> list[tuple[str, str, str]]:
    """Every sentence an editor labelled, with its latest label: ids
    ``paragraph-<id>:sentence-<start>-<end>``, in their paragraph's piece for cross-validation
    (stance.pipeline.piece_key)."""
    latest: dict[tuple[int, int, int], tuple[str, str]] = {}
    for pk, start, end, text, label in SentenceLabel.objects.order_by("created", "pk").values_list(
        "paragraph_id", "start", "end", "sentence_text", "label"
    ):
        latest[(pk, start, end)] = (text, label)
    return [
        (f"paragraph-{pk}:sentence-{start}-{end}", text, label)
        for (pk, start, end), (text, label) in latest.items()
    ]


def sentence_labels_by_paragraph(
    paragraph_ids: Iterable[int],
) -> dict[int, dict[tuple[int, int], SentenceLabel]]:
    """Editors' latest verdict on each labelled sentence, per paragraph: {(start, end): row}."""
    out: dict[int, dict[tuple[int, int], SentenceLabel]] = {}
    for row in SentenceLabel.objects.of_paragraphs(list(paragraph_ids)).select_related("editor"):
        out.setdefault(row.paragraph_id, {})[(row.start, row.end)] = row
    return out


def training_news_articles() -> list[list[str]]:
    """Articles editors labelled news throughout (the latest label of every classifiable
    paragraph, at least KNOWN_NEWS_MIN_PARAGRAPHS of them), as their paragraphs' texts in
    order: known straight news, on which a version's calibration is fitted (see
    stance.pipeline.train)."""
    article_ids = Paragraph.objects.filter(
        pk__in=Label.objects.live().values("paragraph_id")
    ).values("article_id")
    rows = with_verdicts(
        Paragraph.objects.filter(article_id__in=article_ids).order_by("article_id", "position")
    ).values_list("article_id", "kind", "text", "editor_label")
    articles: dict[int, list[str]] = {}
    labels: dict[int, list[str | None]] = {}
    for article_id, kind, text, label in rows:
        articles.setdefault(article_id, []).append(text)
        if kind in Paragraph.CLASSIFIABLE_KINDS:
            labels.setdefault(article_id, []).append(label)
    return [
        articles[a]
        for a, found in labels.items()
        if len(found) >= KNOWN_NEWS_MIN_PARAGRAPHS and all(label == "news" for label in found)
    ]


KNOWN_NEWS_MIN_PARAGRAPHS = 3


def training_data(
    *, extra_tsv: Sequence[Path | str] = ()
) -> tuple[list[str], list[str], dict[str, int], list[str]]:
    """Starter corpus + editor labels + extra TSV files: texts, labels, counts by source and
    each row's piece (:func:`stance.pipeline.piece_key`)."""
    sources: dict[str, list[tuple[str, str, str]]] = {
        "starter corpus": training_rows_starter(),
        "editor labels": training_rows_editor_labels(),
        **training_rows_imported(),
    }
    for path in extra_tsv:
        sources[f"extra: {Path(path).name}"] = pipeline.read_labelled_tsv(path)
    texts, labels, pieces = [], [], []
    for rows in sources.values():
        texts.extend(text for _, text, _ in rows)
        labels.extend(label for _, _, label in rows)
        pieces.extend(pipeline.piece_key(row_id) for row_id, _, _ in rows)
    return texts, labels, {name: len(rows) for name, rows in sources.items()}, pieces


def training_rows_imported() -> dict[str, list[tuple[str, str, str]]]:
    return {
        f"imported: {item.name}": pipeline.read_labelled_tsv(io.StringIO(item.content))
        for item in TrainingSet.objects.filter(is_active=True)
    }


# ---------------------------------------------------------------------------
# Exports of editors' work


EXPORT_FIELDS = [
    "paragraph_id",
    "article_id",
    "text",
    "label",
    "action",
    "undoes",
    "editor",
    "created",
    "note",
    "model_version",
    "model_label",
    "p_opinion",
]


def labels_export_rows() -> Iterable[dict]:
    """One dict per label row (undo rows included), oldest first, for CSV / JSON Lines."""
    labels = Label.objects.select_related("paragraph", "editor", "model_version").order_by(
        "created", "pk"
    )
    for label in labels.iterator(chunk_size=2000):
        yield {
            "paragraph_id": label.paragraph_id,
            "article_id": label.paragraph.article_id,
            "text": label.paragraph.text,
            "label": label.label,
            "action": label.action,
            "undoes": label.undoes_id,
            "editor": label.editor.get_username(),
            "created": label.created.isoformat(),
            "note": label.note,
            "model_version": label.model_version.number if label.model_version else None,
            "model_label": label.model_label or None,
            "p_opinion": label.model_p_opinion,
        }


# A speaker correction's own columns in the export, after the labels' (EXPORT_FIELDS).
SPEAKER_EXPORT_FIELDS = [
    "record",  # "label" | "speaker" | "sentence"
    "quote_start",
    "quote_end",
    "quote_text",
    "speaker_choice",  # "actor" | "other" | "nobody"
    "speaker",
    "speaker_actor_id",
    "model_speaker",
]
SENTENCE_EXPORT_FIELDS = ["sentence_start", "sentence_end", "sentence_text"]
EDITORIAL_EXPORT_FIELDS = [*EXPORT_FIELDS, *SPEAKER_EXPORT_FIELDS, *SENTENCE_EXPORT_FIELDS]


def editorial_export_rows() -> Iterable[dict]:
    """Every label, speaker correction and sentence label, oldest first, as rows with the
    same columns (EDITORIAL_EXPORT_FIELDS; what a row is not about is None)."""
    blank = dict.fromkeys(EDITORIAL_EXPORT_FIELDS)
    labels = ({**blank, **row, "record": "label"} for row in labels_export_rows())
    speakers = ({**blank, **row} for row in speaker_corrections_export_rows())
    sentences = ({**blank, **row} for row in sentence_labels_export_rows())
    return heapq.merge(labels, speakers, sentences, key=lambda row: row["created"])


def sentence_labels_export_rows() -> Iterable[dict]:
    """One dict per sentence label, oldest first (superseded ones too)."""
    rows = SentenceLabel.objects.select_related("paragraph", "editor", "model_version")
    for row in rows.order_by("created", "pk").iterator(chunk_size=2000):
        yield {
            "record": "sentence",
            "paragraph_id": row.paragraph_id,
            "article_id": row.paragraph.article_id,
            "text": row.paragraph.text,
            "label": row.label,
            "action": "correct",
            "editor": row.editor.get_username(),
            "created": row.created.isoformat(),
            "model_version": row.model_version.number if row.model_version else None,
            "model_label": row.model_label or None,
            "p_opinion": row.model_p_opinion,
            "sentence_start": row.start,
            "sentence_end": row.end,
            "sentence_text": row.sentence_text,
        }


def speaker_corrections_export_rows() -> Iterable[dict]:
    """One dict per speaker correction, oldest first (superseded ones too)."""
    rows = SpeakerCorrection.objects.select_related(
        "paragraph", "editor", "speaker_actor"
    ).order_by("created", "pk")
    for row in rows.iterator(chunk_size=2000):
        yield {
            "record": "speaker",
            "paragraph_id": row.paragraph_id,
            "article_id": row.paragraph.article_id,
            "text": row.paragraph.text,
            "quote_start": row.start,
            "quote_end": row.end,
            "quote_text": row.quote_text,
            "speaker_choice": row.choice,
            "speaker": None if row.choice == row.Choice.NOBODY else row.speaker_label,
            "speaker_actor_id": row.speaker_actor_id,
            "model_speaker": row.model_speaker or None,
            "editor": row.editor.get_username(),
            "created": row.created.isoformat(),
        }


# ---------------------------------------------------------------------------
# Entities of a story's text


def name_key(name: str) -> str:
    """A name compared with others: case, curly apostrophes and spacing ignored."""
    return " ".join(name.replace("\u2019", "'").casefold().split())


def story_entities(story: Story) -> list["Entity"]:
    """The people and organisations of every piece of the story, merged across pieces.

    Each piece is read on its own (pronouns and surnames resolve within a piece); an
    entity of one piece is the same as one of another when either's name is the other's
    name or alias (`Goff` in a column, `Phil Goff` in the report). The fullest name wins.
    """
    merged: list[Entity] = []
    keys: list[set[str]] = []
    for article in story.articles.order_by("published", "created", "pk"):
        texts = list(
            article.paragraphs.exclude(kind=Paragraph.Kind.CREDIT)
            .order_by("position")
            .values_list("text", flat=True)
        )
        for entity in _article_entities(texts):
            own = {name_key(n) for n in (entity.name, *entity.aliases)}
            at = next(
                (
                    i
                    for i, group in enumerate(merged)
                    if name_key(entity.name) in keys[i] or name_key(group.name) in own
                ),
                None,
            )
            if at is None:
                merged.append(entity)
                keys.append(own)
            else:
                merged[at] = _entity_merge(merged[at], entity)
                keys[at] |= own
    return sorted(merged, key=lambda e: (-e.quotes, -e.mentions, e.name))


# A piece's entities depend on its text alone: kept a week under its text's fingerprint (and
# ANALYSIS_VERSION, which follows stance.entities), so an upload reads the new piece and not
# again every piece of the story (three 300,000-character pieces made each upload's proposals
# 0.5 s longer than the last's).
ENTITIES_SECONDS = 7 * 24 * 3600


def _article_entities(texts: list[str]) -> list["Entity"]:
    from stance.entities import discover  # the attribution layer's; loaded when first needed

    key = f"entities:{ANALYSIS_VERSION}:{caching.digest(texts)}"
    found = cache.get(key)
    if found is None:
        found = discover(texts)
        cache.set(key, found, ENTITIES_SECONDS)
    return found


def _entity_merge(a: "Entity", b: "Entity") -> "Entity":
    first, second = (a, b) if len(a.name.split()) >= len(b.name.split()) else (b, a)
    names = [*first.aliases, second.name, *second.aliases]
    aliases, seen = [], {name_key(first.name)}
    for alias in names:
        if name_key(alias) not in seen:
            seen.add(name_key(alias))
            aliases.append(alias)
    major = a if a.mentions >= b.mentions else b
    return replace(
        a,
        name=first.name,
        kind=major.kind,
        aliases=tuple(aliases),
        role=a.role or b.role,
        pronoun=major.pronoun or a.pronoun or b.pronoun,
        mentions=a.mentions + b.mentions,
        quotes=a.quotes + b.quotes,
    )


# ---------------------------------------------------------------------------
# Stored analysis


def quote_in_analysis(paragraph: Paragraph, start: int, end: int) -> framing.Quote | None:
    """The quote of the paragraph's stored analysis with exactly these bounds."""
    analysis = ParagraphAnalysis.objects.filter(paragraph=paragraph).first()
    if analysis is None:
        return None
    quotes = framing.ParagraphFraming.from_dict(analysis.data).quotes
    return next((q for q in quotes if (q.start, q.end) == (start, end)), None)


# Bump when stance.framing changes what it finds, so stored analyses are recomputed.
# 3: speakers from attribution; 4-6: author-voice treatment, loaded terms; 7: attribution tags;
# 8: attribution sources behind asides, relative clauses and poll shares; 9: position cues,
# according-to in mid-sentence, tags over inner cues, questions and their tags; 10: quotations
# inside quotations, clause-bounded content, tag tails; 11: clauses with their own cue end content;
# 12: as X put it, several asides, abbreviations and possessives as tokens, question tags;
# 13: the author's own "I think" / "we believe" is the author's voice (attribution.by_others);
# 14: "according to" a norm ("according to plan", "... their doctrine") attributes nothing;
# 15: a trained actor-sentiment model scores a mention it reads as neutral 0;
# 16: reports headed by a noun nested in someone's content ("Goff rejected Carter's claims
# the party was petty": Carter's), its words counted once in share of voice, for its speaker;
# 17: "it"/"they" naming no entity is the document or organisation named before it ("the
# leaked testimony ... it states"); a pronoun speaker is never shown as a name;
# 18: a word beyond another actor's mention weighs half in the default treatment ("the
# council at which he failed": his failure); 19: a possessive 's before an -ing cue is not a
# contracted "is" ("Labour's ruling council", "the court's ruling said"); 20: a cue with a
# subject of its own inside reported content is nested there ("X said that Y believes Z": Y's),
# and a quotation's tag keeps its speaker with a long tail ('"...," she said of the plan to ...');
# 21: a sentence's subject is read past a dateline and an opening phrase set off by a comma
# ("Speaking to farmers, Ms Tane ... and promised": Ms Tane's promise, not "Speaking");
# 22: "X's statement that P" ends before its sentence's own verb ("... that P was withdrawn");
# 23: a document issued speaks for its issuer ("X issued a statement saying"), and "saying"
# takes a clause without "that" ("figures saying the pool should reopen"); 24: a quotation's
# tag with a verb that is no known cue names its speaker ('"...," beamed Mayor Riley', '"...,"
# it read'), as does a tag in a sentence of its own ('"... May." Ms Hale said.'); 25: an
# object relative is spoken by its own subject ("Cole, who critics called a liability":
# the critics', not Cole's); 26: a sentence after a quoted question is its tag only when a tag
# heads it ("The treasurer did not answer." is not), adverbs without -ly before a cue are
# skipped ("have long argued"), a relative clause after a tag is the author's, a short subject
# before a mid-sentence tag is content ("The bridge, the mayor said, would"), an indirect
# question is nobody's words ("Asked if he believed ..."), and "Later, she said" names "she"
ANALYSIS_VERSION = 26


def framing_inputs(story_id: int) -> tuple[list[framing.ActorSpec], list[framing.FrameSpec], str]:
    """The story's actors and the active frames as framing specs, and their fingerprint."""
    actors = [
        framing.ActorSpec(
            key=str(actor.pk),
            name=actor.name,
            aliases=tuple(actor.alias_list),
            kind=actor.kind,
            pronoun=actor.pronoun,
        )
        for actor in Actor.objects.filter(story_id=story_id).analysed().order_by("pk")
    ]
    frames = [
        framing.FrameSpec(key=frame.key, name=frame.name, cues=tuple(frame.cue_list))
        for frame in Frame.objects.filter(is_active=True)
    ]
    fingerprint = hashlib.sha256(
        json.dumps(
            [
                [vars(a) for a in actors],
                [vars(f) for f in frames],
                ANALYSIS_VERSION,
                actor_sentiment_scorer()[0],
            ],
            sort_keys=True,
            default=list,
        ).encode()
    ).hexdigest()
    return actors, frames, fingerprint


def analysis_fresh(paragraph: Paragraph, signature: str) -> bool:
    """Whether the paragraph's stored analysis (select_related("analysis")) is current."""
    try:
        return paragraph.analysis.signature == signature
    except ParagraphAnalysis.DoesNotExist:
        return False


def articles_analysis_stale(*, articles: Iterable[Article]) -> dict[int, str]:
    """{article id: the signature its analysis needs} for the articles with a paragraph whose
    stored analysis is missing or stale: two counts per story, reading no analysis data."""
    by_story: dict[int, list[int]] = {}
    for article in articles:
        by_story.setdefault(article.story_id, []).append(article.pk)
    stale = {}
    for story_id, ids in by_story.items():
        signature = framing_inputs(story_id)[2]
        fresh = dict(
            ParagraphAnalysis.objects.filter(paragraph__article_id__in=ids, signature=signature)
            .values("paragraph__article_id")
            .annotate(n=Count("pk"))
            .values_list("paragraph__article_id", "n")
        )
        for article_id, n in (
            Paragraph.objects.filter(article_id__in=ids)
            .values("article_id")
            .annotate(n=Count("pk"))
            .values_list("article_id", "n")
        ):
            if fresh.get(article_id, 0) < n:
                stale[article_id] = signature
    return stale


def actor_sentiment_score(records: Sequence[dict]) -> tuple[str, list[tuple[str, float]]]:
    """Score sentiment toward each record's target with the active model, else the rules.

    Returns (what scored them, [(polarity, score)]).
    """
    name, scorer = actor_sentiment_scorer()
    return name, scorer(list(records))


def actor_sentiment_scorer() -> tuple[str, treatment.Scorer]:
    """The one scorer of sentiment toward an actor: the active trained version if there is
    one, else the rule-based default. `actor_sentiment`, the framing analysis behind the
    compare view and `story_report` all score through it."""
    active = registry.active_actor_sentiment()
    if active is not None:
        version, model = active
        if actor_sentiment.is_current(model):
            return str(version), partial(actor_sentiment.predict, model)
        # trained before the features changed: it cannot read today's; the default scores
        # until it is retrained (the name says so wherever the scorer is shown)
        return f"rule-based default ({version} needs retraining)", rule_scores
    return "rule-based default", rule_scores


def rule_scores(records: list[dict]) -> list[tuple[str, float]]:
    """The rule-based default scorer (stance.treatment.target_sentiment of each record).

    stance.framing scores with these rules in place when given no scorer."""
    return [
        treatment.target_sentiment(r["text"], r["target_start"], r["target_end"]) for r in records
    ]
