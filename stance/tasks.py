"""Background tasks (django-tasks): thin wrappers, each safe to run twice.

Run inline with the immediate backend (tests, plain `runserver`) or by `manage.py
task_worker` processes with TASKS_BACKEND=database. A task carries only ids: the work and
its record (stance.jobs, Job) live elsewhere, so a task delivered twice does nothing more.
"""

import hashlib
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django_tasks import task

from newsroom.models import Article, Paragraph
from stance import jobs, pipeline, registry
from stance.selectors import articles_analysis_stale
from stance.services.actors import story_actors_propose
from stance.services.analysis import articles_analyse
from stance.services.classification import articles_classify


@task()
def analyse_articles(article_ids: list[int]) -> int:
    """Classify the new articles' paragraphs, propose the stories' actors from their text,
    then store their framing analysis (with the proposed actors). Classification comes
    first: it is quick, and an article page that sees the analysis done then finds its
    labels too. Every step is idempotent: predictions upserted, proposals brought up to
    date, fresh analyses skipped."""
    articles = list(Article.objects.filter(pk__in=article_ids).select_related("story"))
    classified = articles_classify(articles=articles)
    for story in {article.story_id: article.story for article in articles}.values():
        story_actors_propose(story=story)
    articles_analyse(articles=articles)
    return classified


@task()
def analyse_stale(article_ids: list[int]) -> int:
    """Store the framing analysis of the articles whose stored analysis is missing or stale
    (queued by articles_analysis_request; a no-op for articles already fresh), after
    classifying any paragraph the active version has not read: a page polling for this
    analysis shows the labels in the same swap."""
    articles = list(Article.objects.filter(pk__in=article_ids))
    articles_classify(articles=articles, missing_only=True)
    return articles_analyse(articles=articles)


# A requested analysis counts as queued this long: views of the article within it queue
# nothing more (32 concurrent views queue one task), and after it a task that was lost
# (its worker died) is queued again by the next view.
ANALYSIS_REQUEST_SECONDS = 300


def articles_analysis_request(articles: Iterable[Article]) -> dict[int, str]:
    """{article id: the signature its analysis will have} for the `articles` whose stored
    analysis is missing or stale, their analysis queued at most once per article and
    signature (a cache.add key), so pages never run analysis themselves: they show
    "analysis pending" and poll.

    The key carries the signature (actors, frames, ANALYSIS_VERSION), so an edit made while
    a task is queued queues one more. With the immediate backend (tests, plain runserver)
    the queued task runs inline, after the caller's transaction commits.
    """
    stale = articles_analysis_stale(articles=articles)
    queue = [
        article_id
        for article_id, signature in stale.items()
        if cache.add(f"analysis-request:{article_id}:{signature}", 1, ANALYSIS_REQUEST_SECONDS)
    ]
    if queue:
        transaction.on_commit(lambda: analyse_stale.enqueue(queue))
    return stale


@task()
def align_pieces(article_ids: list[int]) -> None:
    """Link the pieces' paragraphs to their counterparts, for the compare page."""
    from stance import compare  # the page's module imports this one

    compare.alignment_store(article_ids)


# A paragraph's explanation (pipeline.explain) costs about as much as its length: seconds for
# a very long one. It is worked out by a task and kept this long in the cache.
EXPLANATION_SECONDS = 24 * 3600


def _explanation_key(version_id: int, paragraph: Paragraph) -> str:
    digest = hashlib.sha256(paragraph.text.encode()).hexdigest()[:16]
    return f"explanation:{version_id}:{paragraph.pk}:{digest}"


@task()
def explain_paragraph(paragraph_id: int) -> None:
    """Work out why the active classifier labels the paragraph as it does, for its page."""
    paragraph = Paragraph.objects.get(pk=paragraph_id)
    version, model = registry.active_classifier()
    explanation = pipeline.explain(model, paragraph.text)
    cache.set(_explanation_key(version.pk, paragraph), explanation, EXPLANATION_SECONDS)


def explanation_request(paragraph: Paragraph, version_id: int) -> pipeline.Explanation | None:
    """The paragraph's explanation by the version, or None while a task works it out: it
    is queued once (cache.add) however many requests ask, so "Why?" never runs it."""
    key = _explanation_key(version_id, paragraph)
    found = cache.get(key)
    if found is None and cache.add(f"{key}:queued", 1, ANALYSIS_REQUEST_SECONDS):
        explain_paragraph.enqueue(paragraph.pk)
        found = cache.get(key)  # the immediate backend (tests, plain runserver) ran it
    return found


@task()
def train_candidate(job_id: int) -> int | None:
    """Run a queued retrain job (stance.jobs.candidate_train); the candidate's id."""
    return jobs.job_run(job_id)


@task()
def refresh_predictions(job_id: int) -> int | None:
    """Run a queued refresh job (stance.jobs.predictions_refresh); the version's id."""
    return jobs.job_run(job_id)
