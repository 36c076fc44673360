"""stance.services.speaker_corrections: an editor's word on who said a quote, append-only,
only for a quote the analysis found."""

import pytest
from django.core.exceptions import ValidationError

from newsroom.services import actor_set
from stance import framing, services, speakers
from stance.models import SpeakerCorrection
from tests.factories import make_article, make_story

pytestmark = pytest.mark.django_db

TEXT = "\n\n".join(
    [
        "Mayor Ann Hale said on Tuesday the council would appeal the ruling on the tolls.",
        '"We will not back down," Ms Hale said.',
        "Opposition councillor Tom Reyes called the appeal a waste of ratepayers' money.",
        '"It is throwing good money after bad," Mr Reyes said.',
    ]
)


@pytest.fixture
def story(db):
    story = make_story("Harbour tolls")
    actor_set(story=story, name="Ann Hale", aliases=["Ms Hale", "Mayor"], pronoun="she")
    actor_set(story=story, name="Tom Reyes", aliases=["Mr Reyes"], pronoun="he")
    article = make_article(TEXT, story=story, headline="Council to appeal toll ruling")
    services.articles_analyse(articles=[article])
    return story


@pytest.fixture
def quoted(story):
    """The paragraph with Hale's direct quote, and that quote as the analysis found it."""
    paragraph = story.articles.get().paragraphs.get(position=2)
    (quote,) = framing.ParagraphFraming.from_dict(paragraph.analysis.data).quotes
    return paragraph, quote


def actor(story, name):
    return story.actors.get(name=name)


def correct(paragraph, quote, editor, **choice):
    return services.speaker_correct(
        paragraph=paragraph, start=quote.start, end=quote.end, editor=editor, **choice
    )


def test_corrections_are_append_only_and_the_latest_wins(story, quoted, editor):
    paragraph, quote = quoted
    first = correct(paragraph, quote, editor, choice="other", name="A council spokesman")
    correct(paragraph, quote, editor, choice="actor", actor=actor(story, "Tom Reyes"))
    rows = list(SpeakerCorrection.objects.all())
    assert len(rows) == 2 and rows[0] == first and rows[0].speaker_name == "A council spokesman"
    assert (
        rows[0].model_speaker == "Ann Hale"
        and rows[0].quote_text == paragraph.text[quote.start : quote.end]
    )
    corrected = speakers.apply_corrections(
        framing.ParagraphFraming.from_dict(paragraph.analysis.data), paragraph.text, rows
    )
    assert corrected.quotes[0].speaker == str(actor(story, "Tom Reyes").pk)


def test_the_speaker_must_be_an_actor_of_the_story_and_the_quote_one_it_found(quoted, editor):
    paragraph, quote = quoted
    stranger = actor_set(story=make_story("Elsewhere"), name="Someone Else")
    with pytest.raises(ValidationError, match="story's actors"):
        correct(paragraph, quote, editor, choice="actor", actor=stranger)
    with pytest.raises(ValidationError, match="no quote there"):
        services.speaker_correct(
            paragraph=paragraph, start=0, end=3, editor=editor, choice="nobody"
        )
    with pytest.raises(ValidationError, match="Name the person"):
        correct(paragraph, quote, editor, choice="other", name="  ")
    assert not SpeakerCorrection.objects.exists()
