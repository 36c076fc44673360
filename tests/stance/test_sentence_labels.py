"""Editors mark a single sentence of a paragraph news or opinion (issue 11: "may also mark a
single sentence; every correction feeds retraining"): stored append-only with who, when,
the sentence's text and offsets; shown on the article page; exported with the labels
(escaped for spreadsheets); and read by retraining as sentence rows."""

import csv
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from stance import pipeline
from stance.models import Prediction, SentenceLabel
from stance.selectors import training_data, training_rows_editor_labels
from stance.services.labels import label_create, sentence_label_create
from tests.factories import make_classified_article, make_user
from tests.stance.conftest import SENTENCES

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(active_classifier):
    return make_classified_article(SENTENCES)


@pytest.fixture
def paragraph(article):
    return article.paragraphs.order_by("position").first()


def sentence_spans(paragraph) -> list[tuple[int, int]]:
    rows = Prediction.objects.of_active().get(paragraph=paragraph).sentences
    return [(row[0], row[1]) for row in rows]


def test_a_sentence_label_records_who_when_the_text_and_what_the_model_said(paragraph, editor):
    start, end = sentence_spans(paragraph)[0]
    row = sentence_label_create(
        paragraph=paragraph, editor=editor, start=start, end=end, label="opinion"
    )
    assert row.sentence_text == (
        "The council voted 7-2 on Monday to raise parking fees by 5 per cent."
    )
    assert (row.start, row.end, row.label, row.editor) == (start, end, "opinion", editor)
    assert row.created is not None and row.model_version.is_active
    stored = Prediction.objects.of_active().get(paragraph=paragraph).sentences[0]
    assert (row.model_label, row.model_p_opinion) == (stored[5], stored[4])


def test_only_a_sentence_of_the_models_reading_can_be_marked(paragraph, editor):
    start, end = sentence_spans(paragraph)[0]
    for bad_start, bad_end, label in [(start, end - 3, "news"), (0, 10_000, "news")]:
        with pytest.raises(ValidationError, match="no sentence there"):
            sentence_label_create(
                paragraph=paragraph, editor=editor, start=bad_start, end=bad_end, label=label
            )
    with pytest.raises(ValidationError, match="news or opinion"):
        sentence_label_create(
            paragraph=paragraph, editor=editor, start=start, end=end, label="maybe"
        )
    assert not SentenceLabel.objects.exists()


def test_labels_are_appended_and_the_latest_counts_for_retraining(paragraph, editor):
    start, end = sentence_spans(paragraph)[1]
    for label in ["news", "opinion"]:
        sentence_label_create(paragraph=paragraph, editor=editor, start=start, end=end, label=label)
    assert SentenceLabel.objects.count() == 2  # nothing is overwritten
    rows = training_rows_editor_labels()
    row_id = f"paragraph-{paragraph.pk}:sentence-{start}-{end}"
    assert rows == [(row_id, paragraph.text[start:end], "opinion")]
    # a sentence row is cross-validated with its paragraph, never apart from it
    assert pipeline.piece_key(row_id) == pipeline.piece_key(f"paragraph-{paragraph.pk}")
    texts, labels, counts, _pieces = training_data()
    assert paragraph.text[start:end] in texts and counts["editor labels"] == 1


def test_the_article_page_shows_the_marked_sentence(article, paragraph, editor, editor_client):
    start, end = sentence_spans(paragraph)[0]
    sentence_label_create(paragraph=paragraph, editor=editor, start=start, end=end, label="opinion")
    page = editor_client.get(article.get_absolute_url()).content.decode()
    marked = re.search(r'<span class="op-sentence marked" title="([^"]*)">([^<]*)</span>', page)
    assert marked and marked.group(1) == "Marked opinion by ed"
    assert marked.group(2).startswith("The council voted 7-2")
    assert 'data-key="s"' in page and reverse("sentence-label", args=[paragraph.pk]) in page


def test_the_picker_lists_the_sentences_and_saves_one(paragraph, editor_client):
    url = reverse("sentence-label", args=[paragraph.pk])
    (first, second) = sentence_spans(paragraph)
    picker = editor_client.get(url, {"start": second[0]}, headers={"HX-Request": "true"})
    html = picker.content.decode()
    assert html.count('name="sentence"') == 2
    assert f'value="{second[0]}-{second[1]}" checked' in html
    assert "Frankly, I think this is an absurd and shameful decision." in html

    saved = editor_client.post(
        url,
        {"sentence": f"{first[0]}-{first[1]}", "label": "opinion"},
        headers={"HX-Request": "true"},
    )
    assert saved.status_code == 200
    body = saved.content.decode()
    assert "Sentence marked." in body
    assert f'<p id="text-{paragraph.pk}" hx-swap-oob="true">' in body
    assert 'class="op-sentence marked"' in body
    assert SentenceLabel.objects.get().sentence_text.startswith("The council voted")


def test_the_picker_refuses_bad_input_with_a_message(paragraph, editor_client):
    url = reverse("sentence-label", args=[paragraph.pk])
    for data, message in [
        ({"label": "opinion"}, "Choose a sentence."),
        ({"sentence": "0-5", "label": "opinion"}, "no sentence there"),
        ({"sentence": "x-y", "label": "news"}, "Choose a sentence."),
        (
            {
                "sentence": f"{sentence_spans(paragraph)[0][0]}-{sentence_spans(paragraph)[0][1]}",
                "label": "=1+1",
            },
            "news or opinion",
        ),
    ]:
        answer = editor_client.post(url, data, headers={"HX-Request": "true"})
        assert answer.status_code == 400 and message in answer.content.decode()
    assert not SentenceLabel.objects.exists()


def test_without_the_label_permission_nothing_is_marked(client, paragraph):
    client.force_login(make_user("someone"))
    url = reverse("sentence-label", args=[paragraph.pk])
    assert client.post(url, {"sentence": "0-5", "label": "news"}).status_code == 403
    assert client.get(url).status_code == 403


def test_sentence_labels_are_exported_with_the_labels_and_escaped(
    active_classifier, editor, editor_client
):
    article = make_classified_article(
        'Officials met on Monday. =HYPERLINK("http://evil.example") was typed.'
    )
    paragraph = article.paragraphs.get()
    spans = sentence_spans(paragraph)
    formula = next(s for s in spans if paragraph.text[s[0] : s[1]].startswith("="))
    label_create(paragraph=paragraph, editor=editor, label="news")
    sentence_label_create(
        paragraph=paragraph, editor=editor, start=formula[0], end=formula[1], label="opinion"
    )
    body = editor_client.get(reverse("labels-export", args=["csv"])).streaming_content
    rows = list(csv.DictReader(io.StringIO(b"".join(body).decode())))
    assert [row["record"] for row in rows] == ["label", "sentence"]
    sentence = rows[1]
    assert sentence["sentence_text"].startswith("'=HYPERLINK(")  # text for a spreadsheet
    assert (sentence["sentence_start"], sentence["sentence_end"]) == tuple(map(str, formula))
    assert sentence["label"] == "opinion" and sentence["editor"] == "ed"
