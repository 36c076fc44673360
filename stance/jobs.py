"""Background jobs: retrain a candidate, refresh predictions."""

import logging
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models.functions import Now
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from newsroom.models import Paragraph
from stance.models import Job, ModelVersion
from stance.services.classification import paragraphs_classify
from stance.services.progress import Progress
from stance.services.versions import candidate_evaluate, model_create, model_train

log = logging.getLogger(__name__)


# A running job holds a lease. While the work runs, a heartbeat thread in its worker
# touches Job.updated (with the database's clock, so no two servers' clocks are ever
# compared) every fifth of settings.STANCE_JOB_LEASE_SECONDS, however long one step
# takes. A running job whose heartbeat is older than the lease has lost its worker
# (killed, or cut off from the database): jobs_reap() fails it, with the version it was
# training and its task result. Every write is a conditional UPDATE, so any number of
# reapers may run at once, a job that still heartbeats is never reaped, and a worker
# that comes back after losing its lease stops at its next step instead of overwriting
# the verdict.


class JobLost(Exception):
    """The job stopped being this worker's (a reaper failed it) while the work ran."""


def job_lease() -> timedelta:
    return timedelta(seconds=settings.STANCE_JOB_LEASE_SECONDS)


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


def _job_run(job: Job, work: Callable[[Progress], ModelVersion | None]) -> Job:
    """Run a queued job once: mark it running, heartbeat while `work` runs, record the end."""
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


def _job_fail(job_id: int, error: str, *, status: str = Job.Status.RUNNING, stale=False) -> bool:
    """Fail the job if it is still in `status` (and, if `stale`, past its lease).

    Also fails the candidate it was training (never the active version: a version a
    failed job made is unfinished, so it must not be selectable) and, for a database
    task, the task's result. Returns whether this call failed it.
    """
    jobs = Job.objects.filter(pk=job_id, status=status)
    if stale:
        jobs = jobs.filter(updated__lt=Now() - job_lease())
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
        if _is_uuid(job.task_id):
            DBTaskResult.objects.filter(pk=job.task_id, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED,
                finished_at=Now(),
                exception_class_path=f"{JobLost.__module__}.{JobLost.__qualname__}",
                traceback=error,
            )
    return True


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def jobs_reap() -> int:
    """Fail the jobs whose worker stopped; how many. Cheap when there are none (one query).

    A running job past its lease lost its worker. A queued job past its lease whose task
    a worker has already taken lost its worker before it started.
    """
    lease = settings.STANCE_JOB_LEASE_SECONDS
    stale = Job.objects.filter(updated__lt=Now() - job_lease())
    reaped = 0
    for pk, message in stale.filter(status=Job.Status.RUNNING).values_list("pk", "message"):
        reason = (
            f"The worker running it stopped, or lost the database, during “{message}” "
            f"(no heartbeat for {lease} s); retry it."
        )
        reaped += _job_fail(pk, reason, stale=True)
    queued = stale.filter(status=Job.Status.QUEUED).exclude(task_id="")
    for pk, task_id in queued.values_list("pk", "task_id"):
        taken_long_ago = (
            _is_uuid(task_id)
            and DBTaskResult.objects.filter(pk=task_id, started_at__lt=Now() - job_lease())
            .exclude(status=TaskResultStatus.READY)
            .exists()
        )
        if taken_long_ago:  # a worker marks its job running the moment it takes the task
            reason = "The worker that took it stopped before starting it; retry it."
            reaped += _job_fail(pk, reason, status=Job.Status.QUEUED, stale=True)
    if reaped:
        log.warning("Failed %d job(s) whose worker stopped", reaped)
    return reaped


def job_give_up(job: Job, reason: str) -> bool:
    """Fail a queued job that no worker has taken (before queueing it again)."""
    return _job_fail(job.pk, reason, status=Job.Status.QUEUED)


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

    return _job_run(job, work)


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

    return _job_run(job, work)
