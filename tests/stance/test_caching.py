"""stance.caching: entries computed once while many requests want them."""

import io
import threading
import time

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from newsroom.models import Story
from stance import caching, views
from stance.services.labels import label_create

pages = caching.RenderedOnce(lock_seconds=5)


def test_a_page_is_rendered_once_and_then_served_as_current():
    calls = []
    assert pages("page:a", "latest", lambda: calls.append(1) or ("A", 60)) == ("A", True)
    assert pages("page:a", "latest", lambda: calls.append(1) or ("A", 60)) == ("A", True)
    assert calls == [1]


def test_while_another_caller_renders_a_new_state_the_latest_rendering_is_shown():
    pages("page:a", "latest", lambda: ("A", 60))
    cache.add("page:b:rendering", 1, 5)  # another process renders state b
    assert pages("page:b", "latest", lambda: ("B", 60)) == ("A", False)
    # an htmx request, which swaps a part in, waits for the render instead
    threading.Timer(0.2, lambda: cache.set("page:b", "B", 60)).start()
    started = time.monotonic()
    assert pages("page:b", "latest", lambda: ("mine", 60), latest_ok=False) == ("B", True)
    assert time.monotonic() - started < 4


def test_without_a_latest_rendering_a_caller_waits_and_renders_if_the_renderer_gave_up():
    cache.add("page:c:rendering", 1, 5)
    threading.Timer(0.2, lambda: cache.delete("page:c:rendering")).start()  # it failed
    assert pages("page:c", "latest-c", lambda: ("C", 60)) == ("C", True)
    assert cache.get("latest-c") == "C" and cache.get("page:c:rendering") is None


def test_a_page_not_rendered_yet_is_shown_as_soon_as_any_of_its_states_is():
    cache.add("page:d2:rendering", 1, 5)  # its second state renders, its first is rendering
    threading.Timer(0.2, lambda: cache.set("latest-d", "D1", 60)).start()  # the first is done
    assert pages("page:d2", "latest-d", lambda: ("mine", 60)) == ("D1", False)


@pytest.mark.django_db
def test_the_compare_page_shows_its_latest_rendering_while_the_new_one_renders(
    editor_client, editor, tiny_corpus
):
    call_command("seed_demo", stdout=io.StringIO())
    story = Story.objects.get(slug="goff-carter")
    url = reverse("story-compare", args=[story.slug])
    page = editor_client.get(url).content.decode()
    assert 'id="compare-updating"' not in page and "labelled by ed" not in page
    paragraph = story.articles.get(genre="opinion").paragraphs.filter(kind="paragraph").first()
    label_create(paragraph=paragraph, editor=editor, label="news")
    rendering = []
    real_add = cache.add

    def another_process_renders(key, *args, **kwargs):
        if key.startswith("compare-page:") and not rendering:
            rendering.append(key)
            return False  # as if another request held the lock
        return real_add(key, *args, **kwargs)

    views.cache.add = another_process_renders  # the same object as caching.cache
    try:
        page = editor_client.get(url).content.decode()
    finally:
        views.cache.add = real_add
    assert rendering and 'id="compare-updating"' in page  # asks for its columns again
    assert "labelled by ed" not in page  # the latest rendering, from before the label
    columns = editor_client.get(url, headers={"HX-Request": "true", "HX-Target": "columns"})
    assert "labelled by ed" in columns.content.decode()
    page = editor_client.get(url).content.decode()
    assert 'id="compare-updating"' not in page and "labelled by ed" in page
