import io
import re

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from newsroom import ingest
from newsroom.models import Article, Outlet, Paragraph, Story
from tests.factories import make_article, make_outlet

URL = reverse("upload")

REPORT = (
    "The harbour board voted on Tuesday to close the northern wharf.\n\n"
    "Wharf repairs\n\n"
    '"It is a disgrace," said the mayor, Ana Roe.\n\n'
    "- With wire services\n"
)


def txt(name: str, text: str, encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/plain")


def docx_file(name: str) -> SimpleUploadedFile:
    document = docx.Document()
    document.add_heading("Port workers strike", level=1)
    document.add_paragraph("Port workers walked off the job at dawn on Monday.")
    document.add_paragraph("The union said pay talks had stalled.")
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def form_data(story, outlet, **extra):
    return {"story": story.pk, "outlet": outlet.pk, "genre": "news", **extra}


@pytest.fixture
def outlet(db):
    return make_outlet("Harbour News")


def preview(client, data):
    return client.post(URL, {**data, "action": "preview"})


def stage_token(response) -> str:
    match = re.search(r'name="stage" value="([^"]+)"', response.content.decode())
    assert match, "the preview carries the staged documents"
    return match.group(1)


def save(client, data, token, metas):
    payload = {**data, "action": "save", "stage": token}
    for i, meta in enumerate(metas):
        payload.update({f"doc-{i}-{key}": value for key, value in meta.items()})
    return client.post(URL, payload)


def assert_refused(response, message: str) -> None:
    """The upload was refused (400) with `message`, and no article was saved."""
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Article.objects.count() == 0


META = {"headline": "Wharf to close", "outlet": "Harbour News", "byline": "", "genre": "news"}


def test_it_previews_the_split_without_saving(admin_client_, story, outlet):
    response = preview(admin_client_, form_data(story, outlet, files=[txt("wharf.txt", REPORT)]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Preview: 1 article" in page
    assert "Wharf repairs" in page and "heading" in page and "credit" in page
    assert Article.objects.count() == 0


def test_it_saves_a_batch_of_files_after_preview(admin_client_, story, outlet):
    files = [txt("wharf.txt", REPORT), docx_file("strike.docx")]
    data = form_data(story, outlet)
    token = stage_token(preview(admin_client_, {**data, "files": files}))
    metas = [META, {**META, "headline": "Port workers strike", "genre": "analysis"}]
    response = save(admin_client_, data, token, metas)
    assert response.status_code == 302
    assert response["Location"] == story.get_absolute_url()
    wharf, strike = Article.objects.order_by("pk")
    assert (wharf.headline, wharf.genre, wharf.story, wharf.outlet) == (
        "Wharf to close",
        "news",
        story,
        outlet,
    )
    assert list(wharf.paragraphs.values_list("position", "kind")) == [
        (1, "paragraph"),
        (2, "heading"),
        (3, "paragraph"),
        (4, "credit"),
    ]
    assert strike.genre == "analysis"
    assert strike.paragraphs.first().kind == Paragraph.Kind.HEADING


def test_it_creates_a_new_story_and_outlet_when_named(admin_client_, db):
    data = {"new_story": "Wharf closure", "new_outlet": "Harbour News", "genre": "news"}
    token = stage_token(preview(admin_client_, {**data, "text": REPORT}))
    response = save(admin_client_, {**data, "text": REPORT}, token, [META])
    article = Article.objects.get()
    assert response["Location"] == article.get_absolute_url()
    assert article.story.title == "Wharf closure"
    assert article.outlet.name == "Harbour News"


def test_it_requires_a_story(admin_client_, db):
    response = preview(admin_client_, {"genre": "news", "text": REPORT})
    assert response.status_code == 400
    assert "Choose a story or name a new one." in response.content.decode()


def test_every_document_needs_an_outlet_at_save(admin_client_, story):
    data = {"story": story.pk, "genre": "news", "text": REPORT}
    token = stage_token(preview(admin_client_, data))  # no default outlet: allowed
    response = save(admin_client_, data, token, [{**META, "outlet": " "}])
    assert_refused(response, "Choose an outlet or name a new one.")


@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        (txt("empty.txt", ""), "empty"),
        (SimpleUploadedFile("junk.txt", b"\x00\x01\x02binary\x00" * 50), "text"),
        (SimpleUploadedFile("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8), "text"),
        (SimpleUploadedFile("notes.pdf", b"%PDF-1.4 hello"), ".docx"),
        (SimpleUploadedFile("broken.docx", b"PK\x03\x04 not really a zip"), "docx"),
        (txt("big.txt", "word " * (ingest.MAX_UPLOAD_BYTES // 5 + 10)), "MB"),
        # a block over the length cap that cannot be split (issue 14, finding 1)
        (txt("runon.txt", "lorem ipsum dolor " * 400), "no sentence end"),
    ],
    ids=["empty", "nul-bytes", "png-renamed", "unsupported", "broken-docx", "too-big", "run-on"],
)
def test_it_rejects_bad_files_naming_them(admin_client_, story, outlet, upload, reason):
    response = preview(admin_client_, form_data(story, outlet, files=[upload]))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was saved" in page
    assert upload.name in page and reason in page
    assert Article.objects.count() == 0


def test_one_bad_file_rejects_the_whole_batch(admin_client_, story, outlet):
    files = [txt("good.txt", REPORT), txt("empty.txt", "   \n "), docx_file("strike.docx")]
    response = preview(admin_client_, form_data(story, outlet, files=files))
    assert response.status_code == 400
    assert "empty.txt" in response.content.decode()
    assert "Preview:" not in response.content.decode()
    assert Article.objects.count() == Paragraph.objects.count() == 0


def test_a_duplicate_in_the_batch_rejects_it_at_save_too(admin_client_, story, outlet):
    data = form_data(story, outlet)
    token = stage_token(preview(admin_client_, {**data, "files": [txt("wharf.txt", REPORT)]}))
    make_article(REPORT.replace("\n", "\r\n"), story=story, outlet=outlet)  # stored meanwhile
    response = save(admin_client_, data, token, [META])
    assert response.status_code == 400
    assert "already stored" in response.content.decode()
    assert Article.objects.count() == 1


def test_a_reupload_says_it_exists_and_links_to_it(admin_client_, story, outlet):
    stored = make_article(REPORT, story=story, outlet=outlet)
    curly = REPORT.replace('"It is a disgrace,"', "“It is a disgrace,”")
    response = preview(admin_client_, form_data(story, outlet, files=[txt("again.txt", curly)]))
    page = response.content.decode()
    assert "“again.txt” is already stored as “Tolls rise”." in page
    assert f'href="{stored.get_absolute_url()}"' in page


def test_the_same_text_twice_in_one_batch_is_refused(admin_client_, story, outlet):
    files = [txt("a.txt", REPORT), txt("b.txt", REPORT)]
    response = preview(admin_client_, form_data(story, outlet, files=files))
    assert "“b.txt” appears twice in this upload." in response.content.decode()


def test_an_invalid_field_on_one_document_saves_none(admin_client_, story, outlet):
    data = form_data(story, outlet)
    files = [txt("wharf.txt", REPORT), docx_file("strike.docx")]
    token = stage_token(preview(admin_client_, {**data, "files": files}))
    metas = [META, {**META, "source_url": "not a url"}]
    response = save(admin_client_, data, token, metas)
    assert_refused(response, "Enter a valid URL.")


def test_it_refuses_a_tampered_preview(admin_client_, story, outlet):
    data = form_data(story, outlet, text=REPORT)
    token = stage_token(preview(admin_client_, data))
    for forged in (token[:-2] + "00", "not-an-id", ""):
        assert_refused(save(admin_client_, data, forged, [META]), "preview again")


def test_text_changed_after_preview_is_previewed_again_not_saved(admin_client_, story, outlet):
    data = form_data(story, outlet)
    token = stage_token(preview(admin_client_, {**data, "text": REPORT}))
    response = save(admin_client_, {**data, "text": REPORT + "\n\nA new line."}, token, [META])
    assert response.status_code == 200
    assert "A new line." in response.content.decode()
    assert Article.objects.count() == 0


def test_uploaded_html_is_never_rendered(admin_client_, story, outlet):
    hostile = (
        "<html><body><h1>Title</h1><script>alert('x')</script>"
        '<p onclick="steal()">Council <b>votes</b> today. <a href="javascript:evil()">x</a></p>'
        "<img src=x onerror=alert(1)></body></html>"
    )
    data = form_data(story, outlet)
    upload = SimpleUploadedFile("page.html", hostile.encode())
    response = preview(admin_client_, {**data, "files": [upload]})
    page = response.content.decode()
    assert "Council votes today." in page
    for bad in ("alert(", "steal()", "javascript:", "onerror"):
        assert bad not in page
    token = stage_token(response)
    save(admin_client_, data, token, [META])
    article = Article.objects.get()
    page = admin_client_.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in page and "onclick" not in page


def test_pasted_text_with_markup_is_escaped_on_the_page(admin_client_, story, outlet):
    text = "The board met. <em>Then</em> &lt;script&gt;alert(1)&lt;/script&gt; happened."
    data = form_data(story, outlet, text=text)
    token = stage_token(preview(admin_client_, data))
    save(admin_client_, data, token, [META])
    page = admin_client_.get(Article.objects.get().get_absolute_url()).content.decode()
    assert "<script>" not in page


def test_htmx_preview_returns_the_form_partial_only(admin_client_, story, outlet):
    response = admin_client_.post(
        URL,
        form_data(story, outlet, text=REPORT, action="preview"),
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<form id="upload-form"')
    assert "<html" not in page and "site-header" not in page


def test_htmx_save_redirects_the_page(admin_client_, story, outlet):
    data = form_data(story, outlet, text=REPORT)
    token = stage_token(preview(admin_client_, data))
    payload = {
        **data,
        "action": "save",
        "stage": token,
        **{f"doc-0-{k}": v for k, v in META.items()},
    }
    response = admin_client_.post(URL, payload, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == Article.objects.get().get_absolute_url()


def test_the_headline_is_prefilled_from_the_file(admin_client_, story, outlet):
    page = preview(admin_client_, form_data(story, outlet, files=[docx_file("strike.docx")]))
    assert 'value="Port workers strike"' in page.content.decode()


def test_editors_cannot_upload(editor_client, story, outlet):
    assert editor_client.get(URL).status_code == 403
    response = editor_client.post(URL, form_data(story, outlet, text=REPORT, action="preview"))
    assert response.status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_nothing_is_stored_for_any_rejected_upload(admin_client_, story, outlet):
    assert (Story.objects.count(), Outlet.objects.count()) == (1, 1)
    preview(
        admin_client_,
        {"new_story": "X", "new_outlet": "Y", "genre": "news", "files": [txt("e.txt", "")]},
    )
    assert (Story.objects.count(), Outlet.objects.count()) == (1, 1)
