"""The admin's journey: a batch with one bad file is refused whole; fixed, it is saved."""

import pytest

from newsroom.models import Article, Paragraph
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, make_outlet, make_story, make_user

REPORT = (
    b"Port workers walked off the job at dawn on Monday.\n\n"
    b"Talks stall\n\n"
    b'"We have been patient for two years," said union organiser Mere Tane.\n\n'
    b"- With wire services\n"
)


@pytest.fixture
def admin(transactional_db):
    make_story("Port strike")
    make_outlet("Harbour News")
    return make_user("boss", "Admins")


def files(*pairs):
    return [{"name": name, "mimeType": "text/plain", "buffer": data} for name, data in pairs]


def test_admin_uploads_a_batch_sees_the_bad_file_then_saves_the_fixed_one(
    admin, live_server, page, screenshot
):
    sign_in(page, live_server, "boss", PASSWORD)
    page.click("text=Upload")
    page.select_option("#id_story", label="Port strike")
    page.select_option("#id_outlet", label="Harbour News")
    page.select_option("#id_genre", "news")
    page.set_input_files(
        "#id_files", files(("report.txt", REPORT), ("broken.txt", b"\x00\x01\x02" * 40))
    )
    page.click("button[value=preview]")
    page.wait_for_selector(".error-box")
    assert "broken.txt" in page.inner_text(".error-box")
    screenshot("upload-refused")
    assert Article.objects.count() == 0

    page.set_input_files("#id_files", files(("report.txt", REPORT)))
    page.click("button[value=preview]")
    page.wait_for_selector(".preview")
    assert "Talks stall" in page.inner_text(".preview")
    page.fill("#id_doc-0-headline", "Port workers strike")
    screenshot("upload-preview")
    page.click("button[value=save]")
    page.wait_for_selector("h1:has-text('Port workers strike')")
    screenshot("upload-saved-article")
    assert Paragraph.objects.filter(article__headline="Port workers strike").count() == 4
    assert page.locator(".para.kind-heading").inner_text().endswith("Talks stall")
