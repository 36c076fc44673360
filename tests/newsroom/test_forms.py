"""newsroom.forms: what an upload batch shares (UploadForm) and one document's metadata and
dropped blocks (DocumentMetaForm), checked before any service sees them."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils.datastructures import MultiValueDict

from newsroom.forms import DocumentMetaForm, UploadForm
from newsroom.services import UploadDefaults, article_upload_preview
from tests.factories import make_outlet, make_story

pytestmark = pytest.mark.django_db

META = {
    "headline": "  Fares   rise ",
    "outlet": " Quay  Times ",
    "byline": "Ann Hale",
    "genre": "news",
    "published": "2024-05-01",
    "source_url": "quay.example/fares",
}


def meta_form(data: dict, positions: int = 4) -> DocumentMetaForm:
    return DocumentMetaForm(
        MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in data.items()}),
        positions=positions,
    )


def test_a_batch_needs_a_story_chosen_or_named():
    form = UploadForm({"genre": "news", "new_story": "   "})
    assert not form.is_valid() and form.errors["story"] == ["Choose a story or name a new one."]
    assert UploadForm({"genre": "news", "new_story": "Fares"}).is_valid()
    assert UploadForm({"genre": "news", "story": make_story().pk}).is_valid()


@override_settings(UPLOAD_MAX_FILES=2)
def test_a_batch_takes_at_most_the_configured_number_of_files():
    files = [SimpleUploadedFile(f"{i}.txt", b"Some text.") for i in range(3)]
    form = UploadForm({"genre": "news", "new_story": "Fares"}, MultiValueDict({"files": files}))
    assert not form.is_valid() and form.errors["files"] == ["At most 2 files at once."]
    form = UploadForm({"genre": "news", "new_story": "F"}, MultiValueDict({"files": files[:2]}))
    assert form.is_valid() and len(form.cleaned_data["files"]) == 2


def test_the_batch_defaults_name_a_stored_outlet_else_the_new_one_with_its_spaces_folded():
    data = {"genre": "opinion", "new_story": "Fares", "published": "2024-05-01"}
    form = UploadForm(data | {"new_outlet": "  Harbour   Herald "})
    assert form.is_valid()
    assert form.defaults() == UploadDefaults(
        outlet="Harbour Herald", genre="opinion", published=datetime.date(2024, 5, 1)
    )
    stored = make_outlet("Quay Times")
    form = UploadForm(data | {"outlet": stored.pk, "new_outlet": "Ignored"})
    assert form.is_valid() and form.defaults().outlet == "Quay Times"


def test_a_document_s_metadata_is_cleaned_into_the_draft_s_revision():
    form = meta_form(META)
    assert form.is_valid(), form.errors
    assert form.revision() == {
        "dropped": None,  # the split was never shown: ingest's proposal stands
        "headline": "Fares rise",
        "outlet": "Quay Times",
        "byline": "Ann Hale",
        "genre": "news",
        "published": datetime.date(2024, 5, 1),
        "source_url": "https://quay.example/fares",
    }


def test_the_dropped_blocks_count_once_the_split_was_shown_and_must_exist():
    form = meta_form(META | {"choices_shown": "True", "drop": ["0", "3"]})
    assert form.is_valid() and form.revision()["dropped"] == [0, 3]
    none_dropped = meta_form(META | {"choices_shown": "True"})
    assert none_dropped.is_valid() and none_dropped.revision()["dropped"] == []
    assert not meta_form(META | {"choices_shown": "True", "drop": ["4"]}).is_valid()


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("headline", "Every article needs a headline."),
        ("outlet", "Choose an outlet or name a new one."),
    ],
)
def test_a_blank_headline_or_outlet_is_refused(field, message):
    form = meta_form(META | {field: "   "})
    assert not form.is_valid() and form.errors[field] == [message]


def test_the_initial_metadata_is_the_draft_s_guess():
    (draft,) = article_upload_preview(
        text="Ferry fares rise\n\nFares will rise by 8 per cent.",
        defaults=UploadDefaults(outlet="Quay Times", genre="news"),
    )
    initial = DocumentMetaForm.initial_for(draft)
    assert initial == {
        "headline": draft.headline,
        "outlet": "Quay Times",
        "byline": draft.byline,
        "genre": "news",
        "published": draft.published,
        "source_url": draft.source_url,
    }
