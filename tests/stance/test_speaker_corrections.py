"""Editors correct who said a quote: kept append-only, shown wherever the quote appears,
surviving re-analysis, exported with the labels."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from newsroom.services import actor_set
from stance.compare import Filters, compare_story
from stance.models import ParagraphAnalysis
from stance.services.analysis import articles_analyse
from stance.services.labels import label_create
from stance.services.speaker_corrections import speaker_correct
from tests.factories import make_article, make_story

pytestmark = pytest.mark.django_db


def actor(quoted_story, name):
    return quoted_story.actors.get(name=name)


def correct(paragraph, quote, editor, **choice):
    return speaker_correct(
        paragraph=paragraph, start=quote.start, end=quote.end, editor=editor, **choice
    )


def voice(quoted_story) -> dict[str, int]:
    articles_analyse(articles=quoted_story.articles.all())  # as the queued task does
    (piece,) = compare_story(
        quoted_story, list(quoted_story.articles.values_list("pk", flat=True)), Filters()
    )
    return {figures.actor.name: figures.quoted_words for figures in piece.actors}


def test_the_compare_view_counts_the_corrected_speaker(quoted_story, hale_quote, editor):
    paragraph, quote = hale_quote
    assert quote.speaker == str(actor(quoted_story, "Ann Hale").pk)
    before = voice(quoted_story)
    correct(paragraph, quote, editor, choice="actor", actor=actor(quoted_story, "Tom Reyes"))
    after = voice(quoted_story)
    assert after["Tom Reyes"] == before["Tom Reyes"] + quote.words
    assert after.get("Ann Hale", 0) == before["Ann Hale"] - quote.words


def test_a_correction_survives_re_analysis(quoted_story, hale_quote, editor):
    paragraph, quote = hale_quote
    before = voice(quoted_story)
    correct(paragraph, quote, editor, choice="actor", actor=actor(quoted_story, "Tom Reyes"))
    old_signature = paragraph.analysis.signature
    actor_set(
        story=quoted_story, name="Harbour Trust", kind="organisation"
    )  # the analysis is stale
    articles_analyse(articles=[paragraph.article])
    assert ParagraphAnalysis.objects.get(paragraph=paragraph).signature != old_signature
    assert voice(quoted_story)["Tom Reyes"] == before["Tom Reyes"] + quote.words


def test_nobody_makes_the_words_the_author_s_again(quoted_story, hale_quote, editor):
    paragraph, quote = hale_quote
    (before,) = compare_story(
        quoted_story, list(quoted_story.articles.values_list("pk", flat=True)), Filters()
    )
    correct(paragraph, quote, editor, choice="nobody")
    (after,) = compare_story(
        quoted_story, list(quoted_story.articles.values_list("pk", flat=True)), Filters()
    )
    assert after.quoted_words == before.quoted_words - quote.words


# ---------------------------------------------------------------------------
# The article page and the picker


def test_the_article_page_shows_each_quote_s_speaker_with_a_link_to_correct_it(
    quoted_story, hale_quote, editor_client
):
    paragraph, quote = hale_quote
    page = editor_client.get(paragraph.article.get_absolute_url()).content.decode()
    url = reverse("quote-speaker", args=[paragraph.pk])
    assert f"{url}?start={quote.start}&amp;end={quote.end}" in page
    assert 'class="speaker-chip"' in page and ">Ann Hale</a>" in page


def test_a_pronoun_speaker_chip_shows_what_it_points_to_never_the_pronoun(db, editor_client):
    story = make_story("Harbour audit")
    actor_set(story=story, name="Ann Hale", aliases=["Ms Hale"], pronoun="she")
    article = make_article(
        "\n\n".join(
            [
                "The meeting ran late. It said the tolls would rise in March.",
                "The auditor's leaked report reached the Herald on Tuesday.",
                "It says the harbour board overspent by $2 million, Ms Hale said.",
            ]
        ),
        story=story,
        headline="Audit finds overspend",
    )
    articles_analyse(articles=[article])
    page = editor_client.get(article.get_absolute_url()).content.decode()
    assert ">The auditor&#x27;s leaked report</a>" in page  # what "It says" points to
    assert ">It</a>" not in page
    assert ">who said it?</a>" in page  # "It said" with nothing it can point to


def test_the_picker_opens_in_place_and_saving_swaps_the_paragraph(
    quoted_story, hale_quote, editor_client
):
    paragraph, quote = hale_quote
    url = reverse("quote-speaker", args=[paragraph.pk])
    htmx = {"HX-Request": "true"}
    form = editor_client.get(url, {"start": quote.start, "end": quote.end}, headers=htmx)
    body = form.content.decode()
    assert form.status_code == 200 and "<html" not in body and "Who said" in body
    reyes = actor(quoted_story, "Tom Reyes")
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


def test_the_picker_works_without_javascript_and_explains_a_refusal(
    quoted_story, hale_quote, editor_client
):
    paragraph, quote = hale_quote
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


def test_readers_without_the_permission_see_speakers_but_no_picker(
    quoted_story, hale_quote, client
):
    from tests.factories import make_user

    client.force_login(make_user("reader"))
    paragraph, quote = hale_quote
    page = client.get(paragraph.article.get_absolute_url()).content.decode()
    assert (
        'class="speaker-chip"' in page and reverse("quote-speaker", args=[paragraph.pk]) not in page
    )
    url = reverse("quote-speaker", args=[paragraph.pk])
    assert client.get(url, {"start": quote.start, "end": quote.end}).status_code == 403


# ---------------------------------------------------------------------------
# Export


def test_corrections_are_exported_with_the_labels(
    quoted_story, hale_quote, editor, editor_client, tmp_path
):
    paragraph, quote = hale_quote
    label_create(paragraph=paragraph, editor=editor, label="news")
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
