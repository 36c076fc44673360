"""Editors' speaker corrections (append-only)."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from newsroom.models import Actor, Paragraph
from stance import framing
from stance.models import SpeakerCorrection
from stance.selectors import quote_in_analysis


@transaction.atomic
def speaker_correct(
    *,
    paragraph: Paragraph,
    start: int,
    end: int,
    editor: AbstractBaseUser,
    choice: str,
    actor: Actor | None = None,
    name: str = "",
) -> SpeakerCorrection:
    """Record who said a quote of the paragraph: a story actor, someone else, or nobody.

    The quote must be one the analysis found; what it said is kept beside the editor's
    word. Corrections are never changed: a later one supersedes.
    """
    quote = quote_in_analysis(paragraph, start, end)
    if quote is None:
        raise ValidationError("There is no quote there any more; reload the page.")
    row = SpeakerCorrection(
        paragraph=paragraph,
        start=start,
        end=end,
        quote_text=paragraph.text[start:end],
        choice=choice,
        editor=editor,
        model_speaker=_speaker_name(quote, paragraph.article.story_id),
    )
    if choice == SpeakerCorrection.Choice.ACTOR:
        if actor is None or actor.story_id != paragraph.article.story_id:
            raise ValidationError("Choose one of the story's actors.")
        row.speaker_actor, row.speaker_name = actor, actor.name
    elif choice == SpeakerCorrection.Choice.OTHER:
        row.speaker_name = " ".join(name.split())[:200]
        if not row.speaker_name:
            raise ValidationError("Name the person or organisation who said it.")
    elif choice != SpeakerCorrection.Choice.NOBODY:
        raise ValidationError(f"Unknown choice {choice!r}.")
    row.full_clean()
    row.save()
    return row


def _speaker_name(quote: framing.Quote, story_id: int) -> str:
    if quote.speaker and quote.speaker.isdigit():
        actor = Actor.objects.filter(pk=int(quote.speaker), story_id=story_id).first()
        if actor is not None:
            return actor.name
    return quote.speaker_text[:200]
