from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from newsroom.ingest import SUPPORTED_EXTENSIONS
from newsroom.models import Article, Outlet, Story


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the pattern from Django's file-upload docs)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class UploadForm(forms.Form):
    """What a batch shares: where it belongs and the defaults for each document."""

    story = forms.ModelChoiceField(queryset=Story.objects.all(), required=False)
    new_story = forms.CharField(
        max_length=300,
        required=False,
        label="or a new story",
        widget=forms.TextInput(attrs={"placeholder": "Title of a new story"}),
    )
    outlet = forms.ModelChoiceField(queryset=Outlet.objects.all(), required=False)
    new_outlet = forms.CharField(
        max_length=200,
        required=False,
        label="or a new outlet",
        widget=forms.TextInput(attrs={"placeholder": "Name of a new outlet"}),
    )
    genre = forms.ChoiceField(
        choices=Article.Genre.choices,
        initial=Article.Genre.UNKNOWN,
        help_text="The genre the outlet published it under.",
    )
    published = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Published on"
    )
    source_url = forms.URLField(
        required=False, max_length=1000, label="Source URL", assume_scheme="https"
    )
    files = MultipleFileField(
        required=False,
        allow_empty_file=True,  # ingest names the empty file in its message
        help_text=f"{', '.join(SUPPORTED_EXTENSIONS)}; up to {settings.UPLOAD_MAX_FILES} files.",
        widget=MultipleFileInput(attrs={"accept": ",".join(SUPPORTED_EXTENSIONS)}),
    )
    text = forms.CharField(
        required=False,
        label="or paste the text",
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "Paste an article here"}),
    )

    def clean(self):
        data = super().clean()
        if not data.get("story") and not (data.get("new_story") or "").strip():
            self.add_error("story", "Choose a story or name a new one.")
        if not data.get("outlet") and not (data.get("new_outlet") or "").strip():
            self.add_error("outlet", "Choose an outlet or name a new one.")
        files = data.get("files") or []
        if len(files) > settings.UPLOAD_MAX_FILES:
            self.add_error("files", f"At most {settings.UPLOAD_MAX_FILES} files at once.")
        return data

    def has_new_input(self) -> bool:
        return bool(self.cleaned_data.get("files") or self.cleaned_data.get("text", "").strip())


class DocumentMetaForm(forms.Form):
    """The per-document metadata the admin checks in the preview."""

    headline = forms.CharField(max_length=500)
    byline = forms.CharField(max_length=300, required=False)
    genre = forms.ChoiceField(choices=Article.Genre.choices)
    published = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Published on"
    )
    source_url = forms.URLField(
        required=False, max_length=1000, label="Source URL", assume_scheme="https"
    )

    def clean_headline(self) -> str:
        headline = " ".join(self.cleaned_data["headline"].split())
        if not headline:
            raise ValidationError("Every article needs a headline.")
        return headline


class ActorCurateForm(forms.Form):
    """An editor's decision on a story's actor (most often a proposed one)."""

    action = forms.ChoiceField(
        choices=[("accept", "Accept"), ("hide", "Hide"), ("rename", "Rename"), ("merge", "Merge")]
    )
    name = forms.CharField(max_length=200, required=False, strip=True)
    into = forms.IntegerField(required=False)
