"""Editors correct who said a quote: kept append-only, shown wherever the quote appears,
surviving re-analysis, exported with the labels."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from newsroom.services import actor_set
from stance import framing, services, speakers
from stance.compare import Filters, compare_story
from stance.models import ParagraphAnalysis, SpeakerCorrection
from tests.factories import make_article, make_story

pytestmark = pytest.mark.django_db

TEXT = "\n\n".join(
    [
        "Mayor Ann Hale said on Tuesday the council would appeal the ruling on the tolls.",
        '"We will not back down," Ms Hale said.',
        "Opposition councillor Tom Reyes called the appeal a waste of ratepayers' money.",
        '"It is throwing good money after bad," Mr Reyes said.',
    ]
)


@pytest.fixture
def story(db):
    story = make_story("Harbour tolls")
    actor_set(story=story, name="Ann Hale", aliases=["Ms Hale", "Mayor"], pronoun="she")
    actor_set(story=story, name="Tom Reyes", aliases=["Mr Reyes"], pronoun="he")
    article = make_article(TEXT, story=story, headline="Council to appeal toll ruling")
    services.articles_analyse(articles=[article])
    return story


@pytest.fixture
def quoted(story):
    """The paragraph with Hale's direct quote, and that quote as the analysis found it."""
    paragraph = story.articles.get().paragraphs.get(position=2)
    (quote,) = framing.ParagraphFraming.from_dict(paragraph.analysis.data).quotes
    return paragraph, quote


def actor(story, name):
    return story.actors.get(name=name)


def correct(paragraph, quote, editor, **choice):
    return services.speaker_correct(
        paragraph=paragraph, start=quote.start, end=quote.end, editor=editor, **choice
    )


def voice(story) -> dict[str, int]:
    services.articles_analyse(articles=story.articles.all())  # as the queued task does
    (piece,) = compare_story(story, list(story.articles.values_list("pk", flat=True)), Filters())
    return {figures.actor.name: figures.quoted_words for figures in piece.actors}


def test_the_compare_view_counts_the_corrected_speaker(story, quoted, editor):
    paragraph, quote = quoted
    assert quote.speaker == str(actor(story, "Ann Hale").pk)
    before = voice(story)
    correct(paragraph, quote, editor, choice="actor", actor=actor(story, "Tom Reyes"))
    after = voice(story)
    assert after["Tom Reyes"] == before["Tom Reyes"] + quote.words
    assert after.get("Ann Hale", 0) == before["Ann Hale"] - quote.words


def test_a_correction_survives_re_analysis(story, quoted, editor):
    paragraph, quote = quoted
    before = voice(story)
    correct(paragraph, quote, editor, choice="actor", actor=actor(story, "Tom Reyes"))
    old_signature = paragraph.analysis.signature
    actor_set(story=story, name="Harbour Trust", kind="organisation")  # the analysis is stale
    services.articles_analyse(articles=[paragraph.article])
    assert ParagraphAnalysis.objects.get(paragraph=paragraph).signature != old_signature
    assert voice(story)["Tom Reyes"] == before["Tom Reyes"] + quote.words


def test_a_correction_finds_its_quote_by_text_when_the_bounds_move():
    text = 'Then he said: "We will not back down." Nobody believed it.'
    inner = text.index("We")
    moved = framing.Quote(inner, inner + 23, text[inner : inner + 23], "direct", "1", "he", "", 5)
    wider = SpeakerCorrection(
        start=inner - 1, end=inner + 24, quote_text=text[inner - 1 : inner + 24], choice="other"
    )
    wider.speaker_name = "Tom Reyes"
    analysis = framing.ParagraphFraming(quotes=(moved,))
    (quote,) = speakers.apply_corrections(analysis, text, [wider]).quotes
    assert quote.speaker is None and quote.speaker_text == "Tom Reyes"
    elsewhere = framing.Quote(0, 4, "Then", "direct", "1", "he", "", 1)
    analysis = framing.ParagraphFraming(quotes=(elsewhere,))
    assert speakers.apply_corrections(analysis, text, [wider]).quotes == (elsewhere,)


def test_nobody_makes_the_words_the_author_s_again(story, quoted, editor):
    paragraph, quote = quoted
    (before,) = compare_story(story, list(story.articles.values_list("pk", flat=True)), Filters())
    correct(paragraph, quote, editor, choice="nobody")
    (after,) = compare_story(story, list(story.articles.values_list("pk", flat=True)), Filters())
    assert after.quoted_words == before.quoted_words - quote.words


# ---------------------------------------------------------------------------
# The article page and the picker


def test_the_article_page_shows_each_quote_s_speaker_with_a_link_to_correct_it(
    story, quoted, editor_client
):
    paragraph, quote = quoted
    page = editor_client.get(paragraph.article.get_absolute_url()).content.decode()
    url = reverse("quote-speaker", args=[paragraph.pk])
    assert f"{url}?start={quote.start}&amp;end={quote.end}" in page
    assert 'class="speaker-chip"' in page and ">Ann Hale</a>" in page


def test_the_picker_opens_in_place_and_saving_swaps_the_paragraph(story, quoted, editor_client):
    paragraph, quote = quoted
    url = reverse("quote-speaker", args=[paragraph.pk])
    htmx = {"HX-Request": "true"}
    form = editor_client.get(url, {"start": quote.start, "end": quote.end}, headers=htmx)
    body = form.content.decode()
    assert form.status_code == 200 and "<html" not in body and "Who said" in body
    reyes = actor(story, "Tom Reyes")
    saved = editor_client.post(
        url,
        {"start": quote.start, "end": quote.end, "choice": "actor", "actor": reyes.pk},
        headers=htmx,
    )
    assert saved["HX-Retarget"] == f"#text-{paragraph.pk}"
    assert 'class="speaker-chip corrected"' in saved.content.decode()
    assert ">Tom Reyes</a>" in saved.content.decode()
    slot = f'<div id="speaker-{paragraph.pk}" class="speaker-slot" hx-swap-oob="true"></div>'
    assert slot in saved.content.decode()  # the picker goes
    page = editor_client.get(paragraph.article.get_absolute_url()).content.decode()
    assert ">Tom Reyes</a>" in page


def test_the_picker_works_without_javascript_and_explains_a_refusal(story, quoted, editor_client):
    paragraph, quote = quoted
    url = reverse("quote-speaker", args=[paragraph.pk])
    page = editor_client.get(url, {"start": quote.start, "end": quote.end})
    assert "<html" in page.content.decode() and "We will not back down" in page.content.decode()
    refused = editor_client.post(url, {"start": quote.start, "end": quote.end, "choice": "other"})
    assert refused.status_code == 400 and "Name who said it" in refused.content.decode()
    saved = editor_client.post(
        url, {"start": quote.start, "end": quote.end, "choice": "other", "name": "An aide"}
    )
    assert saved.status_code == 302 and saved["Location"].endswith(f"#p{paragraph.position}")
    assert editor_client.get(url, {"start": 0, "end": 3}).status_code == 404


def test_readers_without_the_permission_see_speakers_but_no_picker(story, quoted, client):
    from tests.factories import make_user

    client.force_login(make_user("reader"))
    paragraph, quote = quoted
    page = client.get(paragraph.article.get_absolute_url()).content.decode()
    assert (
        'class="speaker-chip"' in page and reverse("quote-speaker", args=[paragraph.pk]) not in page
    )
    url = reverse("quote-speaker", args=[paragraph.pk])
    assert client.get(url, {"start": quote.start, "end": quote.end}).status_code == 403


# ---------------------------------------------------------------------------
# Export


def test_corrections_are_exported_with_the_labels(story, quoted, editor, editor_client, tmp_path):
    paragraph, quote = quoted
    services.label_create(paragraph=paragraph, editor=editor, label="news")
    correct(paragraph, quote, editor, choice="other", name="=cmd|' /C calc'!A0")

    body = editor_client.get(reverse("labels-export", args=["csv"])).streaming_content
    rows = list(csv.DictReader(io.StringIO(b"".join(body).decode())))
    assert [row["record"] for row in rows] == ["label", "speaker"]
    speaker = rows[1]
    assert speaker["quote_text"] == paragraph.text[quote.start : quote.end]
    assert speaker["speaker"] == "'=cmd|' /C calc'!A0"  # no formula for a spreadsheet
    assert speaker["model_speaker"] == "Ann Hale" and speaker["speaker_choice"] == "other"

    target = tmp_path / "labels.jsonl"
    call_command("export_labels", "--output", str(target), stderr=io.StringIO())
    label, correction = [json.loads(line) for line in target.read_text().splitlines()]
    assert label["record"] == "label" and label["label"] == "news"
    assert correction["record"] == "speaker" and correction["editor"] == "ed"
    assert correction["quote_start"] == quote.start and correction["quote_end"] == quote.end
    assert correction["paragraph_id"] == paragraph.pk and correction["label"] is None
