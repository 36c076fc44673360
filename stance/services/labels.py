"""Editor labels (append-only)."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from newsroom.models import Paragraph
from stance import voice
from stance.labels import LABELS
from stance.models import Label, Prediction, SentenceLabel


@transaction.atomic
def label_create(
    *,
    paragraph: Paragraph,
    editor: AbstractBaseUser,
    label: str,
    note: str = "",
    action: str = Label.Action.CORRECT,
) -> Label:
    """Record an editor's verdict on a paragraph, with what the active model said then."""
    if action not in Label.VERDICT_ACTIONS:
        raise ValidationError(f"Unknown label action {action!r}.")
    if not paragraph.is_classifiable:
        raise ValidationError(f"A {paragraph.get_kind_display().lower()} is not labelled.")
    prediction = (
        Prediction.objects.of_active().filter(paragraph=paragraph).select_related("version").first()
    )
    if action == Label.Action.CONFIRM:
        if prediction is None:
            raise ValidationError("There is no prediction to confirm: label it instead.")
        label = prediction.label
    row = Label(
        paragraph=paragraph,
        editor=editor,
        action=action,
        label=label,
        note=note.strip(),
        model_version=prediction.version if prediction else None,
        model_label=prediction.label if prediction else "",
        model_p_opinion=prediction.p_opinion if prediction else None,
    )
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def label_undo(*, label: Label, editor: AbstractBaseUser) -> Label:
    """Undo a live label by appending an undo row; the label itself is kept."""
    label = Label.objects.select_for_update().get(pk=label.pk)
    if label.action not in Label.VERDICT_ACTIONS:
        raise ValidationError("Only a label can be undone.")
    if Label.objects.filter(undoes=label).exists():
        raise ValidationError("That label has already been undone.")
    row = Label(
        paragraph_id=label.paragraph_id,
        editor=editor,
        action=Label.Action.UNDO,
        label=label.label,
        undoes=label,
        model_version_id=label.model_version_id,
        model_label=label.model_label,
        model_p_opinion=label.model_p_opinion,
    )
    row.full_clean()
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:  # a concurrent undo of the same label won
        raise ValidationError("That label has already been undone.") from None
    return row


def label_undo_last(*, editor: AbstractBaseUser) -> Label:
    """Undo the editor's most recent live label; the undo row, whose paragraph is the one
    the label was on. Raises ValidationError when there is none, or a concurrent undo won."""
    last = Label.objects.live().filter(editor=editor).order_by("-created", "-pk").first()
    if last is None:
        raise ValidationError("You have no label to undo.")
    return label_undo(label=last, editor=editor)


@transaction.atomic
def sentence_label_create(
    *, paragraph: Paragraph, editor: AbstractBaseUser, start: int, end: int, label: str
) -> SentenceLabel:
    """Record an editor's verdict on one sentence of a paragraph, as the active model split
    it, with what the model said of that sentence then. Append-only: a later verdict on the
    same sentence supersedes."""
    if label not in LABELS:
        raise ValidationError("Choose news or opinion.")
    if not paragraph.is_classifiable:
        raise ValidationError(f"A {paragraph.get_kind_display().lower()} is not labelled.")
    prediction = (
        Prediction.objects.of_active().filter(paragraph=paragraph).select_related("version").first()
    )
    sentences = voice.sentences_from_json(prediction.sentences) if prediction else ()
    sentence = next((s for s in sentences if (s.start, s.end) == (start, end)), None)
    if sentence is None or end > len(paragraph.text):
        raise ValidationError("There is no sentence there any more; reload the page.")
    row = SentenceLabel(
        paragraph=paragraph,
        editor=editor,
        start=start,
        end=end,
        sentence_text=paragraph.text[start:end],
        label=label,
        model_version=prediction.version,
        model_label=sentence.label,
        model_p_opinion=sentence.p_opinion,
    )
    row.full_clean()
    row.save()
    return row
