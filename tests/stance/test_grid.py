"""The treatment grid: every piece of a story against every actor, cells open evidence."""

import re

import pytest
from django.urls import reverse

from newsroom.models import Actor
from stance.models import ParagraphAnalysis
from stance.services.analysis import articles_analyse
from tests.factories import make_article, make_outlet, make_story

pytestmark = pytest.mark.django_db

PIECES = [
    (
        "The Ledger",
        "Holm wharf plan",
        "Mr Holm presented the wharf plan on Tuesday. Mr Holm said the sale would close in June.",
    ),
    (
        "The Courier",
        "A wise mayor",
        "Peter Holm is a wise, honest and brave mayor. Holm "
        "deserves credit for his courage and his excellent plan.",
    ),
    (
        "The Bugle",
        "Wharf vote set",
        "The council will vote on June 3. Ms Tane said she would vote against the sale.",
    ),
    (
        "The Post",
        "A shambles",
        "Mara Tane has made a shambles of the debate. Tane's "
        "pathetic, dishonest campaign is a disgrace.",
    ),
    (
        "The Times",
        "Wharf valued",
        "The wharf was valued at $14 million. Mr Holm and Ms Tane both attended the meeting.",
    ),
]


@pytest.fixture
def story():
    story = make_story("Harbour wharf sale")
    Actor.objects.create(story=story, name="Peter Holm", aliases="Mr Holm\nHolm", pronoun="he")
    Actor.objects.create(story=story, name="Mara Tane", aliases="Ms Tane\nTane", pronoun="she")
    for outlet, headline, text in PIECES:
        make_article(text, story=story, outlet=make_outlet(outlet), headline=headline)
    articles_analyse(articles=story.articles.all())  # as the task the first view queues does
    return story


def grid_url(story, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("story-treatment", args=[story.slug]) + ("?" + query if query else "")


def test_it_shows_every_piece_and_actor_with_treatment_mentions_and_voice(editor_client, story):
    page = editor_client.get(grid_url(story)).content.decode()
    assert "2 actors × 5 pieces" in page
    for _outlet, headline, _text in PIECES:
        assert headline in page
    assert page.count('class="cell cell-') == 10
    assert "cell-favourable" in page and "cell-critical" in page
    text_table = re.search(r"<pre>(.*?)</pre>", page, re.S).group(1)
    assert "Peter Holm" in text_table and "favourable" in text_table


def test_a_cell_opens_its_evidence_as_a_partial_linked_to_its_paragraph(editor_client, story):
    holm = Actor.objects.get(story=story, name="Peter Holm")
    courier = story.articles.get(headline="A wise mayor")
    url = grid_url(story, cell=f"{holm.pk}-{courier.pk}")
    partial = editor_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<section id="evidence"') and "<html" not in partial
    assert "favourable" in partial and "<mark" in partial and "wise" in partial
    assert f"#a{courier.pk}-p1" in partial  # the evidence links to its paragraph
    whole = editor_client.get(url).content.decode()  # without JavaScript: the whole page
    assert "<html" in whole and 'id="evidence"' in whole and "wise" in whole


def test_filtering_by_actor_keeps_only_its_row(editor_client, story):
    tane = Actor.objects.get(story=story, name="Mara Tane")
    page = editor_client.get(grid_url(story, actor=tane.pk)).content.decode()
    assert "1 actor × 5 pieces" in page
    assert '<th scope="row">Mara Tane</th>' in page
    assert '<th scope="row">Peter Holm</th>' not in page


def test_bad_cells_and_unknown_stories_are_harmless(editor_client, story):
    assert editor_client.get(grid_url(story, cell="x-1")).status_code == 200
    assert editor_client.get(grid_url(story, cell="999-999")).status_code == 200
    missing = reverse("story-treatment", args=["no-such-story"])
    assert editor_client.get(missing).status_code == 404


def test_a_piece_without_a_fresh_analysis_is_pending_and_the_grid_asks_again(
    editor_client, story, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    ParagraphAnalysis.objects.filter(paragraph__article__headline="A shambles").delete()
    page = editor_client.get(grid_url(story)).content.decode()
    assert "Analysis pending for 1 piece" in page and 'hx-trigger="every 3s"' in page
    assert "2 actors × 5 pieces" in page  # the others as analysed
