"""stance.services.speaker_corrections: an editor's word on who said a quote, append-only,
only for a quote the analysis found."""

import pytest
from django.core.exceptions import ValidationError

from newsroom.services import actor_set
from stance import framing, speakers
from stance.models import SpeakerCorrection
from stance.services.speaker_corrections import speaker_correct
from tests.factories import make_story

pytestmark = pytest.mark.django_db


def correct(hale_quote, editor, **choice):
    """The editor's word on Hale's quote (see tests/stance/conftest.py)."""
    paragraph, quote = hale_quote
    return speaker_correct(
        paragraph=paragraph, start=quote.start, end=quote.end, editor=editor, **choice
    )


def test_corrections_are_append_only_and_the_latest_wins(quoted_story, hale_quote, editor):
    paragraph, quote = hale_quote
    first = correct(hale_quote, editor, choice="other", name="A council spokesman")
    correct(hale_quote, editor, choice="actor", actor=quoted_story.actors.get(name="Tom Reyes"))
    rows = list(SpeakerCorrection.objects.all())
    assert len(rows) == 2 and rows[0] == first and rows[0].speaker_name == "A council spokesman"
    assert (
        rows[0].model_speaker == "Ann Hale"
        and rows[0].quote_text == paragraph.text[quote.start : quote.end]
    )
    corrected = speakers.apply_corrections(
        framing.ParagraphFraming.from_dict(paragraph.analysis.data), paragraph.text, rows
    )
    assert corrected.quotes[0].speaker == str(quoted_story.actors.get(name="Tom Reyes").pk)


def test_the_speaker_must_be_an_actor_of_the_story_and_the_quote_one_it_found(hale_quote, editor):
    paragraph, quote = hale_quote
    stranger = actor_set(story=make_story("Elsewhere"), name="Someone Else")
    with pytest.raises(ValidationError, match="story's actors"):
        correct(hale_quote, editor, choice="actor", actor=stranger)
    with pytest.raises(ValidationError, match="no quote there"):
        speaker_correct(paragraph=paragraph, start=0, end=3, editor=editor, choice="nobody")
    with pytest.raises(ValidationError, match="Name the person"):
        correct(hale_quote, editor, choice="other", name="  ")
    assert not SpeakerCorrection.objects.exists()
