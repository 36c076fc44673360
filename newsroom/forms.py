from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from newsroom.ingest import SUPPORTED_EXTENSIONS
from newsroom.models import Article, Outlet, Story
from newsroom.services import ArticleDraft, UploadDefaults


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
    """What a batch shares: its story, and the defaults for documents that do not say."""

    story = forms.ModelChoiceField(queryset=Story.objects.all(), required=False)
    new_story = forms.CharField(
        max_length=300,
        required=False,
        label="or a new story",
        widget=forms.TextInput(attrs={"placeholder": "Title of a new story"}),
    )
    outlet = forms.ModelChoiceField(
        queryset=Outlet.objects.all(),
        required=False,
        help_text="For documents that do not name their publisher; each can be changed.",
    )
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
        files = data.get("files") or []
        if len(files) > settings.UPLOAD_MAX_FILES:
            self.add_error("files", f"At most {settings.UPLOAD_MAX_FILES} files at once.")
        return data

    def defaults(self) -> UploadDefaults:
        data = self.cleaned_data
        outlet = data.get("outlet")
        return UploadDefaults(
            outlet=outlet.name if outlet else " ".join((data.get("new_outlet") or "").split()),
            genre=data["genre"],
            published=data.get("published"),
            source_url=data.get("source_url") or "",
        )


class DocumentMetaForm(forms.Form):
    """One document's metadata, checked in the preview, and the blocks the admin dropped.

    The block checkboxes (``drop``, by position in the document's outline) are in the form
    only once the document's split is shown; ``choices_shown`` says they are, so that a
    document whose split was never opened keeps the split ingest proposed.
    """

    headline = forms.CharField(
        max_length=500, error_messages={"required": "Every article needs a headline."}
    )
    outlet = forms.CharField(
        max_length=200,
        widget=forms.TextInput(attrs={"list": "outlet-names"}),
        help_text="Pick a stored outlet or type a new one.",
        error_messages={"required": "Choose an outlet or name a new one."},
    )
    byline = forms.CharField(max_length=300, required=False)
    genre = forms.ChoiceField(choices=Article.Genre.choices)
    published = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Published on"
    )
    source_url = forms.URLField(
        required=False, max_length=1000, label="Source URL", assume_scheme="https"
    )
    choices_shown = forms.BooleanField(required=False, widget=forms.HiddenInput)
    drop = forms.TypedMultipleChoiceField(
        required=False, coerce=int, widget=forms.MultipleHiddenInput
    )

    def __init__(self, *args, positions: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["drop"].choices = [(position, position) for position in range(positions)]

    def clean_headline(self) -> str:
        headline = " ".join(self.cleaned_data["headline"].split())
        if not headline:
            raise ValidationError("Every article needs a headline.")
        return headline

    def clean_outlet(self) -> str:
        outlet = " ".join(self.cleaned_data["outlet"].split())
        if not outlet:
            raise ValidationError("Choose an outlet or name a new one.")
        return outlet

    def revision(self) -> dict:
        """Keyword arguments for ``ArticleDraft.revised``."""
        data = self.cleaned_data
        return {
            "dropped": data["drop"] if data["choices_shown"] else None,
            **{name: data[name] for name in ("headline", "outlet", "byline", "genre")},
            "published": data["published"],
            "source_url": data["source_url"],
        }

    @classmethod
    def initial_for(cls, draft: ArticleDraft) -> dict:
        return {
            "headline": draft.headline,
            "outlet": draft.outlet,
            "byline": draft.byline,
            "genre": draft.genre,
            "published": draft.published,
            "source_url": draft.source_url,
        }


class ActorCurateForm(forms.Form):
    """An editor's decision on a story's actor (most often a proposed one)."""

    action = forms.ChoiceField(
        choices=[("accept", "Accept"), ("hide", "Hide"), ("rename", "Rename"), ("merge", "Merge")]
    )
    name = forms.CharField(max_length=200, required=False, strip=True)
    into = forms.IntegerField(required=False)
