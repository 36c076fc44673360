"""No article page runs analysis: it shows "analysis pending", queues the analysis once
however many people look, and marks the paragraphs in place when the poll finds it done.
(Issue 14, finding 1: pages ran the missing analysis inside the request.)"""

import pytest
from django.test.utils import override_settings
from django.urls import reverse
from django_tasks import task_backends

from newsroom.services import actor_set
from stance import tasks
from stance.models import ParagraphAnalysis
from stance.services.analysis import articles_analyse
from stance.services.classification import articles_classify
from tests.factories import make_article

pytestmark = pytest.mark.django_db

QUOTED = (
    'Mayor Ann Hale said: "The tolls are a disgrace and must go."\n\n'
    "The council voted 7-2 on Tuesday to raise tolls."
)
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def article(story):
    actor_set(story=story, name="Ann Hale", pronoun="she", aliases=["Hale"])
    return make_article(QUOTED, story=story)


class Queued:
    """The article ids of every analysis queued (a dummy backend: nothing runs)."""

    def __eq__(self, other) -> bool:
        return self.calls == other

    def __repr__(self) -> str:
        return repr(self.calls)

    @property
    def calls(self) -> list[list[int]]:
        return [
            list(result.args[0])
            for result in task_backends["default"].results
            if result.task.name == tasks.analyse_stale.name
        ]


@pytest.fixture
def queued(settings):
    settings.TASKS = DUMMY_TASKS
    return Queued()


def test_the_page_shows_analysis_pending_and_runs_nothing(
    editor_client, article, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = editor_client.get(article.get_absolute_url()).content.decode()
    assert not ParagraphAnalysis.objects.filter(paragraph__article=article).exists()
    assert "Analysis pending" in page
    assert f'hx-get="{reverse("article-analysis", args=[article.pk])}"' in page
    assert 'hx-trigger="every 2s"' in page
    assert page.count(">analysis pending</p>") == 2
    assert 'class="speaker-chip' not in page  # no quote marks without the analysis
    assert queued == [[article.pk]]


def test_many_views_queue_one_analysis(
    editor_client, article, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(32):
            assert editor_client.get(article.get_absolute_url()).status_code == 200
            assert editor_client.get(reverse("article-analysis", args=[article.pk])).status_code
    assert queued == [[article.pk]]


def test_an_edit_while_queued_queues_once_more(
    editor_client, article, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.get(article.get_absolute_url())
        actor_set(story=article.story, name="Harbour Trust", kind="organisation")
        editor_client.get(article.get_absolute_url())
        editor_client.get(article.get_absolute_url())
    assert queued == [[article.pk], [article.pk]]


def test_a_fresh_article_queues_nothing_and_polls_nothing(editor_client, article, queued):
    articles_analyse(articles=[article])
    page = editor_client.get(article.get_absolute_url()).content.decode()
    assert "Analysis pending" not in page and "every 2s" not in page
    assert "analysis pending" not in page
    assert 'class="speaker-chip' in page
    assert queued == []


def test_the_poll_says_pending_until_done_then_marks_the_open_pages(editor_client, article, queued):
    url = reverse("article-analysis", args=[article.pk])
    pending = editor_client.get(url, {"page": "1"}, headers={"HX-Request": "true"})
    assert "Analysis pending" in pending.content.decode()
    assert 'hx-trigger="every 2s"' in pending.content.decode()

    articles_analyse(articles=[article])  # the worker's part
    done = editor_client.get(url, {"page": "1"}, headers={"HX-Request": "true"}).content.decode()
    assert "Analysis done" in done and "every 2s" not in done
    for paragraph in article.paragraphs.all():
        assert f'<p id="text-{paragraph.pk}" hx-swap-oob="true">' in done
        assert f'<p id="analysis-{paragraph.pk}" class="analysis-pending" hx-swap-oob="true">' in (
            done
        )
    assert 'class="speaker-chip' in done  # the quote is marked now
    assert "analysis pending<" not in done


def test_the_poll_marks_only_the_pages_asked_for(editor_client, article):
    articles_analyse(articles=[article])
    url = reverse("article-analysis", args=[article.pk])
    done = editor_client.get(url, {"page": "2"}).content.decode()
    # page 2 of a two-paragraph article is empty: no paragraph is swapped (the share is)
    assert 'id="text-' not in done and 'id="verdict-' not in done
    assert "Analysis done" in done


def test_the_poll_queues_a_lost_task_again_after_its_time(
    editor_client, article, queued, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    url = reverse("article-analysis", args=[article.pk])
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.get(url)
        editor_client.get(url)
        cache.clear()  # the request's key expired: its task never ran
        editor_client.get(url)
    assert queued == [[article.pk], [article.pk]]


@override_settings(TASKS=DUMMY_TASKS)
def test_next_paragraphs_loaded_while_pending_poll_too(editor_client, article, monkeypatch):
    monkeypatch.setattr("newsroom.views.ARTICLE_PAGE_PARAGRAPHS", 1)
    more = editor_client.get(
        article.get_absolute_url(), {"page": "2"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert 'class="analysis-page" name="page" value="2"' in more
    assert 'id="analysis-status"' in more and 'hx-swap-oob="true"' in more


def test_the_queued_task_stores_the_analysis(article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.articles_analysis_request([article]) != {}
    assert tasks.articles_analysis_request([article]) == {}
    assert ParagraphAnalysis.objects.filter(paragraph__article=article).count() == 2


def test_the_done_poll_brings_the_labels_and_the_share_too(
    editor_client, active_classifier, article
):
    """A fresh upload's page may open before its paragraphs are classified: when the poll
    finds the analysis done, the verdicts and the article's share arrive with the marks."""
    tasks.analyse_stale.call([article.pk])  # what the worker runs for the page's request
    url = reverse("article-analysis", args=[article.pk])
    done = editor_client.get(url, {"page": "1"}, headers={"HX-Request": "true"}).content.decode()
    assert f'<div id="share-article-{article.pk}" hx-swap-oob="true">' in done
    assert "% opinion</strong>" in done
    for paragraph in article.paragraphs.all():
        verdict = f'<div class="verdict" id="verdict-{paragraph.pk}"'
        assert verdict in done
        tag = done[done.index(verdict) : done.index(">", done.index(verdict))]
        assert 'hx-swap-oob="true"' in tag
        assert 'data-label=""' not in tag  # classified: news or opinion
    assert "not classified" not in done


def test_the_page_analysis_task_classifies_what_the_active_version_has_not_read(
    active_classifier, article
):
    from stance.models import Prediction

    assert not Prediction.objects.filter(paragraph__article=article).exists()
    tasks.analyse_stale.call([article.pk])
    assert Prediction.objects.filter(paragraph__article=article).count() == 2
    assert ParagraphAnalysis.objects.filter(paragraph__article=article).count() == 2

    first = set(Prediction.objects.values_list("pk", "p_opinion"))
    assert articles_classify(articles=[article], missing_only=True) == 0
    assert set(Prediction.objects.values_list("pk", "p_opinion")) == first
