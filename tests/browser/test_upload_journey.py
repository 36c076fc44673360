"""The admin's upload journeys: a mixed-outlet batch whose boilerplate is dropped, and a
batch with a broken file under DEBUG=1, refused whole with the page intact."""

import pytest

from newsroom.models import Article, Outlet, Paragraph
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, make_outlet, make_story, make_user

REPORT = (
    b"Port workers walked off the job at dawn on Monday.\n\n"
    b"Talks stall\n\n"
    b'"We have been patient for two years," said union organiser Mere Tane.\n\n'
    b"Want more? Sign up for our newsletter\n\n"
    b"Pictures: Harbour News photo desk\n\n"
    b"- With wire services\n"
)


def web_page(outlet: str, headline: str, lede: str) -> bytes:
    return f"""<!doctype html><html><head><title>{headline} | {outlet}</title>
<meta property="og:site_name" content="{outlet}">
<meta property="article:published_time" content="2024-03-05"></head><body>
<header><div class="logo">{outlet}</div><nav><a href="/">Home</a><a href="/news">News</a></nav>
</header><main><article><h1>{headline}</h1><p class="byline">By Ana Roe</p>
<p>{lede}</p>
<p>The union said the offer did not cover rising costs, and talks would resume on Friday.</p>
<p>By entering your email and pushing continue, you are agreeing to our Terms of Use.</p>
<p>Can't afford to contribute?</p></article>
<aside class="related"><h3>Related</h3><a href="/x">Ferry fares to rise</a></aside></main>
<footer>© 2024 {outlet}</footer></body></html>""".encode()


@pytest.fixture
def admin(transactional_db):
    make_story("Port strike")
    make_outlet("Harbour News")
    return make_user("boss", "Admins")


def files(*pairs):
    return [{"name": name, "mimeType": "text/plain", "buffer": data} for name, data in pairs]


def test_admin_saves_a_mixed_outlet_batch_dropping_a_boilerplate_block(
    admin, live_server, page, screenshot
):
    sign_in(page, live_server, "boss", PASSWORD)
    page.click("text=Upload")
    page.select_option("#id_story", label="Port strike")
    page.select_option("#id_outlet", label="Harbour News")
    page.select_option("#id_genre", "news")
    page.set_input_files(
        "#id_files",
        files(
            ("report.txt", REPORT),
            ("quay.html", web_page("Quay Times", "Wharf closes", "The wharf closed on Monday.")),
            ("herald.html", web_page("Bay Herald", "Ships wait", "Ships waited off the port.")),
        ),
    )
    page.click("button[value=preview]")
    page.wait_for_selector(".preview")
    outlets = [page.input_value(f"#id_doc-{n}-outlet") for n in range(3)]
    assert outlets == ["Harbour News", "Quay Times", "Bay Herald"]
    headlines = [page.input_value(f"#id_doc-{n}-headline") for n in range(3)]
    assert headlines[1:] == ["Wharf closes", "Ships wait"]
    page.fill("#id_doc-0-headline", "Port workers strike")

    report = page.locator("#staged-0")
    report.locator("summary").click()
    newsletter = report.locator("li.block", has_text="Want more? Sign up for our newsletter")
    assert newsletter.locator("input[type=checkbox]").is_checked()  # dropped by the rules
    assert "newsletter prompt" in newsletter.inner_text().lower()
    credit = report.locator("li.block", has_text="Pictures: Harbour News photo desk")
    assert not credit.locator("input[type=checkbox]").is_checked()
    credit.locator("input[type=checkbox]").check()  # the admin drops what the rules kept
    quay = page.locator("#staged-1")
    quay.locator("summary").click()
    assert (
        quay.locator("li.block", has_text="Can't afford to contribute?")
        .locator("input[type=checkbox]")
        .is_checked()
    )
    screenshot("upload-preview-mixed")

    page.click("button[value=save]")
    page.wait_for_selector("h1:has-text('Port strike')")
    screenshot("upload-saved-story")
    by_outlet = {a.outlet.name: a for a in Article.objects.select_related("outlet")}
    assert set(by_outlet) == {"Harbour News", "Quay Times", "Bay Herald"}
    assert Outlet.objects.count() == 3
    report_text = [p.text for p in by_outlet["Harbour News"].paragraphs.all()]
    assert "Want more? Sign up for our newsletter" not in report_text
    assert "Pictures: Harbour News photo desk" not in report_text
    assert report_text[:2] == [
        "Port workers walked off the job at dawn on Monday.",
        "Talks stall",
    ]
    quay_text = [p.text for p in by_outlet["Quay Times"].paragraphs.all()]
    assert quay_text == [
        "The wharf closed on Monday.",
        "The union said the offer did not cover rising costs, and talks would resume on Friday.",
    ]
    assert by_outlet["Quay Times"].headline == "Wharf closes"

    page.goto(f"{live_server.url}{by_outlet['Quay Times'].get_absolute_url()}")
    page.wait_for_selector("h1:has-text('Wharf closes')")
    screenshot("upload-saved-article")


def test_a_broken_file_under_debug_names_the_file_and_keeps_the_page(
    admin, live_server, page, screenshot, settings
):
    settings.DEBUG = True
    sign_in(page, live_server, "boss", PASSWORD)
    page.goto(f"{live_server.url}/upload/")
    page.select_option("#id_story", label="Port strike")
    page.select_option("#id_outlet", label="Harbour News")
    page.set_input_files(
        "#id_files", files(("report.txt", REPORT), ("broken.txt", b"\x00\x01\x02" * 40))
    )
    page.click("button[value=preview]")
    page.wait_for_selector(".error-box")
    assert "broken.txt" in page.inner_text(".error-box")
    # The page around the message is intact: layout, navigation, the form to try again.
    assert page.locator("header").count() >= 1
    assert page.locator("link[rel=stylesheet]").count() >= 1
    assert page.locator("#id_files").is_visible()
    screenshot("upload-refused-debug")
    assert Article.objects.count() == 0

    page.set_input_files("#id_files", files(("report.txt", REPORT)))
    page.click("button[value=preview]")
    page.wait_for_selector(".preview")
    page.click("button[value=save]")
    page.wait_for_selector("h1:has-text('Port workers walked off the job')")
    assert Paragraph.objects.filter(article__outlet__name="Harbour News").count() == 5


def test_a_long_document_loads_its_blocks_in_the_preview_and_a_drop_is_kept(
    admin, live_server, page
):
    text = "\n\n".join(f"Paragraph {n} of a long report on the port." for n in range(300))
    sign_in(page, live_server, "boss", PASSWORD)
    page.goto(f"{live_server.url}/upload/")
    page.select_option("#id_story", label="Port strike")
    page.select_option("#id_outlet", label="Harbour News")
    page.fill("#id_text", text)
    page.click("button[value=preview]")
    page.wait_for_selector(".preview")
    # A lone document's split starts open, so its blocks are fetched at once.
    last = page.locator("li.block", has_text="Paragraph 299 of a long report")
    last.wait_for()
    last.locator("input[type=checkbox]").check()
    page.click("button[value=save]")
    page.wait_for_url("**/articles/**")
    texts = list(Paragraph.objects.values_list("text", flat=True))
    assert len(texts) == 299 and "Paragraph 299 of a long report on the port." not in texts
