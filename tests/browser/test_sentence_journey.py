"""An editor marks a single sentence of a paragraph, by keyboard and by click, in a real
browser; the paragraph's own label keys keep working."""

import io

import pytest
from django.core.management import call_command

from newsroom.models import Article
from stance.models import Prediction, SentenceLabel
from tests.browser.conftest import sign_in, wait_until
from tests.factories import PASSWORD, make_user


@pytest.fixture
def seeded(transactional_db, tiny_corpus):
    call_command("seed_demo", stdout=io.StringIO())
    return make_user("ed", "Editors")


def _paragraph_with_sentences(article: Article, at_least: int = 2):
    for prediction in (
        Prediction.objects.of_active()
        .filter(paragraph__article=article, paragraph__kind="paragraph")
        .select_related("paragraph")
        .order_by("paragraph__position")
    ):
        if len(prediction.sentences) >= at_least:
            return prediction.paragraph, prediction.sentences
    raise AssertionError("no paragraph of several sentences")


def test_an_editor_marks_one_sentence_by_keyboard_and_by_click(
    seeded, live_server, page, screenshot
):
    article = Article.objects.get(genre="opinion")
    paragraph, sentences = _paragraph_with_sentences(article)
    sign_in(page, live_server, "ed", PASSWORD)
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    item = f"#p{paragraph.position}"

    # Keyboard: s opens the picker on the focused paragraph, focus on its first sentence;
    # the down arrow chooses the second, Tab reaches the buttons.
    page.focus(item)
    page.keyboard.press("s")
    page.wait_for_selector(f"{item} .sentence-form")
    wait_until(
        lambda: page.evaluate("() => document.activeElement.name") == "sentence",
        message="the picker has the focus",
    )
    page.keyboard.press("ArrowDown")
    second = f"{sentences[1][0]}-{sentences[1][1]}"
    assert page.evaluate("() => document.activeElement.value") == second
    page.keyboard.press("Tab")  # "This sentence is news"
    page.keyboard.press("Tab")  # "This sentence is opinion"
    assert "opinion" in page.evaluate("() => document.activeElement.textContent")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"{item} .sentence-slot .done")
    row = SentenceLabel.objects.get()
    assert (row.start, row.end, row.label) == (sentences[1][0], sentences[1][1], "opinion")
    marked = page.locator(f"{item} .op-sentence.marked")
    assert marked.count() >= 1
    assert paragraph.text[sentences[1][0] : sentences[1][1]].startswith(
        marked.first.inner_text().strip()[:20]
    )
    screenshot("sentence-marked")

    # The paragraph's keys still label the whole paragraph.
    page.focus(item)
    page.keyboard.press("n")
    wait_until(lambda: "labelled by ed" in page.inner_text(item), message="paragraph labelled")

    # Click: a marked sentence opens the picker with it chosen; mark it news.
    page.locator(f"{item} .op-sentence.marked").first.click()
    page.wait_for_selector(f"{item} .sentence-form")
    assert page.locator(f"{item} input[name=sentence][value='{second}']").is_checked()
    screenshot("sentence-picker", full_page=False)
    page.click(f"{item} .sentence-form button[value=news]")
    wait_until(lambda: SentenceLabel.objects.count() == 2, message="second sentence label")
    page.wait_for_selector(f"{item} .news-sentence.marked")
    assert SentenceLabel.objects.latest("pk").label == "news"
