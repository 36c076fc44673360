"""Background jobs: retrain a candidate, refresh predictions; the one record of them.

A Job row is the only record the app keeps of background work: the pages read its status
and progress from it, and nothing else. django-tasks only carries a job's id to a worker
(stance.tasks holds the thin task wrappers); its own result table is the library's
business, never read or written here.

Every job runs at most once, so a task may be delivered twice: the worker that takes the
task turns the job from queued to running with a conditional UPDATE, and a second
delivery finds it running or finished and does nothing. Retry means queue the work again,
as a new job (`retry_of` links it to the failed one, once).

A running job holds a lease. While the work runs, a heartbeat thread in its worker
touches Job.updated (with the database's clock, so no two servers' clocks are ever
compared) every fifth of settings.STANCE_JOB_LEASE_SECONDS, however long one step takes.
A running job whose heartbeat is older than the lease has lost its worker (killed, or
cut off from the database): jobs_reap() fails it, with the version it was training.
Every write is a conditional UPDATE, so any number of reapers may run at once, a job
that still heartbeats is never reaped, and a worker that comes back after losing its
lease stops at its next step instead of overwriting the verdict.
"""

import logging
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, close_old_connections, connection, transaction
from django.db.models.functions import Now

from newsroom.models import Paragraph
from stance.models import Job, ModelVersion
from stance.services.classification import paragraphs_classify
from stance.services.progress import Progress
from stance.services.versions import candidate_evaluate, model_create, model_train

log = logging.getLogger(__name__)

WAITING = "Waiting for a worker"


class JobLost(Exception):
    """The job stopped being this worker's (a reaper failed it) while the work ran."""


class JobFailed(Exception):
    """Raised by a task whose job failed, so the worker's log says so too."""


# ---------------------------------------------------------------------------
# Starting jobs


def candidate_train_start(*, user: AbstractBaseUser | None) -> Job:
    """Queue a candidate retrain (runs inline with the immediate backend); one at a time."""
    _refuse_a_second_retrain()
    return _job_queue(Job(kind=Job.Kind.TRAIN, created_by=user))


def predictions_refresh_start(*, version: ModelVersion, user: AbstractBaseUser | None) -> Job:
    """Queue the refresh of every stored prediction by `version`."""
    return _job_queue(Job(kind=Job.Kind.REFRESH, version=version, created_by=user))


def predictions_refresh_after_activation(
    *, version: ModelVersion, user: AbstractBaseUser | None = None
) -> Job | None:
    """Queue the refresh of `version`'s predictions after its activation, at most once.

    Called on commit of every activation (stance.services.versions.model_activate).
    Nothing is queued when the version is no longer the active one (a later activation
    queues its own) or when a refresh of it is already queued or running: four
    concurrent activations give one refresh, and queued refreshes of earlier versions
    are marked superseded. The version's row is locked while deciding, so two callers
    cannot both see "none queued". Returns the job that will do the work.
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
        pending = Job.objects.in_progress().filter(kind=Job.Kind.REFRESH, version=current)
        if (job := pending.first()) is not None:
            return job
        job = Job.objects.create(
            kind=Job.Kind.REFRESH, version=current, created_by=user, message=WAITING
        )
    return _job_enqueue(job)  # after the commit: a worker must see the job's row


def job_retry(*, job: Job, user: AbstractBaseUser | None) -> Job:
    """Queue a failed job's work again, as a new job; also a queued job no worker took.

    A job is retried at most once (the new job's `retry_of` is unique); retry the retry
    if that fails too. A refresh is retried only while its version is still the active
    one (a later activation refreshed everything already).
    """
    jobs_reap()
    job.refresh_from_db()
    if job.status == Job.Status.QUEUED and Job.objects.stale().filter(pk=job.pk).exists():
        # The task may still reach a worker one day: failed first, it will do nothing then.
        _job_fail(job.pk, "No worker took it; it was queued again.", status=Job.Status.QUEUED)
        job.refresh_from_db()
    if job.status != Job.Status.FAILED:
        raise ValidationError(f"Only a failed job can be retried; this one is {job.status}.")
    if job.kind == Job.Kind.TRAIN:
        _refuse_a_second_retrain()
    else:
        version = ModelVersion.objects.without_artifact().filter(pk=job.version_id).first()
        if version is None or not version.is_active:
            raise ValidationError(
                "That version is no longer active, so its predictions need no refresh."
            )
    retry = Job(
        kind=job.kind,
        version=job.version if job.kind == Job.Kind.REFRESH else None,
        created_by=user,
        retry_of=job,
    )
    try:
        return _job_queue(retry)
    except IntegrityError:  # a concurrent retry of the same job won
        raise ValidationError("That job has already been retried.") from None


def _refuse_a_second_retrain() -> None:
    if Job.objects.in_progress().filter(kind=Job.Kind.TRAIN).exists():
        raise ValidationError("A retrain is already running; its progress is below.")


def _job_queue(job: Job) -> Job:
    job.message = WAITING
    with transaction.atomic():
        job.save()
    return _job_enqueue(job)


def _job_enqueue(job: Job) -> Job:
    """Hand the job's id to a worker (runs it inline with the immediate backend)."""
    from stance import tasks  # the task wrappers call this module: imported late

    task = tasks.train_candidate if job.kind == Job.Kind.TRAIN else tasks.refresh_predictions
    result = task.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


# ---------------------------------------------------------------------------
# Running jobs (in a worker)


def job_run(job_id: int) -> int | None:
    """Run a queued job's work (what its task does); the version it made or refreshed.

    A job that is not queued any more (run already, failed, given up) is left as it
    is, so the task is safe to deliver twice. Raises JobFailed when the work failed.
    """
    job = Job.objects.select_related("version", "created_by").get(pk=job_id)
    if job.status != Job.Status.QUEUED:  # delivered twice, or given up for a retry
        log.warning("%s was not queued any more; not running it", job)
        return job.version_id
    job = candidate_train(job=job) if job.kind == Job.Kind.TRAIN else predictions_refresh(job=job)
    if job.status == Job.Status.FAILED:
        raise JobFailed(f"Job {job.pk}: {job.error}")
    return job.version_id


def candidate_train(*, job: Job) -> Job:
    """Train a candidate classifier, then compare it with the active one on editor labels."""

    def work(progress: Progress) -> ModelVersion:
        version = model_create(
            kind=ModelVersion.Kind.CLASSIFIER, created_by=job.created_by, random_state=0
        )
        # Linked before training, so a reaper can fail it if this worker dies.
        Job.objects.filter(pk=job.pk).update(version=version)
        version = model_train(created_by=job.created_by, progress=progress, version=version)
        if version.status == ModelVersion.Status.READY:  # not discarded while it trained
            candidate_evaluate(version=version, progress=progress)
        return version

    return job_execute(job=job, work=work)


def predictions_refresh(*, job: Job) -> Job:
    """Store the job's version's predictions for every classifiable paragraph (upserts,
    so a retry after a failure completes them)."""

    def work(progress: Progress) -> ModelVersion:
        active = ModelVersion.objects.without_artifact().filter(pk=job.version_id, is_active=True)
        if not active.exists():  # a later activation queued its own refresh: nothing to do
            progress(f"Skipped: {job.version} is no longer active", 1.0)
            return job.version
        paragraphs_classify(
            paragraphs=Paragraph.objects.all(), version=job.version, progress=progress
        )
        return job.version

    return job_execute(job=job, work=work)


def job_execute(*, job: Job, work: Callable[[Progress], ModelVersion | None]) -> Job:
    """Run `work` as the queued job, once: mark it running, heartbeat while `work` runs
    (it reports through the progress callback it is given), record the end."""
    started = Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, message="Starting", updated=Now()
    )
    if not started:  # run already, failed, or given up for a retry: never twice
        log.warning("%s was not queued any more; not running it", job)
        job.refresh_from_db()
        return job
    with _heartbeat(job):
        try:
            version = work(job_progress(job))
        except BaseException as error:  # SystemExit too: a worker stopped mid-job
            log.exception("%s failed", job)
            _job_record_failure(job, f"{type(error).__name__}: {error}")
            if not isinstance(error, Exception):
                raise
        else:
            fields = {"status": Job.Status.DONE, "progress": 1.0, "finished": Now()}
            if version is not None:
                fields["version"] = version
            if not Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(**fields):
                log.warning("%s finished after a reaper had failed it", job)
    job.refresh_from_db()
    return job


def job_progress(job: Job) -> Progress:
    """A progress callback that records the step on the job row (one UPDATE per call).

    Raises JobLost when the job is no longer running, which ends the work.
    """

    def report(message: str, fraction: float) -> None:
        running = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
            message=message[:300], progress=max(0.0, min(1.0, fraction)), updated=Now()
        )
        if not running:
            raise JobLost(f"Job {job.pk} is no longer running (its lease ran out); stopping.")

    return report


@contextmanager
def _heartbeat(job: Job):
    """Touch the job's heartbeat from a daemon thread while the block runs."""
    if connection.in_atomic_block:
        # The job row is not committed (a test's transaction): no other connection sees it.
        yield
        return
    stop = threading.Event()
    interval = settings.STANCE_JOB_LEASE_SECONDS / 5

    def beat() -> None:
        try:
            while not stop.wait(interval):
                try:
                    close_old_connections()  # health-checked again: survives a restart
                    running = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING)
                    if not running.update(updated=Now()):
                        return  # finished, or reaped: the work stops at its next step
                except DatabaseError as error:  # the database is restarting: beat again later
                    log.warning("Heartbeat of job %s failed: %s", job.pk, error)
                    connection.close()
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"job-{job.pk}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)  # a beat stuck on an unreachable database ends by itself


def _job_record_failure(job: Job, error: str) -> None:
    """Fail the job; when the database itself failed (restarting), try again for a few
    seconds, then leave the job to the lease."""
    for pause in (0, 0.5, 1, 2, 4):
        time.sleep(pause)
        try:
            _job_fail(job.pk, error)
            return
        except DatabaseError as db_error:
            if connection.in_atomic_block:
                raise
            log.warning("Could not record that %s failed: %s", job, db_error)
            connection.close()
    log.error("%s is left to its lease: the database did not come back", job)


# ---------------------------------------------------------------------------
# The reaper


def jobs_reap() -> int:
    """Fail the running jobs whose worker stopped (Job.objects.stale()); how many.

    Cheap when there are none (one query). A queued job no worker has taken is left
    queued (the workers may only be busy); job_retry gives it up and queues it again.
    """
    lease = settings.STANCE_JOB_LEASE_SECONDS
    reaped = 0
    lost = Job.objects.stale().filter(status=Job.Status.RUNNING)
    for pk, message in lost.values_list("pk", "message"):
        reason = (
            f"The worker running it stopped, or lost the database, during “{message}” "
            f"(no heartbeat for {lease} s); retry it."
        )
        reaped += _job_fail(pk, reason, stale=True)
    if reaped:
        log.warning("Failed %d job(s) whose worker stopped", reaped)
    return reaped


def jobs_reap_forever(interval: float) -> None:
    """Reap every `interval` seconds, through database outages (a worker's thread)."""
    while True:
        try:
            close_old_connections()  # health-checked again: survives a restart
            jobs_reap()
        except DatabaseError as error:  # down: the next round tries again
            log.warning("Reaping jobs failed: %s", error)
            connection.close()
        time.sleep(interval)


def _job_fail(job_id: int, error: str, *, status: str = Job.Status.RUNNING, stale=False) -> bool:
    """Fail the job if it is still in `status` (and, if `stale`, still stale).

    Also fails the candidate it was training (never the active version: a version a
    failed job made is unfinished, so it must not be selectable). Returns whether this
    call failed it.
    """
    jobs = (Job.objects.stale() if stale else Job.objects).filter(pk=job_id, status=status)
    with transaction.atomic():
        if not jobs.update(status=Job.Status.FAILED, error=error, finished=Now()):
            return False
        job = Job.objects.get(pk=job_id)
        if job.kind == Job.Kind.TRAIN and job.version_id is not None:
            ModelVersion.objects.filter(
                pk=job.version_id,
                is_active=False,
                status__in=[ModelVersion.Status.TRAINING, ModelVersion.Status.READY],
            ).update(status=ModelVersion.Status.FAILED, error=f"Its training job failed: {error}")
    return True
