"""Opinion shares and the article page, sentence by sentence: stored sentences, the share by
words of opinion sentences, an editor's paragraph correction, the page's marks."""

import re

import pytest

from stance import pipeline, voice
from stance.models import Prediction
from stance.selectors import opinion_share_by_article, paragraph_words
from stance.services.labels import label_create
from tests.factories import make_classified_article
from tests.stance.conftest import SENTENCES

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(active_classifier, monkeypatch):
    # each sentence read by the tiny test model's score alone: storage, shares and marks are
    # under test here, not the context weights (stance.voice's tests cover those)
    plain = voice.Calibration(sentence=1.0, threshold=0.5)
    monkeypatch.setattr(pipeline, "calibration_of", lambda model: plain)
    return make_classified_article(SENTENCES)


def test_each_prediction_stores_its_sentences(article):
    first, second = (
        Prediction.objects.filter(paragraph__article=article)
        .order_by("paragraph__position")
        .values_list("paragraph__text", "sentences", "label")
    )
    text, sentences, _ = first
    assert [text[s:e] for s, e, *_ in sentences] == [
        "The council voted 7-2 on Monday to raise parking fees by 5 per cent.",
        "Frankly, I think this is an absurd and shameful decision.",
    ]
    assert [row[3] for row in sentences] == ["author", "author"]
    assert [row[5] for row in sentences] == ["news", "opinion"]
    # the mayor's words are attributed: news, whatever a model would say of them
    assert [row[3] for row in second[1]] == ["attributed"] and second[2] == "news"


def test_the_share_counts_the_words_of_opinion_sentences(article):
    share = opinion_share_by_article([article.pk])[article.pk]
    assert (share.words, share.opinion_words) == (32, 10)  # 15 + 10 + 7 words
    assert share.percent == round(100 * 10 / 32)
    assert share.sentences == 3 and share.few_sentences


def test_an_editors_paragraph_label_covers_its_whole_paragraph(article, editor):
    first = article.paragraphs.order_by("position").first()
    label_create(paragraph=first, editor=editor, label="news")
    assert opinion_share_by_article([article.pk])[article.pk].opinion_words == 0
    label_create(paragraph=first, editor=editor, label="opinion")
    assert opinion_share_by_article([article.pk])[article.pk].opinion_words == 25


def test_a_prediction_without_sentences_counts_by_its_label():
    assert paragraph_words("one two three", "opinion", None, []) == (3, 3, 1)
    assert paragraph_words("one two three", "news", None, None) == (3, 0, 1)
    stored = [[0, 3, 1, "structure", 0.0, "news"], [4, 13, 2, "author", 0.9, "opinion"]]
    assert paragraph_words("Big one two", "opinion", None, stored) == (2, 2, 1)
    assert paragraph_words("Big one two", "news", "news", stored) == (2, 0, 1)


def test_the_article_page_marks_the_opinion_sentences(article, editor_client):
    page = editor_client.get(article.get_absolute_url()).content.decode()
    # one sentence, in pieces where a quote mark's own span starts or ends inside it
    pieces = re.findall(r'<span class="op-sentence"[^>]*>(.*?)</span>(?!</span>)', page)
    marked = re.sub(r"<[^>]+>", "", "".join(pieces))
    assert marked.startswith("Frankly, I think this is an absurd and shameful decision.")
    assert "council voted" not in marked and "no choice" not in marked
    assert "rough figure" in page  # three sentences: the share is marked as rough
