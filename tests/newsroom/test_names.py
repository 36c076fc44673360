"""Names and titles: any script, no invisible characters, no silent merging of stories."""

import pytest
from django.urls import reverse

from newsroom.models import Actor, Outlet, Story
from newsroom.services import outlet_get_or_create, story_get_or_create
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_cyrillic_story_title_gets_a_story_and_its_pages(editor_client):
    story = story_get_or_create(title="Выборы в Думу 2026")
    assert story.slug == "выборы-в-думу-2026"
    make_article(story=story)
    for url in [story.get_absolute_url(), reverse("story-compare", args=[story.slug])]:
        assert editor_client.get(url).status_code == 200, url


def test_a_new_title_with_a_taken_slug_gets_its_own_story():
    first = story_get_or_create(title="Goff Carter row")
    second = story_get_or_create(title="Goff: Carter row")
    third = story_get_or_create(title="Goff — Carter row")
    assert [first.slug, second.slug, third.slug] == [
        "goff-carter-row",
        "goff-carter-row-2",
        "goff-carter-row-3",
    ]
    assert second.title == "Goff: Carter row" and Story.objects.count() == 3


def test_the_same_title_or_an_explicit_slug_is_the_same_story():
    story = story_get_or_create(title="Harbour bridge tolls")
    assert story_get_or_create(title="  harbour  bridge\u200b tolls ") == story
    assert story_get_or_create(title="Anything", slug=story.slug) == story
    assert Story.objects.count() == 1


def test_zero_width_and_bidi_characters_never_make_a_second_outlet():
    outlet = outlet_get_or_create(name="The Daily Record")
    assert outlet_get_or_create(name="The Daily\u200b Record") == outlet
    assert outlet_get_or_create(name="\u202aThe Daily Record\u202c") == outlet
    assert Outlet.objects.count() == 1


def test_headlines_bylines_and_names_are_stored_without_invisible_characters():
    story = story_get_or_create(title="Tolls\u2066 rise\u2069")
    assert story.title == "Tolls rise"
    article = make_article(headline="Tolls\u200b rise\u200f", story=story)
    assert article.headline == "Tolls rise"
    actor = Actor(story=story, name="Ann\u200d Hale")
    actor.full_clean()  # the admin's forms and the services validate the same way
    assert actor.name == "Ann Hale"
    article.byline = "By\u00a0Jo\u200b Bloggs\ufeff"
    article.full_clean()
    assert article.byline == "By Jo Bloggs"
