"""One refresh rule: every activation queues the refresh of stored predictions, once."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from newsroom.models import Paragraph
from stance import jobs
from stance.models import Job, ModelVersion, Prediction
from stance.services.versions import model_activate, model_train
from tests.factories import NEWS, OPINION, make_article

pytestmark = pytest.mark.django_db

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _unpredicted_by_active() -> int:
    active = ModelVersion.objects.get(is_active=True)
    return Paragraph.objects.classifiable().exclude(predictions__version=active).count()


@pytest.fixture
def articles(tiny_corpus):
    """Two articles stored before any version exists, so none of them is classified."""
    made = [make_article("\n\n".join(NEWS[:6])), make_article("\n\n".join(OPINION[:6]))]
    assert not Prediction.objects.exists()
    return made


def test_train_classifier_activate_classifies_every_paragraph_on_a_fresh_setup(
    articles, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("train_classifier", "--activate", stdout=io.StringIO(), stderr=io.StringIO())
    assert Paragraph.objects.classifiable().count() == 12
    assert _unpredicted_by_active() == 0
    refresh = Job.objects.get(kind=Job.Kind.REFRESH)
    assert refresh.status == Job.Status.DONE and refresh.version.is_active


def test_activating_in_the_admin_refreshes_predictions(
    articles, admin_user, admin_client, django_capture_on_commit_callbacks
):
    version = model_train()
    changelist = reverse("admin:stance_modelversion_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            changelist, {"action": "activate", "_selected_action": [version.pk]}
        )
    assert response.status_code == 302
    assert _unpredicted_by_active() == 0
    assert Job.objects.get(kind=Job.Kind.REFRESH).created_by == admin_user


def test_a_rollback_refreshes_the_older_versions_predictions(
    articles, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = model_train(activate=True)
        model_train(activate=True, random_state=1)
    Paragraph.objects.filter(pk=articles[0].paragraphs.first().pk).update(text="Edited text.")
    Prediction.objects.filter(version=first).delete()
    with django_capture_on_commit_callbacks(execute=True):
        model_activate(version=first)
    assert _unpredicted_by_active() == 0
    assert Job.objects.filter(kind=Job.Kind.REFRESH, version=first).count() == 1


def test_activation_queues_nothing_until_its_transaction_commits(
    articles, django_capture_on_commit_callbacks
):
    version = model_train()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        model_activate(version=version)
    assert len(callbacks) == 1
    assert not Job.objects.exists()


def test_activating_the_active_version_again_queues_no_refresh(
    articles, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = model_train(activate=True)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        model_activate(version=version)
    assert callbacks == []
    assert Job.objects.filter(kind=Job.Kind.REFRESH).count() == 1


def test_activations_while_a_refresh_is_queued_coalesce_into_one(
    articles, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY_TASKS  # jobs stay queued, as with busy workers
    versions = [model_train(random_state=seed) for seed in range(4)]
    for version in versions:  # four activations, each committed before the next
        with django_capture_on_commit_callbacks(execute=True):
            model_activate(version=version)
    with django_capture_on_commit_callbacks(execute=True):  # a second caller, same version
        jobs.predictions_refresh_after_activation(version=versions[-1])
    queued = Job.objects.filter(kind=Job.Kind.REFRESH, status=Job.Status.QUEUED)
    assert list(queued.values_list("version", flat=True)) == [versions[-1].pk]
    superseded = Job.objects.filter(kind=Job.Kind.REFRESH, status=Job.Status.DONE)
    assert superseded.count() == 3
    assert all(job.message.startswith("Superseded") for job in superseded)


def test_activations_committed_together_queue_one_refresh_for_the_last(
    articles, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY_TASKS
    versions = [model_train(random_state=seed) for seed in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        for version in versions:
            model_activate(version=version)
    assert list(Job.objects.values_list("kind", "version")) == [(Job.Kind.REFRESH, versions[-1].pk)]


def test_a_refresh_of_a_version_no_longer_active_does_no_work(articles):
    first = model_train(activate=True)
    job = Job.objects.create(kind=Job.Kind.REFRESH, version=first)
    model_activate(version=model_train(random_state=1))
    job = jobs.predictions_refresh(job=job)
    assert job.status == Job.Status.DONE and "no longer active" in job.message
    assert not Prediction.objects.filter(version=first).exists()
