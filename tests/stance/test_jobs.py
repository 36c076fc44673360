"""stance.jobs: starting, running, reaping and retrying jobs, in-process (SQLite and
PostgreSQL). tests/faults/test_workers.py runs the same with real worker processes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from stance import jobs, pipeline, tasks
from stance.models import Job, ModelVersion, Prediction
from stance.services.versions import model_activate, model_train
from tests.factories import NEWS, OPINION, make_article

pytestmark = pytest.mark.django_db


def _running(kind=Job.Kind.TRAIN, *, age: float, **fields) -> Job:
    job = Job.objects.create(kind=kind, status=Job.Status.RUNNING, message="Training", **fields)
    Job.objects.filter(pk=job.pk).update(updated=timezone.now() - datetime.timedelta(seconds=age))
    return job


@pytest.fixture
def lease(settings):
    settings.STANCE_JOB_LEASE_SECONDS = 30
    return 30


def test_a_running_job_past_its_lease_is_failed_with_the_version_it_was_training(
    active_classifier, lease
):
    training = ModelVersion.objects.create(number=2)  # left "training" by a dead worker
    dead = _running(age=lease + 5, version=training)
    alive = _running(age=lease - 5)
    assert jobs.jobs_reap() == 1
    dead.refresh_from_db()
    training.refresh_from_db()
    assert dead.status == Job.Status.FAILED and dead.finished is not None
    assert "worker running it stopped" in dead.error and "“Training”" in dead.error
    assert training.status == ModelVersion.Status.FAILED and "training job failed" in training.error
    assert Job.objects.get(pk=alive.pk).status == Job.Status.RUNNING
    active_classifier.refresh_from_db()
    assert active_classifier.is_active and active_classifier.status == "ready"
    assert jobs.jobs_reap() == 0  # reaped once


def test_a_queued_job_whose_task_no_worker_took_is_left_queued(lease):
    job = Job.objects.create(kind=Job.Kind.TRAIN, task_id="not-a-database-task")
    Job.objects.filter(pk=job.pk).update(updated=timezone.now() - datetime.timedelta(hours=1))
    assert jobs.jobs_reap() == 0
    assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED


def test_stale_jobs_are_running_ones_past_their_lease_and_queued_ones_no_worker_took(lease):
    dead = _running(age=lease + 5)
    alive = _running(age=lease - 5)
    untaken = Job.objects.create(kind=Job.Kind.REFRESH)
    waiting = Job.objects.create(kind=Job.Kind.REFRESH)
    long_ago = timezone.now() - datetime.timedelta(seconds=Job.STALE_AFTER_SECONDS + 5)
    Job.objects.filter(pk=untaken.pk).update(updated=long_ago)
    done = Job.objects.create(kind=Job.Kind.TRAIN, status=Job.Status.DONE)
    Job.objects.filter(pk=done.pk).update(updated=long_ago)
    assert set(Job.objects.stale()) == {dead, untaken}
    assert set(Job.objects.in_progress()) == {alive, waiting}
    for job in Job.objects.all():  # the loaded row says the same, by this clock
        assert job.is_stalled == (job in {dead, untaken})


def test_a_queued_job_no_worker_took_is_given_up_by_its_retry_and_never_runs_late(
    active_classifier, data_lead, lease
):
    untaken = Job.objects.create(kind=Job.Kind.TRAIN, message="Waiting for a worker")
    long_ago = timezone.now() - datetime.timedelta(seconds=Job.STALE_AFTER_SECONDS + 5)
    Job.objects.filter(pk=untaken.pk).update(updated=long_ago)
    assert jobs.jobs_reap() == 0  # the workers may only be busy: a retry decides
    retry = jobs.job_retry(job=untaken, user=data_lead)
    untaken.refresh_from_db()
    assert untaken.status == Job.Status.FAILED and "No worker took it" in untaken.error
    assert retry.retry_of == untaken and retry.status == Job.Status.DONE
    assert tasks.train_candidate.call(untaken.pk) is None  # its task delivered at last
    untaken.refresh_from_db()
    assert untaken.status == Job.Status.FAILED and "No worker took it" in untaken.error
    assert ModelVersion.objects.count() == 2  # the active one and the retry's candidate


def test_the_models_page_reaps_and_offers_a_retry_that_trains_again(
    active_classifier, data_lead, client, lease
):
    dead = _running(age=lease + 1, created_by=data_lead)
    client.force_login(data_lead)
    page = client.get(reverse("models")).content.decode()
    assert "Failed: The worker running it stopped" in page
    assert reverse("job-retry", args=[dead.pk]) in page
    response = client.post(reverse("job-retry", args=[dead.pk]), follow=True)
    assert "started again" in response.content.decode()
    retry = Job.objects.get(retry_of=dead)
    assert retry.status == Job.Status.DONE and retry.version.status == "ready"
    again = client.post(reverse("job-retry", args=[dead.pk]), follow=True).content.decode()
    assert "already been retried" in again
    assert Job.objects.filter(retry_of=dead).count() == 1


def test_the_job_status_partial_reaps_too(data_lead, client, lease):
    dead = _running(age=lease + 1)
    client.force_login(data_lead)
    body = client.get(reverse("job-status", args=[dead.pk]) + "?was=running")
    assert "Failed:" in body.content.decode() and "jobFinished" in body["HX-Trigger"]
    assert reverse("job-retry", args=[dead.pk]) in body.content.decode()


def test_a_failed_refresh_is_retried_for_the_active_version_only(
    active_classifier, data_lead, client, lease
):
    make_article("\n\n".join(NEWS[:3] + OPINION[:3]))
    failed = _running(Job.Kind.REFRESH, age=lease + 1, version=active_classifier)
    client.force_login(data_lead)
    client.post(reverse("job-retry", args=[failed.pk]))
    retry = Job.objects.get(retry_of=failed)
    assert retry.status == Job.Status.DONE
    assert Prediction.objects.filter(version=active_classifier).count() == 6
    newer = model_activate(version=model_train())
    stale = _running(Job.Kind.REFRESH, age=lease + 1, version=active_classifier)
    response = client.post(reverse("job-retry", args=[stale.pk]), follow=True)
    assert "no longer active" in response.content.decode()
    assert not Job.objects.filter(retry_of=stale).exists() and newer.is_active


def test_editors_cannot_retry(editor_client, lease):
    dead = _running(age=lease + 1)
    assert editor_client.post(reverse("job-retry", args=[dead.pk])).status_code == 403


def test_a_job_runs_once_and_a_done_job_is_not_retried(active_classifier, data_lead):
    job = jobs.candidate_train_start(user=data_lead)
    assert job.status == Job.Status.DONE
    assert tasks.train_candidate.call(job.pk) == job.version_id  # the task delivered twice
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and ModelVersion.objects.count() == 2
    with pytest.raises(ValidationError, match="Only a failed job"):
        jobs.job_retry(job=job, user=data_lead)


def test_a_worker_told_to_stop_mid_training_fails_the_job_and_its_version(
    active_classifier, data_lead, monkeypatch
):
    def stop(*args, **kwargs):
        raise SystemExit(1)

    monkeypatch.setattr(pipeline, "train", stop)
    job = Job.objects.create(kind=Job.Kind.TRAIN, created_by=data_lead)
    with pytest.raises(SystemExit):
        jobs.candidate_train(job=job)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "SystemExit" in job.error
    assert job.version.status == ModelVersion.Status.FAILED
    assert ModelVersion.objects.get(is_active=True) == active_classifier


def test_a_job_reaped_while_its_worker_still_runs_stops_at_its_next_step(
    active_classifier, data_lead, lease
):
    job = Job.objects.create(kind=Job.Kind.REFRESH, version=active_classifier)

    def work(progress):
        Job.objects.filter(pk=job.pk).update(
            updated=timezone.now() - datetime.timedelta(seconds=lease + 1)
        )
        jobs.jobs_reap()  # another process decides this worker is dead
        progress("Next step", 0.5)  # the worker wakes up: must not carry on
        raise AssertionError("progress() should have stopped the work")

    job = jobs.job_execute(job=job, work=work)
    assert job.status == Job.Status.FAILED and "stopped" in job.error
    assert job.message != "Next step"


def test_a_task_whose_job_failed_raises_so_the_worker_log_says_so(settings, data_lead, tmp_path):
    settings.STANCE_STARTER_CORPUS = tmp_path / "missing.tsv"
    job = Job.objects.create(kind=Job.Kind.TRAIN, created_by=data_lead)
    with pytest.raises(jobs.JobFailed, match="missing.tsv"):
        tasks.train_candidate.call(job.pk)
