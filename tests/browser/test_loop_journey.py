"""The editorial loop in a real browser: correct, review, undo; retrain, compare, activate."""

import io

import pytest
from django.core.management import call_command

from stance.models import Label, ModelVersion
from tests.browser.conftest import sign_in, wait_until
from tests.factories import PASSWORD, make_user


@pytest.fixture
def seeded(transactional_db, tiny_corpus):
    call_command("seed_demo", stdout=io.StringIO())
    make_user("ed", "Editors")
    make_user("lead", "Data leads")


def live_labels():
    return Label.objects.live().count()


def test_editor_corrects_and_reviews_then_data_lead_retrains_and_activates(
    seeded, live_server, page, screenshot
):
    sign_in(page, live_server, "ed", PASSWORD)
    page.goto(f"{live_server.url}/stories/goff-carter/compare/")
    column = page.locator(".column").nth(1)
    # A piece whose analysis a worker is still storing shows pending and its columns are
    # swapped in when done: label once they are final.
    wait_until(lambda: page.locator("#analysis-poll").count() == 0, message="analysis stored")

    # Three corrections in the compare view: by click, and by keyboard (focus, then o / n).
    column.locator(".cmp-para[data-labelable]").nth(0).locator("button[value=news]").click()
    wait_until(lambda: page.locator(".verdict .by").count() >= 1, message="1 labels")
    # The swap hands focus back to the labelled paragraph when it settles: wait for that, or
    # it can take the focus from the next paragraph after we give it, and "o" relabels the first.
    wait_until(lambda: page.locator("[data-labelable]:focus").count() == 1, message="focus back")
    page.wait_for_timeout(100)
    column.locator(".cmp-para[data-labelable]").nth(1).focus()
    page.keyboard.press("o")
    wait_until(lambda: page.locator(".verdict .by").count() >= 2, message="2 labels")
    # Focus comes back to the labelled paragraph once the swap settles; then move on.
    wait_until(lambda: page.locator("[data-labelable]:focus").count() == 1, message="focus back")
    page.wait_for_timeout(100)
    page.keyboard.press("j")  # the next paragraph in reading order, across the pieces
    moved_to = page.evaluate("() => document.activeElement.id")
    page.keyboard.press("n")
    wait_until(lambda: page.locator(".verdict .by").count() >= 3, message="3 labels")
    assert live_labels() == 3
    assert "labelled by ed" in page.locator(f"#{moved_to}").inner_text()
    screenshot("loop-compare-corrected", full_page=False)

    # Two in the review queue, then undo one.
    page.click("nav >> text=Review")
    page.wait_for_selector("[data-queue]")
    page.keyboard.press("o")
    wait_until(lambda: "4 of" in page.inner_text(".progress-line"), message="4 reviewed")
    page.keyboard.press("n")
    wait_until(lambda: "5 of" in page.inner_text(".progress-line"), message="5 reviewed")
    page.keyboard.press("u")
    wait_until(lambda: "4 of" in page.inner_text(".progress-line"), message="4 reviewed")
    assert live_labels() == 4
    screenshot("loop-queue", full_page=False)
    page.click("text=Sign out")

    # The data lead retrains, reads the comparison and activates the candidate.
    sign_in(page, live_server, "lead", PASSWORD)
    page.click("nav >> text=Models")
    page.click("text=Retrain now")
    page.wait_for_selector(".candidate", timeout=60_000)
    assert "would flip" in page.inner_text(".candidate")
    screenshot("loop-candidate")
    page.click(".candidate button.primary")
    wait_until(lambda: "classifier v2" in page.inner_text("tr.is-active"), message="v2 active")
    assert ModelVersion.objects.get(is_active=True).number == 2
    screenshot("loop-activated", full_page=False)

    # Articles now show the new version's labels.
    page.goto(f"{live_server.url}/stories/goff-carter/")
    page.click("text=Mischief making weird way")
    assert "classifier v2" in page.inner_text(".article header")
