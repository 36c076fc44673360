"""Actors found in a story's text: proposed, then accepted, hidden, renamed or merged."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from newsroom.models import Actor
from newsroom.services import actor_set
from stance import services
from stance.compare import Filters, compare_state, compare_story
from stance.models import SpeakerCorrection
from tests.factories import make_article, make_outlet, make_story

pytestmark = pytest.mark.django_db

TOLLS = "\n\n".join(
    [
        "Mayor Ann Hale said on Tuesday the council would appeal the ruling on the tolls.",
        '"We will not back down," Ms Hale said.',
        "Opposition councillor Tom Reyes called the appeal a waste of ratepayers' money.",
        '"It is throwing good money after bad," Mr Reyes said.',
        "The Harbour Trust runs the bridge and its tolls.",
    ]
)
COLUMN = "\n\n".join(
    [
        "Hale has picked the wrong fight, and Reyes knows it.",
        '"Nobody voted for this," Reyes told a meeting on Thursday.',
    ]
)


@pytest.fixture
def story(db):
    story = make_story("Harbour tolls")
    make_article(TOLLS, story=story, headline="Council to appeal toll ruling")
    return story


def names(actors) -> set[str]:
    return {actor.name for actor in actors}


def test_speakers_and_people_named_twice_are_proposed_with_the_names_the_text_uses(story):
    proposed = services.story_actors_propose(story=story)
    assert names(proposed) == {"Ann Hale", "Tom Reyes"}  # the Trust is named once, says nothing
    hale = Actor.objects.get(story=story, name="Ann Hale")
    assert hale.status == Actor.Status.PROPOSED and hale.kind == "person"
    assert {"Ms Hale", "Hale"} <= set(hale.alias_list)
    assert hale.quotes >= 1 and hale.pronoun == "she" and hale.role == "Mayor"


def test_proposals_merge_the_same_person_across_the_story_s_pieces(story):
    make_article(COLUMN, story=story, outlet=make_outlet("The Column"), headline="Wrong fight")
    services.story_actors_propose(story=story)
    reyes = Actor.objects.get(story=story, name="Tom Reyes")  # "Reyes" alone in the column
    assert not Actor.objects.filter(story=story, name="Reyes").exists()
    assert reyes.quotes >= 2


def test_curated_actors_win_and_hidden_ones_are_never_proposed_again(story):
    actor_set(story=story, name="Ann Hale", aliases=["Ms Hale"], pronoun="she")
    proposed = services.story_actors_propose(story=story)
    assert names(proposed) == {"Tom Reyes"}
    assert Actor.objects.get(name="Ann Hale").status == Actor.Status.CURATED

    services.actor_hide(actor=proposed[0])
    assert services.story_actors_propose(story=story) == []
    assert Actor.objects.get(name="Tom Reyes").status == Actor.Status.HIDDEN


def test_an_accepted_proposal_stays_curated_when_discovery_runs_again(story):
    hale = next(a for a in services.story_actors_propose(story=story) if a.name == "Ann Hale")
    services.actor_accept(actor=hale)
    assert names(services.story_actors_propose(story=story)) == {"Tom Reyes"}
    assert Actor.objects.get(pk=hale.pk).status == Actor.Status.CURATED


def test_renaming_keeps_the_old_name_as_an_alias_so_it_is_not_proposed_again(story):
    reyes = next(a for a in services.story_actors_propose(story=story) if a.name == "Tom Reyes")
    renamed = services.actor_rename(actor=reyes, name="Thomas Reyes")
    assert renamed.status == Actor.Status.CURATED and "Tom Reyes" in renamed.alias_list
    assert names(services.story_actors_propose(story=story)) == {"Ann Hale"}
    with pytest.raises(ValidationError, match="merge instead"):
        services.actor_rename(actor=renamed, name="ann hale")


def test_merging_moves_names_and_speaker_corrections_to_the_other_actor(story, editor):
    proposed = {a.name: a for a in services.story_actors_propose(story=story)}
    hale = services.actor_accept(actor=Actor.objects.create(story=story, name="A. Hale"))
    paragraph = story.articles.get().paragraphs.get(position=2)
    services.articles_analyse(articles=[paragraph.article])
    quote = paragraph.analysis.data["quotes"][0]
    services.speaker_correct(
        paragraph=paragraph,
        start=quote["start"],
        end=quote["end"],
        editor=editor,
        choice=SpeakerCorrection.Choice.ACTOR,
        actor=proposed["Ann Hale"],
    )
    merged = services.actor_merge(actor=proposed["Ann Hale"], into=hale)
    assert {"Ann Hale", "Ms Hale"} <= set(merged.alias_list)
    assert not Actor.objects.filter(name="Ann Hale").exists()
    assert SpeakerCorrection.objects.get().speaker_actor == merged
    assert names(services.story_actors_propose(story=story)) == {"Tom Reyes"}
    with pytest.raises(ValidationError):
        services.actor_merge(actor=merged, into=merged)


def test_the_analysis_uses_proposed_actors_and_drops_hidden_ones(story):
    before = services.framing_inputs(story.pk)
    proposed = services.story_actors_propose(story=story)
    actors, _, fingerprint = services.framing_inputs(story.pk)
    assert {a.name for a in actors} == {"Ann Hale", "Tom Reyes"}
    assert fingerprint != before[2]  # stored analyses are refreshed
    services.actor_hide(actor=next(a for a in proposed if a.name == "Tom Reyes"))
    actors, _, hidden_fingerprint = services.framing_inputs(story.pk)
    assert {a.name for a in actors} == {"Ann Hale"} and hidden_fingerprint != fingerprint


def test_a_new_story_compares_its_proposed_actors_without_anyone_typing_one(story):
    state = compare_state(story.slug)
    services.story_actors_propose(story=story)
    assert compare_state(story.slug).content != state.content
    services.articles_analyse(articles=story.articles.all())  # as the queued task does
    (piece,) = compare_story(story, list(story.articles.values_list("pk", flat=True)), Filters())
    voice = {figures.actor.name: figures for figures in piece.actors}
    assert voice["Ann Hale"].quoted_words > 0 and voice["Tom Reyes"].quoted_words > 0


def test_the_upload_task_proposes_the_story_s_actors(story):
    from stance.tasks import analyse_articles

    article = make_article(COLUMN, story=story, outlet=make_outlet("The Column"), headline="W")
    analyse_articles.enqueue([article.pk])
    assert names(story.actors.proposed()) == {"Ann Hale", "Tom Reyes"}
    assert article.paragraphs.filter(analysis__isnull=False).count() == 2


# ---------------------------------------------------------------------------
# The story page


def test_the_story_page_lists_proposals_with_their_actions(story, editor_client):
    services.story_actors_propose(story=story)
    page = editor_client.get(story.get_absolute_url()).content.decode()
    assert "Proposed from the text" in page and "Ann Hale" in page and "Tom Reyes" in page
    assert 'value="accept"' in page and 'value="hide"' in page and 'name="into"' in page


def test_accepting_by_htmx_swaps_the_actors_section_only(story, editor_client):
    hale = next(a for a in services.story_actors_propose(story=story) if a.name == "Ann Hale")
    url = reverse("actor-curate", args=[story.slug, hale.pk])
    response = editor_client.post(url, {"action": "accept"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and 'id="actors"' in body
    assert "Ann Hale is one of the story" in body
    assert Actor.objects.get(pk=hale.pk).status == Actor.Status.CURATED


def test_actions_work_without_javascript_and_report_refusals(story, editor_client):
    proposed = {a.name: a for a in services.story_actors_propose(story=story)}
    url = reverse("actor-curate", args=[story.slug, proposed["Tom Reyes"].pk])
    response = editor_client.post(url, {"action": "rename", "name": "Ann Hale"}, follow=True)
    assert "already an actor of this story" in response.content.decode()
    response = editor_client.post(url, {"action": "merge", "into": proposed["Ann Hale"].pk})
    assert response.status_code == 302 and response["Location"] == story.get_absolute_url()
    assert "Tom Reyes" in Actor.objects.get(name="Ann Hale").alias_list


def test_an_actor_of_another_story_cannot_be_curated_through_this_one(story, editor_client):
    other = make_story("Another story")
    stranger = Actor.objects.create(story=other, name="Someone", status=Actor.Status.PROPOSED)
    url = reverse("actor-curate", args=[story.slug, stranger.pk])
    assert editor_client.post(url, {"action": "accept"}).status_code == 404


def test_finding_the_same_actors_again_writes_nothing(story):
    services.story_actors_propose(story=story)
    stamps = dict(story.actors.values_list("name", "updated"))
    state = compare_state(story.slug)
    services.story_actors_propose(story=story)
    assert dict(story.actors.values_list("name", "updated")) == stamps
    assert compare_state(story.slug) == state  # cached comparisons stay valid


def test_propose_actors_brings_stories_stored_earlier_up_to_date(story):
    out = io.StringIO()
    call_command("propose_actors", "--story", story.slug, stdout=out)
    assert "harbour-tolls: 2 proposed (Ann Hale, Tom Reyes)" in out.getvalue()
    with pytest.raises(CommandError, match="No story"):
        call_command("propose_actors", "--story", "nope", stdout=out)


def test_readers_see_proposals_but_cannot_decide_on_them(story, client):
    from tests.factories import make_user

    client.force_login(make_user("reader"))
    hale = next(a for a in services.story_actors_propose(story=story) if a.name == "Ann Hale")
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Ann Hale" in page and 'value="accept"' not in page
    url = reverse("actor-curate", args=[story.slug, hale.pk])
    assert client.post(url, {"action": "accept"}).status_code == 403
    assert Actor.objects.get(pk=hale.pk).status == Actor.Status.PROPOSED


def test_an_organisation_named_in_passing_is_not_proposed_but_one_that_speaks_is(db):
    story = make_story("Port strike")
    make_article(
        "\n\n".join(
            [
                "Dock worker Mere Tane told Radio Pacific the strike would go on.",
                "Ms Tane spoke to Radio Pacific again on Friday, and to Radio Pacific listeners.",
                "The Port Company said it would not reopen talks.",
            ]
        ),
        story=story,
        headline="Strike goes on",
    )
    proposed = names(services.story_actors_propose(story=story))
    assert "Radio Pacific" not in proposed  # named three times, never speaks
    assert {"Mere Tane", "Port Company"} <= proposed
