"""Actors found in a story's text: proposed, then accepted, hidden, renamed or merged."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from newsroom.models import Actor
from stance.compare import Filters, compare_state, compare_story
from stance.services.actors import story_actors_propose
from stance.services.analysis import articles_analyse
from tests.factories import make_story

pytestmark = pytest.mark.django_db


def names(actors) -> set[str]:
    return {actor.name for actor in actors}


def test_a_new_story_compares_its_proposed_actors_without_anyone_typing_one(tolls_story):
    state = compare_state(tolls_story.slug)
    story_actors_propose(story=tolls_story)
    assert compare_state(tolls_story.slug).content != state.content
    articles_analyse(articles=tolls_story.articles.all())  # as the queued task does
    (piece,) = compare_story(
        tolls_story, list(tolls_story.articles.values_list("pk", flat=True)), Filters()
    )
    voice = {figures.actor.name: figures for figures in piece.actors}
    assert voice["Ann Hale"].quoted_words > 0 and voice["Tom Reyes"].quoted_words > 0


# ---------------------------------------------------------------------------
# The story page


def test_the_story_page_lists_proposals_with_their_actions(tolls_story, editor_client):
    story_actors_propose(story=tolls_story)
    page = editor_client.get(tolls_story.get_absolute_url()).content.decode()
    assert "Proposed from the text" in page and "Ann Hale" in page and "Tom Reyes" in page
    assert 'value="accept"' in page and 'value="hide"' in page and 'name="into"' in page


def test_accepting_by_htmx_swaps_the_actors_section_only(tolls_story, editor_client):
    hale = next(a for a in story_actors_propose(story=tolls_story) if a.name == "Ann Hale")
    url = reverse("actor-curate", args=[tolls_story.slug, hale.pk])
    response = editor_client.post(url, {"action": "accept"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and 'id="actors"' in body
    assert "Ann Hale is one of the story" in body
    assert Actor.objects.get(pk=hale.pk).status == Actor.Status.CURATED


def test_actions_work_without_javascript_and_report_refusals(tolls_story, editor_client):
    proposed = {a.name: a for a in story_actors_propose(story=tolls_story)}
    url = reverse("actor-curate", args=[tolls_story.slug, proposed["Tom Reyes"].pk])
    response = editor_client.post(url, {"action": "rename", "name": "Ann Hale"}, follow=True)
    assert "already an actor of this story" in response.content.decode()
    response = editor_client.post(url, {"action": "merge", "into": proposed["Ann Hale"].pk})
    assert response.status_code == 302 and response["Location"] == tolls_story.get_absolute_url()
    assert "Tom Reyes" in Actor.objects.get(name="Ann Hale").alias_list


def test_an_actor_of_another_story_cannot_be_curated_through_this_one(tolls_story, editor_client):
    other = make_story("Another story")
    stranger = Actor.objects.create(story=other, name="Someone", status=Actor.Status.PROPOSED)
    url = reverse("actor-curate", args=[tolls_story.slug, stranger.pk])
    assert editor_client.post(url, {"action": "accept"}).status_code == 404


def test_propose_actors_brings_stories_stored_earlier_up_to_date(tolls_story):
    out = io.StringIO()
    call_command("propose_actors", "--story", tolls_story.slug, stdout=out)
    assert "harbour-tolls: 2 proposed (Ann Hale, Tom Reyes)" in out.getvalue()
    with pytest.raises(CommandError, match="No story"):
        call_command("propose_actors", "--story", "nope", stdout=out)


def test_readers_see_proposals_but_cannot_decide_on_them(tolls_story, client):
    from tests.factories import make_user

    client.force_login(make_user("reader"))
    hale = next(a for a in story_actors_propose(story=tolls_story) if a.name == "Ann Hale")
    page = client.get(tolls_story.get_absolute_url()).content.decode()
    assert "Ann Hale" in page and 'value="accept"' not in page
    url = reverse("actor-curate", args=[tolls_story.slug, hale.pk])
    assert client.post(url, {"action": "accept"}).status_code == 403
    assert Actor.objects.get(pk=hale.pk).status == Actor.Status.PROPOSED
