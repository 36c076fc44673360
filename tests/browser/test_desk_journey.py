"""The editor's desk in a real browser: errors inside the page, keyboard shortcuts."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from newsroom.models import Article, Paragraph
from tests.browser.conftest import sign_in, wait_until
from tests.factories import PASSWORD, make_user


@pytest.fixture
def seeded(transactional_db, tiny_corpus):
    call_command("seed_demo", stdout=io.StringIO())
    return {"ed": make_user("ed", "Editors"), "lead": make_user("lead", "Data leads")}


def _article(headline_part: str) -> Article:
    return Article.objects.get(headline__icontains=headline_part)


def test_failed_htmx_requests_show_their_message_inside_the_page_in_debug(
    seeded, live_server, page, screenshot, settings
):
    settings.DEBUG = True
    sign_in(page, live_server, "ed", PASSWORD)
    article = _article("Mischief")
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    paragraphs = page.locator(".para[data-labelable]")

    # The editor loses the labelling permission mid-session: the 403's own message.
    seeded["ed"].groups.remove(Group.objects.get(name="Editors"))
    paragraphs.nth(0).locator("button[value=opinion]").click()
    page.wait_for_selector("#page-errors .message-error")
    assert "does not have" in page.inner_text("#page-errors")
    assert page.locator("header.site-header").is_visible()  # the document is intact
    assert page.locator("link[href*='app.css']").count() == 1
    screenshot("desk-error-403", full_page=False)
    page.click("#page-errors .dismiss")
    assert page.locator("#page-errors .message").count() == 0

    # The paragraph is deleted meanwhile: DEBUG's 404 page has no message, so the status's.
    seeded["ed"].groups.add(Group.objects.get(name="Editors"))
    Paragraph.objects.filter(
        pk=int(paragraphs.nth(1).locator(".verdict").get_attribute("data-paragraph"))
    ).delete()
    paragraphs.nth(1).locator("button[value=news]").click()
    page.wait_for_selector("#page-errors .message-error")
    assert "no longer there" in page.inner_text("#page-errors")
    assert page.locator("header.site-header").is_visible()
    wait_until(lambda: page.locator(".htmx-request").count() == 0, message="no request left")
