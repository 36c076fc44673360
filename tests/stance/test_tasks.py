"""stance.tasks: the background tasks, each safe to run twice (a task may be delivered
twice, and Retry queues work again)."""

import pytest

from newsroom.models import Actor, Paragraph
from stance import jobs, tasks
from stance.models import Job, ModelVersion, ParagraphAnalysis, Prediction
from tests.factories import (
    NEWS,
    OPINION,
    TOLLS_COLUMN,
    TOLLS_REPORT,
    make_article,
    make_outlet,
    make_story,
)

pytestmark = pytest.mark.django_db


def test_analysing_uploaded_articles_proposes_actors_classifies_and_analyses(active_classifier):
    story = make_story("Harbour tolls")
    report = make_article(TOLLS_REPORT, story=story, headline="Council to appeal toll ruling")
    column = make_article(TOLLS_COLUMN, story=story, outlet=make_outlet("The Column"))
    classified = tasks.analyse_articles.call([report.pk, column.pk])
    assert classified == Paragraph.objects.classifiable().count() == 7
    assert Prediction.objects.count() == 7
    assert {a.name for a in story.actors.proposed()} == {"Ann Hale", "Tom Reyes"}
    assert ParagraphAnalysis.objects.filter(paragraph__article=column).count() == 2


def test_analysing_the_same_articles_twice_changes_nothing(active_classifier):
    story = make_story("Harbour tolls")
    article = make_article(TOLLS_REPORT, story=story, headline="Council to appeal toll ruling")
    tasks.analyse_articles.call([article.pk])

    def stored():
        return (
            sorted(Actor.objects.values_list("name", "aliases", "updated")),
            sorted(ParagraphAnalysis.objects.values_list("paragraph", "signature", "created")),
            sorted(Prediction.objects.values_list("paragraph", "version", "label")),
        )

    before = stored()
    tasks.analyse_articles.call([article.pk])
    assert stored() == before


def test_a_refresh_delivered_twice_refreshes_once(active_classifier):
    make_article("\n\n".join(NEWS[:3] + OPINION[:3]))
    Prediction.objects.all().delete()
    job = jobs.predictions_refresh_start(version=active_classifier, user=None)
    assert job.status == Job.Status.DONE and Prediction.objects.count() == 6
    finished = job.finished
    assert tasks.refresh_predictions.call(job.pk) == active_classifier.pk
    job.refresh_from_db()
    assert job.finished == finished and Prediction.objects.count() == 6


def test_a_retrain_delivered_twice_trains_one_candidate(active_classifier):
    job = jobs.candidate_train_start(user=None)
    assert tasks.train_candidate.call(job.pk) == job.version_id
    assert ModelVersion.objects.count() == 2  # the active version and one candidate
    assert Job.objects.get().version.number == 2
