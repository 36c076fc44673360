"""The editor's desk in a real browser: errors inside the page, keyboard shortcuts."""

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from newsroom.models import Article, Paragraph
from tests.browser.conftest import ARTIFACTS, sign_in, wait_until
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


def _focused_paragraph(page) -> str | None:
    return page.evaluate(
        "() => { const a = document.activeElement;"
        " const p = a && a.closest('[data-labelable]'); return p ? p.id : null; }"
    )


def _open_shortcuts(page) -> str:
    page.keyboard.press("?")
    page.wait_for_selector("dialog#shortcuts[open]")
    text = page.inner_text("dialog#shortcuts")
    assert "Keyboard shortcuts" in text
    return text


def _close_shortcuts(page) -> None:
    page.keyboard.press("Escape")
    wait_until(lambda: page.locator("dialog#shortcuts[open]").count() == 0, message="closed")


def test_article_page_keys_and_the_shortcuts_panel(seeded, live_server, page, screenshot):
    sign_in(page, live_server, "ed", PASSWORD)
    article = _article("Mischief")
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    assert "j" in page.inner_text(".keys-help") and "?" in page.inner_text(".keys-help")
    panel = _open_shortcuts(page)
    for key in ["j", "k", "n", "o", "c", "u", "w", "?", "Esc"]:
        assert page.locator(f"dialog#shortcuts kbd:text-is('{key}')").count() == 1, key
    assert "Next paragraph" in panel
    screenshot("desk-shortcuts-article", full_page=False)
    _close_shortcuts(page)

    page.keyboard.press("j")
    first = _focused_paragraph(page)
    page.keyboard.press("j")
    second = _focused_paragraph(page)
    assert first and second and first != second
    page.keyboard.press("k")
    assert _focused_paragraph(page) == first
    page.keyboard.press("o")
    wait_until(lambda: page.locator(f"#{first} .verdict .by").count() == 1, message="labelled")
    assert "labelled by ed" in page.inner_text(f"#{first}")

    # Escape leaves the note field; the keys then act on the paragraph again.
    page.locator(f"#{first} input[name=note]").click()
    page.keyboard.type("no")  # typed, not taken as keys
    assert page.locator(f"#{first} input[name=note]").input_value() == "no"
    page.keyboard.press("Escape")
    assert _focused_paragraph(page) == first
    assert page.evaluate("() => document.activeElement.tagName") != "INPUT"
    page.keyboard.press("w")
    page.wait_for_selector(f"#{first} .explanation")


def test_compare_keys_follow_reading_order_across_pieces(seeded, live_server, page, screenshot):
    sign_in(page, live_server, "ed", PASSWORD)
    page.goto(f"{live_server.url}/stories/goff-carter/compare/")
    panel = _open_shortcuts(page)
    assert "Next piece" in panel and "reading order" in panel
    _close_shortcuts(page)
    columns = page.locator(".columns .column")
    assert columns.count() == 2

    def column_of_focus() -> int:
        return page.evaluate(
            "() => Array.from(document.querySelectorAll('.columns .column'))"
            ".indexOf(document.activeElement.closest('.column'))"
        )

    # j reaches the right-hand piece long before the left one ends.
    seen = []
    for _ in range(4):
        page.keyboard.press("j")
        seen.append(column_of_focus())
    assert set(seen) == {0, 1}
    left_count = columns.nth(0).locator("[data-labelable]").count()
    assert left_count > 4

    # l and h switch piece, landing level with (or aligned to) the paragraph left.
    if column_of_focus() == 1:
        page.keyboard.press("h")
    assert column_of_focus() == 0
    page.keyboard.press("l")
    assert column_of_focus() == 1
    page.keyboard.press("h")
    assert column_of_focus() == 0
    page.keyboard.press("n")
    wait_until(lambda: page.locator(".verdict .by").count() == 1, message="labelled by key")


def test_review_queue_keys_and_panel(seeded, live_server, page):
    sign_in(page, live_server, "ed", PASSWORD)
    page.goto(f"{live_server.url}/review/")
    page.wait_for_selector("[data-queue]")
    assert "skip" in page.inner_text(".keys-help")
    panel = _open_shortcuts(page)
    assert "Skip" in panel and "Undo your last label" in panel
    _close_shortcuts(page)
    page.keyboard.press("o")
    wait_until(lambda: "1 of" in page.inner_text(".progress-line"), message="1 reviewed")
    page.locator("[data-queue] input[name=note]").click()
    page.keyboard.type("sure")
    page.keyboard.press("Escape")
    page.keyboard.press("s")
    wait_until(lambda: "1 skipped" in page.inner_text(".progress-line"), message="skipped")


def test_compare_at_390px_shows_one_piece_at_a_time(seeded, live_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, live_server, "ed", PASSWORD)
        page.goto(f"{live_server.url}/stories/goff-carter/compare/")
        tabs = page.locator("[data-piece-tab]")
        assert tabs.count() == 2 and tabs.nth(0).is_visible()
        columns = page.locator(".columns .column")
        assert columns.nth(0).is_visible() and not columns.nth(1).is_visible()
        assert tabs.nth(0).get_attribute("aria-pressed") == "true"
        # Nothing scrolls sideways.
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "desk-compare-390.png"))

        tabs.nth(1).click()
        assert columns.nth(1).is_visible() and not columns.nth(0).is_visible()
        assert tabs.nth(1).get_attribute("aria-pressed") == "true"
        assert page.locator(".summary").nth(1).is_visible()
        assert not page.locator(".summary").nth(0).is_visible()

        # An alignment link to the other piece switches to it and lands on the paragraph.
        link = columns.nth(1).locator(".align-link").first
        target = link.get_attribute("href").lstrip("#")
        link.click()
        assert columns.nth(0).is_visible() and not columns.nth(1).is_visible()
        assert page.locator(f"#{target}").is_visible()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


def _border_colour(page, selector: str) -> str:
    return page.eval_on_selector(selector, "e => getComputedStyle(e).borderLeftColor")


def test_labelling_in_place_updates_every_figure(seeded, live_server, page, screenshot):
    sign_in(page, live_server, "ed", PASSWORD)
    article = _article("Mischief")
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    share = page.inner_text(f"#share-article-{article.pk}")
    first = page.locator(".para[data-labelable]").first
    first_id = first.get_attribute("id")
    was = page.get_attribute(f"#{first_id} .verdict", "data-label")
    other = "news" if was == "opinion" else "opinion"
    colour_before = _border_colour(page, f"#{first_id} > p")
    first.locator(f"button[value={other}]").click()
    wait_until(
        lambda: page.inner_text(f"#share-article-{article.pk}") != share, message="share updated"
    )
    assert page.get_attribute(f"#{first_id} .verdict", "data-label") == other
    assert _border_colour(page, f"#{first_id} > p") != colour_before
    screenshot("desk-article-labelled", full_page=False)

    # On compare, the summary's opinion share follows a label without a reload.
    page.goto(f"{live_server.url}/stories/goff-carter/compare/")
    summary = page.locator(".summary").nth(0)
    before = summary.locator(".opinion-share").inner_text()
    column = page.locator(".columns .column").nth(0)
    paragraph = column.locator(".cmp-para[data-labelable]").first
    label = paragraph.locator(".verdict").get_attribute("data-label")
    paragraph.locator(f"button[value={'news' if label == 'opinion' else 'opinion'}]").click()
    wait_until(
        lambda: page.locator(".summary").nth(0).locator(".opinion-share").inner_text() != before,
        message="compare summary updated",
    )
    screenshot("desk-compare-labelled", full_page=False)


def test_the_candidate_card_names_flips_and_recommends(seeded, live_server, page, screenshot):
    from stance.selectors import with_verdicts
    from stance.services.labels import label_create

    # The editor contradicts the model on twelve paragraphs, so a retrain changes things.
    article = _article("Goff rejects")
    paragraphs = with_verdicts(Paragraph.objects.classifiable().filter(article=article))
    for paragraph in list(paragraphs.order_by("position"))[:12]:
        opposite = "news" if paragraph.model_label == "opinion" else "opinion"
        label_create(paragraph=paragraph, editor=seeded["ed"], label=opposite)

    sign_in(page, live_server, "lead", PASSWORD)
    page.goto(f"{live_server.url}/models/")
    page.click("text=Retrain now")
    page.wait_for_selector(".candidate", timeout=60_000)
    card = page.inner_text(".candidate")
    assert "What would change" in card
    assert "On editors' labels (12)" in card
    assert "model predictions would flip" in card and "not editors' labels" in card
    assert "Recommendation:" in card
    changes = int(re.search(r"(\d+) of \d+ model predictions would flip", card).group(1))
    assert changes > 0  # twelve contradicting labels move the model
    page.locator(".candidate details").first.evaluate("d => d.open = true")
    flips = page.inner_text(".candidate table.flips")
    headlines = "|".join(re.escape(a.headline) for a in Article.objects.all())
    assert re.search(rf"({headlines}), ¶\d+", flips)  # named by article, not by id
    assert "#" not in flips.split("\n")[1]
    toward_line = re.search(r"(\d+) would come to match an editor", card)
    toward = int(toward_line.group(1)) if toward_line else 0
    assert ("the change agrees" in flips) == (toward > 0)
    screenshot("desk-candidate")


def test_a_conflict_is_settled_in_the_queue_and_its_history_is_one_key_away(
    seeded, live_server, page, screenshot
):
    from stance.models import Label
    from stance.services.labels import label_create

    bob = make_user("bob", "Editors")
    paragraph = Paragraph.objects.classifiable().filter(article=_article("Mischief")).first()
    label_create(paragraph=paragraph, editor=seeded["ed"], label="news", note="A fact.")
    label_create(paragraph=paragraph, editor=bob, label="opinion", note="A jibe.")

    sign_in(page, live_server, "ed", PASSWORD)
    page.goto(f"{live_server.url}/review/")
    queue = page.locator("[data-queue]")
    assert "editors disagree" in queue.inner_text().lower()
    assert "A fact." in queue.inner_text() and "A jibe." in queue.inner_text()
    screenshot("desk-review-conflict", full_page=False)
    page.keyboard.press("o")
    wait_until(
        lambda: Label.objects.filter(action=Label.Action.ADJUDICATE).exists(), message="settled"
    )

    # On the article page the paragraph says it was settled; i opens its history.
    page.goto(f"{live_server.url}{paragraph.article.get_absolute_url()}#p{paragraph.position}")
    row = page.locator(f"#p{paragraph.position}")
    assert "settled by ed" in row.inner_text()
    row.focus()
    page.keyboard.press("i")
    page.wait_for_selector(f"#p{paragraph.position} .history-list")
    history = row.locator(".history-list").inner_text()
    assert "settled the disagreement: opinion" in history
    assert "A fact." in history and "A jibe." in history and "bob" in history
    screenshot("desk-history", full_page=False)
