"""stance.services.classification: the classifier's predictions, stored per version."""

import pytest

from newsroom.models import Paragraph
from stance import pipeline, voice
from stance.models import Prediction
from stance.services.classification import articles_classify, paragraphs_classify
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def sentence_alone(monkeypatch):
    """Each sentence read by the tiny test model's score alone: what is stored is under test
    here, not the context weights (stance.voice's tests cover those with stand-in models)."""
    plain = voice.Calibration(sentence=1.0, threshold=0.5)
    monkeypatch.setattr(pipeline, "calibration_of", lambda model: plain)


def test_classifying_stores_label_probability_and_version(active_classifier, sentence_alone):
    article = make_article(
        "Heading\n\nThe council voted 7-2 on Monday to raise parking fees by 5 per cent.\n\n"
        "Frankly, I think this is an absurd and shameful decision."
    )
    assert articles_classify(articles=[article]) == 2  # the heading is not classified
    predictions = Prediction.objects.filter(paragraph__article=article).order_by(
        "paragraph__position"
    )
    assert [p.version for p in predictions] == [active_classifier] * 2
    assert all(0 <= p.p_opinion <= 1 for p in predictions)
    assert [p.label for p in predictions] == ["news", "opinion"]
    # Re-classifying updates in place rather than duplicating.
    articles_classify(articles=[article])
    assert Prediction.objects.filter(paragraph__article=article).count() == 2


def test_without_an_active_version_articles_are_stored_unclassified(db):
    article = make_article()
    assert articles_classify(articles=[article]) == 0
    assert not Prediction.objects.exists()


def test_paragraph_kinds_that_are_not_classified(active_classifier):
    article = make_article("Heading\n\nBody text here.\n\n- With AP")
    articles_classify(articles=[article])
    kinds = set(
        Paragraph.objects.filter(predictions__isnull=False, article=article).values_list(
            "kind", flat=True
        )
    )
    assert kinds == {"paragraph"}


def test_classifying_reports_its_progress_up_to_the_whole(active_classifier):
    article = make_article("\n\n".join(f"The council met on day {i}." for i in range(5)))
    reports = []
    done = paragraphs_classify(
        paragraphs=Paragraph.objects.filter(article=article),
        progress=lambda message, fraction: reports.append((message, fraction)),
    )
    assert done == 5 == Prediction.objects.filter(version=active_classifier).count()
    assert reports[-1] == ("Classified 5 of 5 paragraphs", 1.0)
