"""The editor's journey through a story: story page -> compare -> filter -> alignment link."""

import io

import pytest
from django.core.management import call_command

from tests.browser.conftest import sign_in, wait_until
from tests.factories import PASSWORD, make_user


@pytest.fixture
def seeded(transactional_db):
    """The seed story read by the default model of the app's own starter corpus (a few
    seconds), not the tiny test corpus: the summary's wording follows the column's opinion
    share, which a model that reads sentences the way the app's does must give."""
    call_command("seed_demo", stdout=io.StringIO())
    return make_user("ed", "Editors")


def test_editor_compares_the_seed_pieces_filters_and_follows_an_alignment_link(
    seeded, live_server, page, screenshot
):
    sign_in(page, live_server, "ed", PASSWORD)
    page.click("text=Goff–Carter dispute")
    page.click("text=Compare the pieces")
    page.wait_for_selector(".summary")
    assert page.locator(".summary").count() == 2
    assert page.locator(".column").count() == 2
    assert "author's own voice" in page.inner_text(".summaries")
    screenshot("compare-seed")

    # A filter swaps the columns in place and records itself in the URL.
    before = page.locator(".cmp-para").count()
    page.check("input[name=only][value=opinion]")
    page.wait_for_url("**only=opinion**")
    wait_until(lambda: page.locator(".cmp-para").count() < before, message="fewer paragraphs")
    chips = page.locator(".cmp-para .label-chip").all_inner_texts()
    assert chips and {chip.lower() for chip in chips} == {"opinion"}
    page.uncheck("input[name=only][value=opinion]")
    wait_until(lambda: page.locator(".cmp-para").count() == before, message="all paragraphs")

    # An alignment link scrolls to its counterpart, which is highlighted.
    link = page.locator(".column").nth(1).locator(".align-link").first
    target = link.get_attribute("href")
    link.click()
    page.wait_for_url(f"**{target}")
    highlighted = page.locator(f"{target}")
    assert highlighted.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"
    screenshot("compare-alignment", full_page=False)

    # The explanation swaps in on demand.
    page.locator(".column").nth(1).locator(".why").first.click()
    page.wait_for_selector(".column .explanation")
    page.locator(".column .explanation").first.scroll_into_view_if_needed()
    screenshot("compare-explanation", full_page=False)
