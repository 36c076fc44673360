"""Live pages: a label's response carries every figure it changes on the page it came from."""

import pytest
from django.urls import reverse

from tests.factories import make_classified_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(active_classifier):
    return make_classified_article("The council met on Monday.\n\nIt was frankly a farce.")


def _label(client, paragraph, value, current_url):
    return client.post(
        reverse("paragraph-label", args=[paragraph.pk]),
        {"label": value},
        headers={"HX-Request": "true", "HX-Current-URL": current_url},
    )


def test_a_label_on_the_article_page_swaps_in_the_new_share_and_colour(article, editor_client):
    first, second = article.paragraphs.order_by("position")
    url = "http://testserver" + article.get_absolute_url()
    page = _label(editor_client, first, "opinion", url).content.decode()
    assert 'data-label="opinion"' in page  # the verdict, which the paragraph's colour follows
    assert f'<div id="share-article-{article.pk}" hx-swap-oob="true">' in page
    page = _label(editor_client, second, "opinion", url).content.decode()
    assert "100% opinion" in page and "2 of 2 paragraphs" in page
    page = _label(editor_client, first, "news", url).content.decode()
    assert "50% opinion" in page and 'data-label="news"' in page


def test_the_share_is_sent_only_to_its_article_page(article, editor_client):
    compare = "http://testserver" + reverse("story-compare", args=[article.story.slug])
    response = _label(editor_client, article.paragraphs.first(), "opinion", compare)
    assert f'id="share-article-{article.pk}"' not in response.content.decode()
    assert "labelled" in response["HX-Trigger"]


def test_a_label_on_the_compare_page_swaps_in_its_summaries(article, editor_client):
    first, second = article.paragraphs.order_by("position")
    compare = reverse("story-compare", args=[article.story.slug])
    page = editor_client.get(compare).content.decode()
    assert "Not classified yet" not in page and "<strong>0%</strong> of paragraphs" in page
    url = f"http://testserver{compare}?pieces={article.pk}"
    answer = _label(editor_client, first, "opinion", url).content.decode()
    summaries = answer[answer.index('<section class="summaries"') :]
    assert summaries.startswith('<section class="summaries" id="summaries"')
    assert 'hx-swap-oob="true"' in summaries.split(">")[0]
    assert "<strong>50%</strong> of paragraphs" in summaries and "1 of 2 paragraphs" in summaries
    # the page itself, served from the cache after the label, says the same
    assert "<strong>50%</strong> of paragraphs" in editor_client.get(compare).content.decode()


def test_the_compare_summaries_come_alone_for_htmx(article, editor_client):
    summaries = editor_client.get(
        reverse("story-compare", args=[article.story.slug]),
        headers={"HX-Request": "true", "HX-Target": "summaries"},
    ).content.decode()
    assert summaries.lstrip().startswith('<section class="summaries" id="summaries"')
    assert 'id="columns"' not in summaries and "<html" not in summaries
