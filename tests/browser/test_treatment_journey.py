"""The editor's journey through the treatment grid: six pieces, a cell's evidence, a filter."""

import io

import pytest
from django.core.management import call_command

from newsroom.models import Actor, Story
from tests.browser.conftest import sign_in, wait_until
from tests.factories import PASSWORD, make_article, make_outlet, make_user

MORE = [
    (
        "The Courier",
        "Carter's coup",
        "Chris Carter's shameful, reckless campaign against his "
        "own party is a disgrace. Carter has betrayed everyone who trusted him.",
    ),
    (
        "The Ledger",
        "Goff steady",
        "Phil Goff has handled the row with courage and patience. "
        "Goff deserves credit for a wise, calm response.",
    ),
    (
        "The Bugle",
        "Council meets",
        "The council met on Monday. Chris Carter attended and "
        "Phil Goff spoke to reporters afterwards.",
    ),
    (
        "The Post",
        "Expulsion upheld",
        "Mr Carter's appeal will be heard next month. Mr Goff said he would not comment.",
    ),
]


@pytest.fixture
def story(transactional_db, tiny_corpus):
    call_command("seed_demo", stdout=io.StringIO())
    make_user("ed", "Editors")
    story = Story.objects.get(slug="goff-carter")
    for outlet, headline, text in MORE:
        make_article(text, story=story, outlet=make_outlet(outlet), headline=headline)
    return story


def test_editor_opens_the_grid_a_cells_evidence_and_filters_by_actor(
    story, live_server, page, screenshot
):
    sign_in(page, live_server, "ed", PASSWORD)
    page.click("text=Goff–Carter dispute")
    page.click("text=Treatment grid")
    page.wait_for_selector(".treatment-grid")
    assert page.locator(".treatment-grid thead th").count() == 1 + 6  # six pieces
    rows = page.locator(".treatment-grid tbody tr").count()
    assert rows >= 3
    screenshot("treatment-grid")

    # A cell opens the words behind its verdict, each linked to its paragraph.
    carter = Actor.objects.get(story=story, name="Chris Carter")
    courier = story.articles.get(headline="Carter's coup")
    page.click(f"a[href*='cell={carter.pk}-{courier.pk}']")
    wait_until(lambda: "shameful" in page.inner_text("#evidence"), message="evidence")
    assert "critical" in page.inner_text("#evidence")
    assert page.locator("#evidence mark").count() >= 2
    screenshot("treatment-evidence", full_page=False)
    link = page.locator("#evidence .evidence-list a").first
    assert f"#a{courier.pk}-p" in link.get_attribute("href")

    # The actor filter keeps one row and records itself in the URL.
    page.select_option("select[name=actor]", str(carter.pk))
    page.wait_for_url(f"**actor={carter.pk}**")
    wait_until(
        lambda: page.locator(".treatment-grid tbody tr").count() == 1, message="one actor row"
    )
    assert page.inner_text(".treatment-grid tbody th") == "Chris Carter"
    screenshot("treatment-filtered")
