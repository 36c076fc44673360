from django import forms
from django.conf import settings

from stance.models import Label


class LabelForm(forms.Form):
    """A verdict on one paragraph: news, opinion, or "the model is right"."""

    label = forms.ChoiceField(choices=[*Label.Value.choices, ("confirm", "Confirm")])
    note = forms.CharField(required=False, max_length=2000)

    def clean(self):
        data = super().clean()
        if data.get("label") == "confirm":
            data["action"] = Label.Action.CONFIRM
            data["label"] = ""
        else:
            data["action"] = Label.Action.CORRECT
        return data


class ImportForm(forms.Form):
    tsv = forms.FileField(
        label="Labelled TSV",
        help_text="Header id<TAB>text<TAB>label; labels news or opinion; "
        f"up to {settings.STANCE_TRAINING_SET_MAX_BYTES / 1024 / 1024:.0f} MB.",
    )
