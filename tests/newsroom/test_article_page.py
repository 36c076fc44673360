"""An article page for reading: no ingest markers, real dates, absolute times on hover,
and long articles a page of paragraphs at a time."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from newsroom.models import Paragraph
from newsroom.views import ARTICLE_PAGE_PARAGRAPHS
from stance.services.labels import label_create
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def _positions(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<li class="para[^"]*" id="p(\d+)"', html)]


def test_block_kinds_are_styling_not_markers(editor_client):
    article = make_article(
        "Council row\n\nThe council met.\n\n- a) rates rise\n\n- b) wharf closes\n\nWith NZPA",
        published=datetime.date(2010, 6, 3),
    )
    kinds = dict(article.paragraphs.values_list("position", "kind"))
    page = editor_client.get(article.get_absolute_url()).content.decode()
    for marker in ["List item", "Credit line", "Block quote", "kind-label"]:
        assert marker not in page
    for position, kind in kinds.items():
        assert f'class="para kind-{kind}' in page.split(f'id="p{position}"')[0].rsplit("<li", 1)[1]
    assert (
        '<time datetime="2010-06-03" title="Published Thursday 3 June 2010">3 June 2010</time>'
        in page
    )


def test_an_undated_article_says_so(editor_client):
    page = editor_client.get(make_article().get_absolute_url()).content.decode()
    assert "date not given" in page


def test_label_times_read_just_now_with_the_exact_time_on_hover(
    editor_client, editor, active_classifier
):
    article = make_article()
    label_create(paragraph=article.paragraphs.first(), editor=editor, label="news")
    page = editor_client.get(article.get_absolute_url()).content.decode()
    assert re.search(
        r'<time datetime="[^"]+" title="\d{1,2} \w+ \d{4}, \d\d:\d\d">just now</time>', page
    )
    assert "0\xa0minutes ago" not in page


@pytest.fixture
def long_article():
    article = make_article("First paragraph.")
    Paragraph.objects.bulk_create(
        Paragraph(article=article, position=n, text=f"Paragraph number {n} says something.")
        for n in range(2, 451)
    )
    return article


def test_a_long_article_shows_one_page_of_paragraphs_then_loads_the_next_in_place(
    editor_client, long_article
):
    size = ARTICLE_PAGE_PARAGRAPHS
    page = editor_client.get(long_article.get_absolute_url()).content.decode()
    assert _positions(page) == list(range(1, size + 1))
    assert f"Show paragraphs {size + 1}–{2 * size} of 450" in page
    more = editor_client.get(
        long_article.get_absolute_url() + "?page=2", headers={"HX-Request": "true"}
    ).content.decode()
    assert "<html" not in more
    assert _positions(more) == list(range(size + 1, 2 * size + 1))
    assert f"Show paragraphs {2 * size + 1}–450 of 450" in more
    last = editor_client.get(
        long_article.get_absolute_url() + "?page=3", headers={"HX-Request": "true"}
    ).content.decode()
    assert _positions(last) == list(range(2 * size + 1, 451)) and "Show paragraphs" not in last


def test_a_later_page_opened_directly_links_back(editor_client, long_article):
    page = editor_client.get(long_article.get_absolute_url() + "?page=3").content.decode()
    assert _positions(page)[0] == 2 * ARTICLE_PAGE_PARAGRAPHS + 1
    assert "?page=2" in page and "of 450" in page
    # Out of range or nonsense: the nearest real page.
    assert (
        _positions(
            editor_client.get(long_article.get_absolute_url() + "?page=99").content.decode()
        )[-1]
        == 450
    )
    assert (
        _positions(editor_client.get(long_article.get_absolute_url() + "?page=x").content.decode())[
            0
        ]
        == 1
    )


def test_the_page_size_bounds_a_huge_articles_page(editor_client):
    article = make_article("First paragraph.")
    Paragraph.objects.bulk_create(
        Paragraph(article=article, position=n, text="A paragraph of some ordinary length. " * 4)
        for n in range(2, 1501)
    )
    response = editor_client.get(reverse("article-detail", args=[article.pk]))
    assert len(_positions(response.content.decode())) == ARTICLE_PAGE_PARAGRAPHS
    assert len(response.content) < 400_000


# --- The paragraphs are rendered into the cache per state of the story and the article ---


def test_the_paragraphs_are_served_from_the_cache_until_a_label_moves_them(
    editor_client, editor, active_classifier, django_assert_num_queries
):
    article = make_article("The council met on Monday.\n\nIt was frankly a farce.")
    other = make_article("Another piece of the same story.", story=article.story)
    url = article.get_absolute_url()
    first = editor_client.get(url).content.decode()
    with CaptureQueriesContext(connection) as cached:
        assert _positions(editor_client.get(url).content.decode()) == _positions(first) == [1, 2]
    label_create(paragraph=other.paragraphs.first(), editor=editor, label="news")
    make_article("A third piece of the story arrives.", story=article.story)
    # a label in, or a new, other article leaves this one's cached: no more queries than a hit
    with django_assert_num_queries(len(cached)):
        assert "labelled by ed" not in editor_client.get(url).content.decode()
    label_create(paragraph=article.paragraphs.first(), editor=editor, label="news")
    with CaptureQueriesContext(connection) as rendered:
        page = editor_client.get(url).content.decode()
    assert len(rendered) > len(cached)  # the paragraphs' verdicts and marks read again
    assert "labelled by ed" in page and "labelled by ed" not in first


def test_the_cached_paragraphs_hold_no_token_and_post_with_the_bodys(
    editor_client, active_classifier
):
    article = make_article("The council met on Monday.\n\nIt was frankly a farce.")
    for _ in range(2):  # rendered, then from the cache
        page = editor_client.get(article.get_absolute_url()).content.decode()
        paragraphs = page[page.index('<ol class="paragraphs"') : page.index("</ol>")]
        assert "hx-post=" in paragraphs and "csrfmiddlewaretoken" not in paragraphs
        assert re.search(r'<body hx-headers=\'\{"X-CSRFToken": "\w+"\}\'', page)
        # without JavaScript, a paragraph's own page labels it
        assert reverse("paragraph-explain", args=[article.paragraphs.first().pk]) in paragraphs
