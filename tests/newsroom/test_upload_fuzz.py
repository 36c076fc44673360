"""The upload page under random and hostile files (issue 6): every answer is a page or a 4xx
with a clear message, never a 5xx, never a partial save, never script in a page.

The generators and checks are in tests/newsroom/upload_fuzz.py, shared with
bench/fuzz_upload.py, which runs thousands of cases; here a fixed seed and a few of every
category keep the file well under a minute.
"""

import io
import random
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from newsroom.ingest import MAX_UPLOAD_BYTES
from newsroom.models import Article, Outlet, Paragraph, Story
from tests.factories import make_outlet, make_story
from tests.newsroom.upload_fuzz import (
    ACCEPT,
    CATEGORIES,
    HOSTILE_HTML,
    HOSTILE_MARKDOWN,
    REJECT,
    TAG,
    FuzzFile,
    Summary,
    UploadFuzzer,
    encode_multipart,
    error_text,
    form_fields,
    generate_case,
    generate_cases,
    page_problems,
)

SEED = 6
RANDOM_CASES = 40
CASES_PER_CATEGORY = 3


@pytest.fixture
def fuzzer(admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    return UploadFuzzer(client, make_story(), make_outlet())


def run(fuzzer, cases) -> Summary:
    summary = Summary()
    for case in cases:
        summary.add(fuzzer.run(case))
    return summary


def failures(summary: Summary) -> str:
    lines = [summary.table()]
    for outcome in summary.failed:
        names = [upload.name[:60] for upload in outcome.case.files]
        lines.append(f"#{outcome.case.number} {outcome.case.category} {names}:")
        lines += [f"  {kind}: {detail}" for kind, detail in outcome.problems]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Fuzzing with a fixed seed
# ---------------------------------------------------------------------------------------------


def test_a_random_mix_of_cases_shows_no_problem(fuzzer):
    cases = generate_cases(SEED, RANDOM_CASES)
    summary = run(fuzzer, cases)
    assert not summary.failed, failures(summary)
    results = {outcome.result for outcome in summary.outcomes}
    assert results == {"accepted", "refused"}


@pytest.mark.parametrize("category", CATEGORIES)
def test_every_category_shows_no_problem(fuzzer, category):
    rng = random.Random(f"{SEED}-{category}")
    cases = [generate_case(rng, number, category) for number in range(CASES_PER_CATEGORY)]
    summary = run(fuzzer, cases)
    assert not summary.failed, failures(summary)


def test_too_many_files_are_refused_with_a_clear_message(fuzzer):
    case = generate_case(random.Random(SEED), 0, "too many files")
    summary = run(fuzzer, [case])
    assert not summary.failed, failures(summary)


# ---------------------------------------------------------------------------------------------
# Hostile cases, one by one
# ---------------------------------------------------------------------------------------------

URL = reverse("upload")


def post(client, fields, files=()):
    """POST the upload form as a browser does (multipart, files under their own names)."""
    body, content_type = encode_multipart(list(fields.items()), list(files))
    return client.post(URL, body, content_type=content_type)


def preview_fields(story, outlet, **extra):
    return {"story": str(story.pk), "outlet": str(outlet.pk), "genre": "news", **extra}


def hostile_page() -> str:
    body = "".join(f"<p>Paragraph {i} of the council report. {snippet}</p>" for i, snippet in
                   enumerate(HOSTILE_HTML))  # fmt: skip
    return f"<html><head><title>Council report</title></head><body>{body}</body></html>"


def test_html_with_scripts_handlers_and_script_urls_is_saved_as_inert_text(
    admin_client_, story, outlet
):
    upload = FuzzFile("council.html", hostile_page().encode(), ACCEPT)
    response = post(admin_client_, preview_fields(story, outlet, action="preview"), [upload])
    assert response.status_code == 200
    preview = response.content.decode()
    assert page_problems(preview) == []
    assert "Paragraph 0 of the council report." in preview

    save = dict(form_fields(preview, "save"))
    response = post(admin_client_, save)
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    page = admin_client_.get(article.get_absolute_url()).content.decode()
    assert page_problems(page) == []
    texts = list(article.paragraphs.values_list("text", flat=True))
    # Unclosed hostile markup (<math>, <noscript>, ...) may swallow what follows it; the
    # rest is kept as plain text.
    assert texts[:3] == [f"Paragraph {i} of the council report." for i in range(3)]
    assert not [text for text in texts if TAG.search(text)]
    assert not [text for text in texts if "javascript:" in text.lower()]


def test_hostile_markdown_is_saved_as_inert_text(admin_client_, story, outlet):
    source = "\n\n".join(f"Line {i} of the notes. {s}" for i, s in enumerate(HOSTILE_MARKDOWN))
    upload = FuzzFile("notes.md", source.encode(), ACCEPT)
    response = post(admin_client_, preview_fields(story, outlet, action="preview"), [upload])
    response = post(admin_client_, dict(form_fields(response.content.decode(), "save")))
    assert response.status_code == 302
    article = Article.objects.get()
    assert page_problems(admin_client_.get(article.get_absolute_url()).content.decode()) == []
    texts = list(article.paragraphs.values_list("text", flat=True))
    assert texts and not [text for text in texts if TAG.search(text)]
    assert not [text for text in texts if "javascript:" in text.lower()]


def test_a_hostile_file_name_is_shown_escaped(admin_client_, story, outlet):
    name = "<img src=x onerror=alert(1)>.pdf"
    response = post(
        admin_client_,
        preview_fields(story, outlet, action="preview"),
        [FuzzFile(name, b"%PDF-1.4", REJECT)],
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert page_problems(page) == []
    assert name in error_text(page)


def test_one_bad_file_in_a_batch_saves_nothing_and_names_the_file(admin_client_, story, outlet):
    files = [
        FuzzFile(
            "good.txt", b"The council met on Tuesday.\n\nIt voted to close the wharf.", ACCEPT
        ),
        FuzzFile("broken.docx", b"PK\x03\x04" + bytes(200), REJECT),
        FuzzFile("page.html", hostile_page().encode(), ACCEPT),
    ]
    counts = (Article.objects.count(), Paragraph.objects.count(), Story.objects.count())
    response = post(
        admin_client_,
        {"new_story": "Wharf", "outlet": str(outlet.pk), "genre": "news", "action": "preview"},
        files,
    )
    assert response.status_code == 400
    message = error_text(response.content.decode())
    assert "“broken.docx”" in message and "Word" in message
    assert "good.txt" not in message and "page.html" not in message
    assert (Article.objects.count(), Paragraph.objects.count(), Story.objects.count()) == counts


def test_a_file_over_the_limit_is_refused_stating_the_limit(admin_client_, story, outlet):
    data = b"word " * (MAX_UPLOAD_BYTES // 5 + 100_000)
    response = post(
        admin_client_,
        preview_fields(story, outlet, action="preview"),
        [FuzzFile("long.txt", data, REJECT)],
    )
    assert response.status_code == 400
    message = error_text(response.content.decode())
    assert "“long.txt”" in message and "2.5 MB" in message and "over the 2 MB limit" in message
    assert Article.objects.count() == 0


def test_a_stale_preview_of_a_piece_stored_meanwhile_leaves_nothing_behind(
    admin_client_, story, outlet
):
    """The new story named in the refused batch is not created either."""
    upload = FuzzFile("wharf.txt", b"The harbour board voted to close the wharf.", ACCEPT)
    fields = {"new_story": "Wharf closure", "outlet": str(outlet.pk), "genre": "news"}
    first = post(admin_client_, {**fields, "action": "preview"}, [upload])
    other = post(admin_client_, preview_fields(story, outlet, action="preview"), [upload])
    assert post(admin_client_, dict(form_fields(other.content.decode(), "save"))).status_code == 302
    stories = Story.objects.count()

    response = post(admin_client_, dict(form_fields(first.content.decode(), "save")))
    assert response.status_code == 400
    assert "already stored" in error_text(response.content.decode())
    assert Story.objects.count() == stories
    assert not Story.objects.filter(title="Wharf closure").exists()
    assert Article.objects.count() == 1


@pytest.mark.parametrize("unit", ["[", "![", "*a", "_a", "[x][", "`a", "<", "&", "- ", "\n"])
def test_pathological_markdown_is_answered(admin_client_, story, outlet, unit):
    data = (unit * (MAX_UPLOAD_BYTES // len(unit)))[: MAX_UPLOAD_BYTES - 1].encode()
    response = post(
        admin_client_,
        preview_fields(story, outlet, action="preview"),
        [FuzzFile("notes.md", data, ACCEPT)],
    )
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "“notes.md”" in error_text(response.content.decode())


def test_a_zip_bomb_named_docx_is_refused(admin_client_, story, outlet):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        archive.writestr("word/media/zeros.bin", bytes(30 * 2**20))
    response = post(
        admin_client_,
        preview_fields(story, outlet, action="preview"),
        [FuzzFile("bomb.docx", buffer.getvalue(), REJECT)],
    )
    assert response.status_code == 400
    assert "too large to read safely" in error_text(response.content.decode())
    assert Outlet.objects.count() == 1
