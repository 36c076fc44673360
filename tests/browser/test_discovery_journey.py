"""A story nobody typed actors for: proposals -> accept one -> compare shows it; then an
editor corrects a quote's speaker on the article page."""

import io

import pytest
from django.core.management import call_command

from newsroom.models import Actor, Story
from newsroom.services import SEED_DIR
from stance.models import SpeakerCorrection
from tests.browser.conftest import sign_in, wait_until
from tests.factories import PASSWORD, make_user

RAW = [
    SEED_DIR / "goff-carter" / "herald-report.txt",
    SEED_DIR / "goff-carter" / "armstrong-column.txt",
]


@pytest.fixture
def imported(transactional_db, active_classifier):
    call_command(
        "import_articles",
        "--story",
        "labour-split",
        "--title",
        "Labour expels an MP",
        "--outlet",
        "NZ Herald",
        *map(str, RAW),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    make_user("ed", "Editors")
    return Story.objects.get(slug="labour-split")


def test_editor_accepts_a_proposed_actor_compares_and_corrects_a_speaker(
    imported, live_server, page, screenshot
):
    assert not imported.actors.exclude(status=Actor.Status.PROPOSED).exists()
    sign_in(page, live_server, "ed", PASSWORD)
    page.goto(f"{live_server.url}{imported.get_absolute_url()}")
    proposals = page.locator(".proposal")
    assert "Phil Goff" in page.inner_text(".proposals") and proposals.count() >= 5
    screenshot("discovery-proposals")

    # Accept Phil Goff with one click: the actors section swaps in place.
    page.click("button[aria-label='Accept Phil Goff']")
    page.wait_for_selector("#actors .message-success")
    assert "Phil Goff" in page.inner_text("#actors ul.actors")
    wait_until(
        lambda: Actor.objects.get(story=imported, name="Phil Goff").status == "curated",
        message="Phil Goff curated",
    )
    # Hide one that is not an actor of the dispute.
    if page.locator("button[aria-label='Hide Press Gallery']").count():
        page.click("button[aria-label='Hide Press Gallery']")
        page.wait_for_selector("#actors details.hidden-actors")
    screenshot("discovery-accepted")

    # The compare view works on the new story and shows the accepted actor's voice.
    page.click("text=Compare the pieces")
    page.wait_for_selector(".summary")
    voice = page.locator(".summary").first.inner_text()
    assert "Phil Goff" in voice and "Chris Carter" in voice
    screenshot("discovery-compare")

    # The article page: click a quote, pick who said it, the chip shows the correction.
    report = imported.articles.get(source_filename="herald-report.txt")
    page.goto(f"{live_server.url}{report.get_absolute_url()}")
    chip = page.locator("a.speaker-chip").first
    chip.scroll_into_view_if_needed()
    chip_id = chip.get_attribute("id")
    page.locator(f"[data-quote='{chip_id}']").first.click()  # the quote itself opens it
    page.wait_for_selector(".speaker-form")
    screenshot("discovery-speaker-picker", full_page=False)
    page.check(".speaker-form input[name=choice][value=other]")
    page.fill(".speaker-form input[name=name]", "A Labour insider")
    page.click(".speaker-form button[type=submit]")
    page.wait_for_selector(f"a#{chip_id}.corrected")
    assert page.inner_text(f"a#{chip_id}") == "A Labour insider"
    assert page.locator(".speaker-form").count() == 0
    correction = SpeakerCorrection.objects.get()
    assert correction.speaker_name == "A Labour insider" and correction.editor.username == "ed"
    screenshot("discovery-speaker-corrected", full_page=False)
