"""Background tasks: thin wrappers over services (django-tasks API).

Run inline with the immediate backend (tests, plain `runserver`) or by `manage.py task_worker`
(django-tasks-db's `db_worker`, surviving database restarts) processes with
TASKS_BACKEND=database. A task tracked by a Job runs the job at most once; a job whose
worker died is failed by stance.jobs.jobs_reap, and retry_job() runs it again as a
new job.
"""

import hashlib
from collections.abc import Iterable

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Now
from django_tasks import task

from newsroom.models import Article, Paragraph
from stance import jobs, pipeline, registry, services
from stance.models import Job, ModelVersion
from stance.services import analysis


class JobFailed(Exception):
    """Raised by a task whose job failed, so its task result says so too."""


@task()
def analyse_articles(article_ids: list[int]) -> int:
    """Propose the stories' actors from their text, then classify the new articles'
    paragraphs and store their framing analysis (with the proposed actors)."""
    articles = list(Article.objects.filter(pk__in=article_ids).select_related("story"))
    for story in {article.story_id: article.story for article in articles}.values():
        services.story_actors_propose(story=story)
    services.articles_analyse(articles=articles)
    return services.articles_classify(articles=articles)


@task()
def analyse_stale(article_ids: list[int]) -> int:
    """Store the framing analysis of the articles whose stored analysis is missing or stale
    (queued by articles_analysis_request; a no-op for articles already fresh)."""
    return analysis.articles_analyse(articles=Article.objects.filter(pk__in=article_ids))


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
    stale = analysis.articles_analysis_stale(articles=articles)
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
    job = jobs.candidate_train(job=Job.objects.get(pk=job_id))
    return _outcome(job)


@task()
def refresh_predictions(job_id: int) -> int | None:
    job = jobs.predictions_refresh(job=Job.objects.select_related("version").get(pk=job_id))
    return _outcome(job)


def _outcome(job: Job) -> int | None:
    if job.status == Job.Status.FAILED:
        raise JobFailed(f"Job {job.pk}: {job.error}")
    return job.version_id


def _enqueue(job: Job) -> Job:
    """Queue the job's task (runs it inline with the immediate backend)."""
    runner = train_candidate if job.kind == Job.Kind.TRAIN else refresh_predictions
    result = runner.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def start_training(*, user) -> Job:
    """Queue a candidate retrain (runs inline with the immediate backend)."""
    job = Job.objects.create(kind=Job.Kind.TRAIN, created_by=user, message="Waiting for a worker")
    return _enqueue(job)


def start_refresh(*, version, user) -> Job:
    job = Job.objects.create(
        kind=Job.Kind.REFRESH, version=version, created_by=user, message="Waiting for a worker"
    )
    return _enqueue(job)


def refresh_queue(*, version: ModelVersion, user=None) -> Job | None:
    """Queue the refresh of `version`'s predictions after its activation, at most once.

    Called on commit of every activation (stance.services.versions.model_activate). Nothing is
    queued when the version is no longer the active one (a later activation queues its
    own) or when a refresh of it is already queued or running: four concurrent
    activations give one refresh, and queued refreshes of earlier versions are marked
    superseded. The version's row is locked while deciding, so two callers cannot both
    see "none queued". Returns the job that will do the work.
    """
    with transaction.atomic():
        current = (
            ModelVersion.objects.without_artifact()
            .select_for_update()
            .filter(pk=version.pk, is_active=True)
            .first()
        )
        if current is None:
            return None
        # Queued refreshes of versions activated before it have nothing left to do.
        Job.objects.filter(kind=Job.Kind.REFRESH, status=Job.Status.QUEUED).exclude(
            version=current
        ).update(
            status=Job.Status.DONE,
            progress=1.0,
            message=f"Superseded: {current} was activated",
            finished=Now(),
        )
        pending = [
            job
            for job in Job.objects.unfinished().filter(kind=Job.Kind.REFRESH, version=current)
            if not job.is_stalled
        ]
        if pending:
            return pending[0]
        job = Job.objects.create(
            kind=Job.Kind.REFRESH, version=current, created_by=user, message="Waiting for a worker"
        )
    return _enqueue(job)  # after the commit: a worker must see the job's row


def retry_job(*, job: Job, user) -> Job:
    """Run a failed job (or a queued one no worker took) again, as a new job.

    A job is retried at most once (the new job's `retry_of` is unique); retry the retry
    if that fails too. A refresh is retried only while its version is still the active
    one (a later activation refreshed everything already).
    """
    jobs.jobs_reap()
    job.refresh_from_db()
    if job.status == Job.Status.QUEUED and job.is_stalled:
        jobs.job_give_up(job, "No worker took it; it was queued again.")
        job.refresh_from_db()
    if job.status != Job.Status.FAILED:
        raise ValidationError(f"Only a failed job can be retried; this one is {job.status}.")
    if job.kind == Job.Kind.TRAIN:
        running = [j for j in Job.objects.unfinished().filter(kind=job.kind) if not j.is_stalled]
        if running:
            raise ValidationError("A retrain is already running; its progress is below.")
    else:
        version = ModelVersion.objects.without_artifact().filter(pk=job.version_id).first()
        if version is None or not version.is_active:
            raise ValidationError(
                "That version is no longer active, so its predictions need no refresh."
            )
    try:
        with transaction.atomic():
            retry = Job.objects.create(
                kind=job.kind,
                version=job.version if job.kind == Job.Kind.REFRESH else None,
                created_by=user,
                retry_of=job,
                message="Waiting for a worker",
            )
    except IntegrityError:  # a concurrent retry of the same job won
        raise ValidationError("That job has already been retried.") from None
    return _enqueue(retry)
