"""Predictions: the classifier's reading of paragraphs, stored per version."""

import logging
from collections.abc import Iterable

from django.db.models import QuerySet

from newsroom.models import Article, Paragraph
from stance import pipeline, registry, voice
from stance.models import ModelVersion, Prediction
from stance.services.progress import Progress, no_progress

log = logging.getLogger(__name__)


CLASSIFY_BATCH = 2000


def paragraphs_classify(
    *,
    paragraphs: QuerySet[Paragraph],
    version: ModelVersion | None = None,
    progress: Progress = no_progress,
) -> int:
    """Store `version`'s (default: the active one's) prediction for each classifiable paragraph,
    read sentence by sentence in the context of its whole article (stance.voice)."""
    if version is None:
        version = registry.active_version()
    model = registry.pipeline_for(version)
    wanted = set(paragraphs.classifiable().values_list("pk", flat=True))
    total = len(wanted)
    done = 0
    for chunk in paragraph_voices(model, paragraphs.values("article_id")):
        chunk = [(pk, v) for pk, v in chunk if pk in wanted]
        Prediction.objects.bulk_create(
            [
                Prediction(
                    paragraph_id=pk,
                    version=version,
                    label=v.label,
                    p_opinion=v.p_opinion,
                    sentences=v.as_json(),
                )
                for pk, v in chunk
            ],
            update_conflicts=True,
            unique_fields=["paragraph", "version"],
            update_fields=["label", "p_opinion", "sentences"],
        )
        done += len(chunk)
        if total:
            progress(f"Classified {done} of {total} paragraphs", done / total)
    return done


def paragraph_voices(model, article_ids) -> Iterable[list[tuple[int, voice.ParagraphVoice]]]:
    """The classifiable paragraphs of these articles read by `model`, sentence by sentence, in
    batches of about CLASSIFY_BATCH paragraphs (whole articles, one classifier call each):
    lists of (paragraph id, voice). Every paragraph of an article is read (a heading can
    introduce a statement); only classifiable ones are returned."""
    rows = (
        Paragraph.objects.filter(article_id__in=article_ids)
        .order_by("article_id", "position")
        .values_list("article_id", "pk", "kind", "text")
        .iterator(chunk_size=CLASSIFY_BATCH)
    )
    classifiable = set(Paragraph.CLASSIFIABLE_KINDS)
    articles: list[list[tuple[int, str, str]]] = []
    size = 0
    current = None

    def flush():
        voices = pipeline.read_articles(model, [[text for _, _, text in a] for a in articles])
        return [
            (pk, v)
            for a, vs in zip(articles, voices, strict=True)
            for (pk, kind, _), v in zip(a, vs, strict=True)
            if kind in classifiable
        ]

    for article_id, pk, kind, text in rows:
        # A very long article is read in windows of CLASSIFY_BATCH paragraphs, so that the
        # work, its memory and its progress come in bounded pieces (context stops at a window).
        if article_id != current or len(articles[-1]) >= CLASSIFY_BATCH:
            if size >= CLASSIFY_BATCH:
                yield flush()
                articles, size = [], 0
            articles.append([])
            current = article_id
        articles[-1].append((pk, kind, text))
        size += 1
    if articles:
        yield flush()


def articles_classify(*, articles: Iterable[Article], missing_only: bool = False) -> int:
    """Classify the articles' paragraphs with the active version; 0 when none is active yet.
    `missing_only`: only the articles with a classifiable paragraph the active version has
    not read yet (so a task that runs twice classifies once)."""
    try:
        version = registry.active_version()
    except registry.NoActiveModel as error:
        log.warning("Articles stored unclassified: %s", error)
        return 0
    ids = [article.pk for article in articles]
    if missing_only:
        ids = list(
            Paragraph.objects.filter(article_id__in=ids)
            .classifiable()
            .exclude(predictions__version=version)
            .values_list("article_id", flat=True)
            .distinct()
        )
        if not ids:
            return 0
    return paragraphs_classify(
        paragraphs=Paragraph.objects.filter(article_id__in=ids), version=version
    )
