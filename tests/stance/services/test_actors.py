"""stance.services.actors: actors proposed from a story's text, accepted, hidden, renamed,
merged."""

import pytest
from django.core.exceptions import ValidationError

from newsroom.models import Actor
from newsroom.services import actor_set
from stance.compare import article_fingerprint, compare_state
from stance.models import SpeakerCorrection
from stance.services.actors import (
    actor_accept,
    actor_hide,
    actor_merge,
    actor_rename,
    story_actors_propose,
)
from stance.services.analysis import articles_analyse
from stance.services.speaker_corrections import speaker_correct
from tests.factories import TOLLS_COLUMN, TOLLS_REPORT, make_article, make_outlet, make_story

pytestmark = pytest.mark.django_db


def names(actors) -> set[str]:
    return {actor.name for actor in actors}


def test_speakers_and_people_named_twice_are_proposed_with_the_names_the_text_uses(tolls_story):
    proposed = story_actors_propose(story=tolls_story)
    assert names(proposed) == {"Ann Hale", "Tom Reyes"}  # the Trust is named once, says nothing
    hale = Actor.objects.get(story=tolls_story, name="Ann Hale")
    assert hale.status == Actor.Status.PROPOSED and hale.kind == "person"
    assert {"Ms Hale", "Hale"} <= set(hale.alias_list)
    assert hale.quotes >= 1 and hale.pronoun == "she" and hale.role == "Mayor"


def test_proposals_merge_the_same_person_across_the_story_s_pieces(tolls_story):
    make_article(
        TOLLS_COLUMN, story=tolls_story, outlet=make_outlet("The Column"), headline="Wrong fight"
    )
    story_actors_propose(story=tolls_story)
    reyes = Actor.objects.get(story=tolls_story, name="Tom Reyes")  # "Reyes" alone in the column
    assert not Actor.objects.filter(story=tolls_story, name="Reyes").exists()
    assert reyes.quotes >= 2


def test_curated_actors_win_and_hidden_ones_are_never_proposed_again(tolls_story):
    actor_set(story=tolls_story, name="Ann Hale", aliases=["Ms Hale"], pronoun="she")
    proposed = story_actors_propose(story=tolls_story)
    assert names(proposed) == {"Tom Reyes"}
    assert Actor.objects.get(name="Ann Hale").status == Actor.Status.CURATED

    actor_hide(actor=proposed[0])
    assert story_actors_propose(story=tolls_story) == []
    assert Actor.objects.get(name="Tom Reyes").status == Actor.Status.HIDDEN


def test_an_accepted_proposal_stays_curated_when_discovery_runs_again(tolls_story):
    hale = next(a for a in story_actors_propose(story=tolls_story) if a.name == "Ann Hale")
    actor_accept(actor=hale)
    assert names(story_actors_propose(story=tolls_story)) == {"Tom Reyes"}
    assert Actor.objects.get(pk=hale.pk).status == Actor.Status.CURATED


def test_renaming_keeps_the_old_name_as_an_alias_so_it_is_not_proposed_again(tolls_story):
    reyes = next(a for a in story_actors_propose(story=tolls_story) if a.name == "Tom Reyes")
    renamed = actor_rename(actor=reyes, name="Thomas Reyes")
    assert renamed.status == Actor.Status.CURATED and "Tom Reyes" in renamed.alias_list
    assert names(story_actors_propose(story=tolls_story)) == {"Ann Hale"}
    with pytest.raises(ValidationError, match="merge instead"):
        actor_rename(actor=renamed, name="ann hale")


def test_merging_moves_names_and_speaker_corrections_to_the_other_actor(tolls_story, editor):
    proposed = {a.name: a for a in story_actors_propose(story=tolls_story)}
    hale = actor_accept(actor=Actor.objects.create(story=tolls_story, name="A. Hale"))
    paragraph = tolls_story.articles.get().paragraphs.get(position=2)
    articles_analyse(articles=[paragraph.article])
    quote = paragraph.analysis.data["quotes"][0]
    speaker_correct(
        paragraph=paragraph,
        start=quote["start"],
        end=quote["end"],
        editor=editor,
        choice=SpeakerCorrection.Choice.ACTOR,
        actor=proposed["Ann Hale"],
    )
    merged = actor_merge(actor=proposed["Ann Hale"], into=hale)
    assert {"Ann Hale", "Ms Hale"} <= set(merged.alias_list)
    assert not Actor.objects.filter(name="Ann Hale").exists()
    assert SpeakerCorrection.objects.get().speaker_actor == merged
    assert names(story_actors_propose(story=tolls_story)) == {"Tom Reyes"}
    with pytest.raises(ValidationError):
        actor_merge(actor=merged, into=merged)


def test_finding_the_same_actors_again_writes_nothing(tolls_story):
    story_actors_propose(story=tolls_story)
    stamps = dict(tolls_story.actors.values_list("name", "updated"))
    state = compare_state(tolls_story.slug)
    story_actors_propose(story=tolls_story)
    assert dict(tolls_story.actors.values_list("name", "updated")) == stamps
    assert compare_state(tolls_story.slug) == state  # cached comparisons stay valid


def test_a_piece_that_only_adds_to_the_counts_leaves_the_other_pieces_pages_as_they_are(
    tolls_story,
):
    """Each long article imported into a story names its people again: their counts move,
    but not what the analysis or any cached page reads of them (`updated`, the pieces'
    fingerprints), so the story's other pieces are not computed and rendered again."""
    story_actors_propose(story=tolls_story)
    report = tolls_story.articles.get()
    counts = dict(tolls_story.actors.values_list("name", "mentions"))
    stamps = dict(tolls_story.actors.values_list("name", "updated"))
    fingerprint = article_fingerprint(report)
    again = TOLLS_REPORT.replace("on Tuesday", "on Wednesday")  # another piece, same names
    make_article(again, story=tolls_story, headline="Council to appeal, again")
    story_actors_propose(story=tolls_story)
    assert dict(tolls_story.actors.values_list("name", "mentions")) != counts
    assert dict(tolls_story.actors.values_list("name", "updated")) == stamps
    assert article_fingerprint(report) == fingerprint


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
    proposed = names(story_actors_propose(story=story))
    assert "Radio Pacific" not in proposed  # named three times, never speaks
    assert {"Mere Tane", "Port Company"} <= proposed
