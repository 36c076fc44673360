import pytest
from django.urls import reverse

from tests.factories import make_article, make_classified_article

pytestmark = pytest.mark.django_db

TEXT = 'Rates rise\n\n"It is a disgrace," the mayor said.\n\nThis is frankly absurd, surely?'


@pytest.fixture
def article(active_classifier):
    return make_classified_article(TEXT)


def test_the_article_shows_each_paragraphs_label_probability_and_version(editor_client, article):
    page = editor_client.get(article.get_absolute_url()).content.decode()
    assert "p(opinion)" in page
    assert 'class="label-chip label-opinion"' in page
    assert "News/opinion classifier v1" in page
    assert "% opinion" in page


def test_the_story_shows_its_opinion_share(editor_client, article):
    page = editor_client.get(article.story.get_absolute_url()).content.decode()
    assert "% opinion" in page
    assert "/2)" in page  # of the two classified paragraphs


def test_the_explanation_swaps_in_as_a_partial(editor_client, article):
    quote = article.paragraphs.get(position=2)
    url = reverse("paragraph-explain", args=[quote.pk])
    response = editor_client.get(url, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page and page.lstrip().startswith("<section")
    assert "p(opinion)" in page
    assert '<mark class="quote">' in page  # the quoted speech is marked
    assert "Pushes toward" in page


def test_the_explanation_is_a_page_of_its_own_without_javascript(editor_client, article):
    paragraph = article.paragraphs.get(position=3)
    page = editor_client.get(reverse("paragraph-explain", args=[paragraph.pk])).content.decode()
    assert "<html" in page and "Paragraph 3" in page and "p(opinion)" in page


def test_a_heading_has_nothing_to_explain(editor_client, article):
    heading = article.paragraphs.get(position=1)
    page = editor_client.get(
        reverse("paragraph-explain", args=[heading.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert "Headings are not classified." in page


def test_unclassified_articles_say_so(editor_client, db):
    page = editor_client.get(make_article().get_absolute_url()).content.decode()
    assert "No classifier is active yet" in page


def test_anonymous_visitors_cannot_see_explanations(client, article):
    response = client.get(reverse("paragraph-explain", args=[article.paragraphs.first().pk]))
    assert response.status_code == 302


def test_why_is_worked_out_by_a_task_queued_once_and_the_slot_asks_until_it_is_there(
    editor_client, article, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    from stance.tasks import explain_paragraph

    default_task_backend.clear()
    paragraph = article.paragraphs.get(position=3)
    url = reverse("paragraph-explain", args=[paragraph.pk])
    for _ in range(3):
        page = editor_client.get(url, headers={"HX-Request": "true"}).content.decode()
        assert (
            "Working out why" in page and f'hx-get="{url}"' in page and "Pushes toward" not in page
        )
    assert [r.args for r in default_task_backend.results] == [[paragraph.pk]]  # queued once
    explain_paragraph.call(paragraph.pk)  # the worker runs it
    page = editor_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Working out why" not in page and "Pushes toward" in page
    default_task_backend.clear()
