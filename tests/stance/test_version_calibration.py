"""A version's own calibration in the app: the known straight news that editors' labels make,
and the calibration stored with the version."""

import pytest

from stance import pipeline, registry, selectors, voice
from stance.services.labels import label_create
from stance.services.versions import model_train
from tests.factories import make_article

pytestmark = pytest.mark.django_db

REPORT = (
    "Heading of the report\n\n"
    "The council voted 7-2 on Monday to raise parking fees.\n\n"
    "The increase takes effect in March, a spokesman said.\n\n"
    "Fees were last raised in 2019."
)


def label_all(article, editor, label):
    for paragraph in article.paragraphs.classifiable():
        label_create(paragraph=paragraph, editor=editor, label=label)


def test_known_news_are_articles_labelled_news_throughout(active_classifier, editor):
    news = make_article(REPORT, headline="Fees")
    label_all(news, editor, "news")
    mixed = make_article(REPORT.replace("Fees were", "Drivers were"), headline="Mixed")
    label_all(mixed, editor, "news")
    label_create(paragraph=mixed.paragraphs.classifiable().last(), editor=editor, label="opinion")
    partly = make_article(REPORT.replace("Fees were", "Tolls were"), headline="Partly")
    label_create(paragraph=partly.paragraphs.classifiable().first(), editor=editor, label="news")
    short = make_article("The council met.\n\nIt voted.", headline="Short")
    label_all(short, editor, "news")

    known = selectors.training_news_articles()
    assert known == [list(news.paragraphs.order_by("position").values_list("text", flat=True))]


def test_a_trained_version_stores_its_calibration(active_classifier, editor, monkeypatch):
    # without enough known news a version keeps the default, stored with it all the same
    assert active_classifier.params["voice_calibration"] == voice.DEFAULT_CALIBRATION.as_json()
    monkeypatch.setattr(pipeline, "MIN_KNOWN_NEWS_ARTICLES", 2)
    for n in range(2):
        text = REPORT.replace("2019", f"{2010 + n}")
        label_all(make_article(text, headline=f"Fees {n}"), editor, "news")
    version = model_train()
    own = voice.Calibration.from_json(version.params["voice_calibration"])
    assert own != voice.DEFAULT_CALIBRATION
    assert version.training_summary["known_news_articles"] == 2
    assert pipeline.calibration_of(registry.pipeline_for(version)) == own
