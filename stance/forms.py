from django import forms
from django.conf import settings

from newsroom.models import Actor
from stance.labels import LABEL_CHOICES
from stance.models import Label, SpeakerCorrection


class LabelForm(forms.Form):
    """A verdict on one paragraph: news, opinion, or "the model is right"."""

    NOTE_MAX_CHARS = 2000

    label = forms.ChoiceField(choices=[*LABEL_CHOICES, ("confirm", "Confirm")])
    note = forms.CharField(required=False, max_length=NOTE_MAX_CHARS)
    # Set by the review queue on a disagreement between editors: this label settles it.
    adjudicate = forms.BooleanField(required=False)

    def clean(self):
        data = super().clean()
        if data.get("label") == "confirm":
            data["action"] = Label.Action.CONFIRM
            data["label"] = ""
        elif data.get("adjudicate"):
            data["action"] = Label.Action.ADJUDICATE
        else:
            data["action"] = Label.Action.CORRECT
        return data


class ImportForm(forms.Form):
    tsv = forms.FileField(
        label="Labelled TSV",
        help_text="Header id<TAB>text<TAB>label; labels news or opinion; "
        f"up to {settings.STANCE_TRAINING_SET_MAX_BYTES / 1024 / 1024:.0f} MB.",
    )


class SpeakerForm(forms.Form):
    """Who said a quote: one of the story's actors, someone else (named), or nobody."""

    choice = forms.ChoiceField(choices=SpeakerCorrection.Choice.choices, widget=forms.RadioSelect)
    actor = forms.ModelChoiceField(queryset=Actor.objects.none(), required=False)
    name = forms.CharField(max_length=200, required=False, strip=True)

    def __init__(self, *args, actors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = actors

    def clean(self):
        data = super().clean()
        choice = data.get("choice")
        if choice == SpeakerCorrection.Choice.ACTOR and not data.get("actor"):
            self.add_error("actor", "Choose one of the story's actors.")
        if choice == SpeakerCorrection.Choice.OTHER and not data.get("name"):
            self.add_error("name", "Name who said it.")
        return data
