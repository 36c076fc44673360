"""Kill worker processes mid-task; cut a worker off from the database; count executions.

Real `manage.py task_worker` processes on the PostgreSQL test database (skipped on
SQLite). Afterwards: one active version, no half-written model, no lost label, the job
failed with a reason and retryable, and the retry completes on another worker.
"""

import os
import threading
import time

import psycopg
import psycopg.sql
import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from newsroom.models import Paragraph
from stance import jobs
from stance.models import Job, Label, ModelVersion, Prediction
from stance.services.classification import CLASSIFY_BATCH
from stance.services.labels import label_create
from stance.services.training_sets import training_set_import
from stance.services.versions import model_activate, model_train
from tests.factories import NEWS, OPINION, make_article, make_classified_article, make_user
from tests.faults.conftest import LEASE_SECONDS, LabelWriter, assert_versions_sound, wait_for
from tests.faults.probe import record_run

# Time for a worker process to start (imports), run a job, and for a lease to run out.
START = 30
REAP = LEASE_SECONDS * 3 + START


def _job(pk: int) -> Job:
    return Job.objects.select_related("version").get(pk=pk)


def _status(pk: int, *statuses: str) -> Job | None:
    job = _job(pk)
    return job if job.status in statuses else None


def _synthetic_rows(n: int) -> str:
    """A labelled TSV of `n` distinct rows, to make training take a few seconds."""
    lines = ["id\ttext\tlabel"]
    base = [(t, "news") for t in NEWS] + [(t, "opinion") for t in OPINION]
    for i in range(n):
        text, label = base[i % len(base)]
        lines.append(f"s{i}\t{text} (Item {i}, batch {i // len(base)}.)\t{label}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def newsroom(tiny_corpus, workers):
    """An active classifier (v1), an article with editor labels, a data lead."""
    v1 = model_train(activate=True)
    article = make_classified_article("\n\n".join(NEWS[:4] + OPINION[:4]))
    paragraphs = list(article.paragraphs.classifiable())
    editor, lead = make_user("ed"), make_user("lead")
    for paragraph in paragraphs[:3]:
        label_create(paragraph=paragraph, editor=editor, label="news")
    return {"v1": v1, "paragraphs": paragraphs, "editor": editor, "lead": lead}


def _runner(job: Job) -> str:
    """The id of the worker that took the job's task."""
    return DBTaskResult.objects.get(pk=job.task_id).worker_ids[-1]


def test_killing_a_worker_mid_training_loses_nothing_and_the_retry_completes(newsroom, workers):
    # Imported rows make the worker's training take a few seconds (the starter corpus
    # alone trains in under one), so the kill lands inside it.
    training_set_import(name="slow.tsv", content=_synthetic_rows(3000))
    labels_before = set(Label.objects.values_list("pk", flat=True))
    pool = workers.start(2)
    _wait_started(workers, pool)
    writer = LabelWriter(newsroom["paragraphs"], newsroom["editor"])
    writer.start()
    job = jobs.candidate_train_start(user=newsroom["lead"])
    assert job.status == Job.Status.QUEUED and job.task_id

    def training():
        job = _job(job_pk)
        return job.status == Job.Status.RUNNING and job.message.startswith("Training on")

    job_pk = job.pk
    wait_for(training, timeout=START, what=f"a worker to start training\n{workers.logs()}")
    runner = _runner(job)
    workers.kill(runner)
    killed_version = _job(job_pk).version
    assert killed_version.status == ModelVersion.Status.TRAINING  # killed mid-way

    failed = wait_for(
        lambda: _status(job_pk, Job.Status.FAILED),
        timeout=REAP,
        what=f"the other worker's reaper to fail the job\n{workers.logs()}",
    )
    assert "worker running it stopped" in failed.error and "Training on" in failed.error
    killed_version.refresh_from_db()
    assert killed_version.status == ModelVersion.Status.FAILED
    assert assert_versions_sound() == newsroom["v1"]

    done = _retried(failed, newsroom["lead"], workers, what="the retry")
    created = writer.stop()
    assert done.status == Job.Status.DONE, done.error
    assert done.version.status == "ready" and "editor_eval" in done.version.metrics
    assert _runner(done) in set(pool) - {runner}
    assert assert_versions_sound() == newsroom["v1"]  # a candidate: activation is a choice
    labels = set(Label.objects.values_list("pk", flat=True))
    assert len(created) > 10 and labels == labels_before | set(created)


def test_killing_a_worker_mid_refresh_then_retrying_completes_the_predictions(newsroom, workers):
    pool = workers.start(2)
    _wait_started(workers, pool)
    # Enough paragraphs for several chunks of CLASSIFY_BATCH, so the kill lands between two.
    article = make_article("The council met.", headline="Long")
    texts = NEWS + OPINION
    Paragraph.objects.bulk_create(
        Paragraph(article=article, position=10 + i, text=f"{texts[i % len(texts)]} ({i})")
        for i in range(12 * CLASSIFY_BATCH)
    )
    classifiable = Paragraph.objects.classifiable().count()
    v2 = model_activate(version=model_train(random_state=1))
    labels_before = set(Label.objects.values_list("pk", flat=True))
    writer = LabelWriter(newsroom["paragraphs"], newsroom["editor"])
    writer.start()
    job = jobs.predictions_refresh_start(version=v2, user=newsroom["lead"])

    def refreshing():
        job = _job(job_pk)
        # early, so that a loaded machine's delay before the kill still lands mid-way
        return job.status == Job.Status.RUNNING and 0 < job.progress < 0.25

    job_pk = job.pk
    wait_for(refreshing, timeout=START, what=f"the refresh to get going\n{workers.logs()}")
    runner = _runner(job)
    workers.kill(runner)
    partial = Prediction.objects.filter(version=v2).count()
    assert 0 < partial < classifiable  # killed mid-way

    failed = wait_for(
        lambda: _status(job_pk, Job.Status.FAILED),
        timeout=REAP,
        what=f"the reaper to fail the refresh\n{workers.logs()}",
    )
    assert "Classified" in failed.error
    assert assert_versions_sound() == v2

    done = _retried(failed, newsroom["lead"], workers, what="the retried refresh")
    created = writer.stop()
    assert done.status == Job.Status.DONE, done.error
    assert _runner(done) in set(pool) - {runner}
    assert Prediction.objects.filter(version=v2).count() == classifiable
    assert assert_versions_sound() == v2
    labels = set(Label.objects.values_list("pk", flat=True))
    assert len(created) > 10 and labels == labels_before | set(created)


def _retried(failed: Job, user, workers, *, what: str) -> Job:
    """The failed job retried by `user`, once the retry has finished (done or failed)."""
    retry = jobs.job_retry(job=failed, user=user)
    return wait_for(
        lambda: _status(retry.pk, Job.Status.DONE, Job.Status.FAILED),
        timeout=START * 2,
        what=f"{what} to finish\n{workers.logs()}",
    )


def _started(workers, *worker_ids):
    return all(f"worker_id={w}" in workers.logs() for w in worker_ids)


def _wait_started(workers, pool) -> None:
    """Wait for the workers' imports, so a loaded machine does not eat a job's time."""
    wait_for(lambda: _started(workers, *pool), timeout=START * 2, what="the workers to start")


def test_two_workers_run_every_task_exactly_once(workers, tmp_path):
    pool = workers.start(2)
    _wait_started(workers, pool)
    runs, count = tmp_path / "runs.txt", 150
    with transaction.atomic():  # all visible at once, so both workers find work
        results = [record_run.enqueue(str(runs), n) for n in range(count)]

    def finished():
        return DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == count

    wait_for(finished, timeout=START * 2, what=f"{count} tasks to run\n{workers.logs()}")
    lines = [line.split() for line in runs.read_text().splitlines()]
    assert sorted(int(n) for n, _ in lines) == list(range(count))  # each ran, none twice
    assert {int(pid) for _, pid in lines} == {workers.procs[w].pid for w in pool}  # both ran
    claims = DBTaskResult.objects.filter(pk__in=[r.id for r in results])
    assert sorted(len(ids) for ids in claims.values_list("worker_ids", flat=True)) == [1] * count
    # and they ran below the app's CPU priority (TASK_WORKER_NICE), leaving pages the CPU
    lower = min(19, os.getpriority(os.PRIO_PROCESS, 0) + django_settings.TASK_WORKER_NICE)
    assert [os.getpriority(os.PRIO_PROCESS, workers.procs[w].pid) for w in pool] == [lower] * 2


def test_a_worker_cut_off_from_the_database_waits_and_carries_on(workers, tmp_path):
    runs = tmp_path / "runs.txt"
    (worker,) = workers.start()
    record_run.enqueue(str(runs), 1)
    wait_for(runs.exists, timeout=START, what=f"the first task\n{workers.logs()}")
    db = connection.settings_dict
    admin = psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    name = psycopg.sql.Identifier(db["NAME"])
    try:
        # An outage of this database only: no new sessions, and the worker's are cut.
        admin.execute(psycopg.sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false").format(name))
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> %s",
            [db["NAME"], connection.connection.info.backend_pid],
        )
        wait_for(
            lambda: "lost the database" in workers.logs(),
            timeout=10,
            what=f"the worker to notice\n{workers.logs()}",
        )
        time.sleep(1.5)  # a retry or two while still cut off
        assert workers.alive(worker), workers.logs()  # `db_worker` exits here
    finally:
        admin.execute(psycopg.sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true").format(name))
        admin.close()
    record_run.enqueue(str(runs), 2)
    wait_for(
        lambda: len(runs.read_text().splitlines()) == 2,
        timeout=30,
        what=f"the worker to run a task after the outage\n{workers.logs()}",
    )
    assert workers.alive(worker)


def test_a_job_that_outlives_its_lease_keeps_it_by_heartbeat(workers, settings, active_classifier):
    settings.STANCE_JOB_LEASE_SECONDS = 2
    job = Job.objects.create(kind=Job.Kind.REFRESH, version=active_classifier)
    reaped = []
    stop = threading.Event()

    def reaper():
        try:
            while not stop.is_set():
                reaped.append(jobs.jobs_reap())
                time.sleep(0.1)
        finally:
            connection.close()

    thread = threading.Thread(target=reaper)
    thread.start()
    try:
        # One step two leases long, with no progress reported: only the heartbeat.
        job = jobs.job_execute(job=job, work=lambda progress: time.sleep(4))
    finally:
        stop.set()
        thread.join()
    assert job.status == Job.Status.DONE and sum(reaped) == 0 and len(reaped) > 10
