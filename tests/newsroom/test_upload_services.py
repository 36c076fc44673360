"""The upload service API the page and `import_articles` share."""

import dataclasses
import datetime

import pytest
from django.core.exceptions import ValidationError

from newsroom.models import Article, Outlet, StagedUpload, Story
from newsroom.services import (
    UPLOAD_STAGE_MAX_AGE,
    SourceFile,
    UploadDefaults,
    UploadRefused,
    UploadTextChanged,
    article_upload,
    article_upload_preview,
    article_upload_save,
    article_upload_staged,
    staged_uploads_purge,
    upload_stage,
    upload_staged,
)
from tests.factories import make_outlet, make_user

PAGE = """<!doctype html><html><head><title>Ferry fares rise | Quay Times</title>
<meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="2024-05-01">
<link rel="canonical" href="https://quay.example/fares"></head><body>
<article><h1>Ferry fares rise</h1>
<p>Ferry fares will rise by 8 per cent from July, the operator said on Wednesday.</p>
<p>Commuters said the increase would hurt families already struggling with costs.</p>
<p>Sign up for our newsletter</p></article></body></html>"""


def page(site: str = "Quay Times") -> SourceFile:
    return SourceFile("fares.html", PAGE.format(site=site).encode())


def test_preview_guesses_metadata_from_the_document(db):
    (draft,) = article_upload_preview(files=[page()])
    assert (draft.headline, draft.outlet, draft.published, draft.source_url) == (
        "Ferry fares rise",
        "Quay Times",
        datetime.date(2024, 5, 1),
        "https://quay.example/fares",
    )
    assert Article.objects.count() == Outlet.objects.count() == 0


def test_preview_matches_the_site_name_to_a_stored_outlet(db):
    make_outlet("Quay Times")
    (draft,) = article_upload_preview(files=[page(site="QUAY TIMES")])
    assert draft.outlet == "Quay Times"


def test_preview_falls_back_to_the_defaults(db):
    defaults = UploadDefaults(
        outlet="Harbour News", genre="opinion", published=datetime.date(2024, 1, 2)
    )
    (draft,) = article_upload_preview(
        files=[SourceFile("note.txt", b"The board met on Tuesday. It voted to close the wharf.")],
        defaults=defaults,
    )
    assert (draft.outlet, draft.genre, draft.published) == (
        "Harbour News",
        "opinion",
        datetime.date(2024, 1, 2),
    )
    assert draft.headline == "The board met on Tuesday. It voted to close the wharf."


def test_a_headline_from_the_first_line_is_cut_at_a_word(db):
    text = " ".join(f"word{i}" for i in range(40)) + "."
    (draft,) = article_upload_preview(text=text)
    assert draft.headline == " ".join(f"word{i}" for i in range(14)) + "…"


def test_preview_names_every_bad_file(db):
    files = [
        SourceFile("good.txt", b"Fine text here."),
        SourceFile("empty.txt", b""),
        SourceFile("photo.docx", b"\x89PNG\r\n\x1a\n"),
    ]
    with pytest.raises(UploadRefused) as caught:
        article_upload_preview(files=files)
    messages = [problem.message for problem in caught.value.problems]
    assert len(messages) == 2
    assert messages[0].startswith("“empty.txt”") and messages[1].startswith("“photo.docx”")


def test_a_batch_from_several_outlets_is_stored_whole(db):
    drafts = article_upload_preview(
        files=[page(), SourceFile("wharf.txt", b"The harbour board voted to close the wharf.")],
        defaults=UploadDefaults(outlet="Harbour News"),
    )
    articles = article_upload(drafts=drafts, story_title="Harbour costs")
    assert [a.outlet.name for a in articles] == ["Quay Times", "Harbour News"]
    assert {a.story.title for a in articles} == {"Harbour costs"}


def test_a_failing_document_leaves_no_new_story_or_outlet(db):
    good, bad = article_upload_preview(
        files=[page(), SourceFile("wharf.txt", b"The harbour board voted to close the wharf.")],
        defaults=UploadDefaults(outlet="Harbour News"),
    )
    bad = dataclasses.replace(bad, headline="x" * 600)
    with pytest.raises(ValidationError, match="wharf.txt"):
        article_upload(drafts=[good, bad], story_title="Harbour costs")
    assert (Article.objects.count(), Outlet.objects.count(), Story.objects.count()) == (0, 0, 0)


def test_a_draft_without_any_outlet_is_refused_by_name(db):
    (draft,) = article_upload_preview(files=[SourceFile("a.txt", b"Some text.")])
    with pytest.raises(ValidationError, match="“a.txt”: choose an outlet"):
        article_upload(drafts=[draft], story_title="S")


def test_revised_applies_metadata_and_block_choices(db):
    (draft,) = article_upload_preview(files=[page()])
    outline = [(block.text, reason) for block, reason in draft.document.outline()]
    assert outline[0] == ("Ferry fares rise", "the headline")
    assert outline[-1] == ("Sign up for our newsletter", "subscription prompt")
    revised = draft.revised(dropped={0}, headline="Fares up", outlet="Other")
    assert (revised.headline, revised.outlet) == ("Fares up", "Other")
    assert revised.document.blocks[-1].text == "Sign up for our newsletter"  # restored
    assert draft.revised(headline="Same blocks").document == draft.document
    with pytest.raises(ValidationError, match="“fares.html”: Every block was dropped"):
        draft.revised(dropped=range(len(draft.document.outline())))


def test_a_staged_batch_comes_back_only_to_its_owner(db):
    owner, other = make_user("owner"), make_user("other")
    drafts = article_upload_preview(files=[page()], defaults=UploadDefaults(genre="news"))
    batch = upload_stage(user=owner, drafts=drafts, text="")
    assert upload_staged(stage_id=batch.id, user=owner).drafts == drafts
    with pytest.raises(ValidationError, match="preview again"):
        upload_staged(stage_id=batch.id, user=other)


def test_stale_staged_batches_expire_and_are_swept(db):
    user = make_user("owner")
    drafts = article_upload_preview(files=[page()])
    old = upload_stage(user=user, drafts=drafts)
    StagedUpload.objects.filter(pk=old.id).update(
        created=datetime.datetime.now(datetime.UTC) - UPLOAD_STAGE_MAX_AGE * 2
    )
    with pytest.raises(ValidationError, match="expired"):
        upload_staged(stage_id=old.id, user=user)
    fresh = upload_stage(user=user, drafts=drafts)  # sweeps the stale one on the way
    assert list(StagedUpload.objects.values_list("pk", flat=True)) == [fresh.id]
    assert staged_uploads_purge() == 0


def test_saving_a_staged_batch_discards_it(db):
    user = make_user("owner")
    drafts = article_upload_preview(files=[page()])
    batch = upload_stage(user=user, drafts=drafts)
    article_upload_staged(stage_id=batch.id, drafts=drafts, story_title="Fares", uploaded_by=user)
    assert not StagedUpload.objects.exists()
    assert Article.objects.get().uploaded_by == user


def test_a_refused_staged_save_keeps_the_batch(db):
    user = make_user("owner")
    drafts = article_upload_preview(files=[page()])
    batch = upload_stage(user=user, drafts=drafts)
    article_upload(drafts=drafts, story_title="Fares")  # the same piece stored meanwhile
    with pytest.raises(ValidationError, match="already stored"):
        article_upload_staged(stage_id=batch.id, drafts=drafts, story_title="Fares")
    assert StagedUpload.objects.filter(pk=batch.id).exists()


def test_a_save_revises_each_staged_draft_as_chosen_and_stores_them(db):
    user = make_user("owner")
    batch = upload_stage(user=user, drafts=article_upload_preview(files=[page()]), text="")
    seen = []

    def revisions(staged):
        seen.append(staged.drafts)
        return [{"headline": "Fares up", "outlet": "Harbour Herald"}]

    (article,) = article_upload_save(
        stage_id=batch.id, user=user, text="", revisions=revisions, story_title="Fares"
    )
    assert seen == [batch.drafts]
    assert (article.headline, article.outlet.name, article.uploaded_by) == (
        "Fares up",
        "Harbour Herald",
        user,
    )
    assert not StagedUpload.objects.exists()


def test_a_save_with_invalid_choices_stores_nothing_and_keeps_the_batch(db):
    user = make_user("owner")
    batch = upload_stage(user=user, drafts=article_upload_preview(files=[page()]), text="")
    saved = article_upload_save(
        stage_id=batch.id, user=user, text="", revisions=lambda staged: None, story_title="Fares"
    )
    assert saved is None and not Article.objects.exists()
    assert StagedUpload.objects.filter(pk=batch.id).exists()


def test_a_save_of_other_text_than_previewed_asks_for_a_new_preview(db):
    user = make_user("owner")
    drafts = article_upload_preview(text="The council met.\n\nIt voted.")
    batch = upload_stage(user=user, drafts=drafts, text="The council met.\n\nIt voted.")
    asked = []
    with pytest.raises(UploadTextChanged, match="changed since the preview"):
        article_upload_save(
            stage_id=batch.id,
            user=user,
            text="The council met.\n\nIt voted again.",
            revisions=lambda staged: asked.append(1) or [{}],
            story_title="Council",
        )
    assert asked == [] and not Article.objects.exists()
    # the same text, its surrounding space aside, is the previewed one
    (article,) = article_upload_save(
        stage_id=batch.id,
        user=user,
        text="  The council met.\n\nIt voted.\n",
        revisions=lambda staged: [{"outlet": "Harbour Herald"}],
        story_title="Council",
    )
    assert article.story.title == "Council"


def test_a_save_of_someone_else_s_batch_is_refused(db):
    owner, other = make_user("owner"), make_user("other")
    batch = upload_stage(user=owner, drafts=article_upload_preview(files=[page()]))
    with pytest.raises(ValidationError, match="preview again"):
        article_upload_save(
            stage_id=batch.id, user=other, text="", revisions=lambda staged: [{}], story_title="X"
        )
    assert StagedUpload.objects.filter(pk=batch.id).exists()
