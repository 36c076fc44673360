"""An article's opinion share is cached (a long article's page reads it on every view) under
a key that changes with whatever it is computed from: labels, undos, predictions,
paragraphs, the active version. (Issue 14, finding 10: a 20,000-paragraph page took 5 s.)"""

import pytest

from newsroom.models import Paragraph
from stance.models import Prediction
from stance.selectors import opinion_share_by_article
from stance.services.classification import articles_classify
from stance.services.labels import label_create, label_undo
from tests.factories import make_classified_article

pytestmark = pytest.mark.django_db

TEXT = (
    "The council voted 7-2 on Monday to raise parking fees by 5 per cent.\n\n"
    '"We had no choice," the mayor said after the vote on Monday.'
)


@pytest.fixture
def article(active_classifier):
    return make_classified_article(TEXT)


def share(article):
    return opinion_share_by_article([article.pk])[article.pk]


def test_a_label_and_its_undo_change_the_share_at_once(article, editor):
    before = share(article)
    paragraph = article.paragraphs.order_by("position").first()
    label = label_create(paragraph=paragraph, editor=editor, label="opinion")
    labelled = share(article)
    assert labelled.opinion_words > before.opinion_words
    label_undo(label=label, editor=editor)
    assert share(article).opinion_words == before.opinion_words


def test_new_predictions_and_paragraphs_change_the_share(article):
    Prediction.objects.filter(paragraph__article=article).delete()
    assert share(article).labelled == 0
    articles_classify(articles=[article])
    assert share(article).labelled == 2
    Paragraph.objects.create(article=article, position=3, text="It is a shameful decision.")
    assert share(article).paragraphs == 3


def test_a_cached_share_reads_no_rows(article, django_assert_max_num_queries):
    share(article)
    with django_assert_max_num_queries(4):  # the key's counts and the cache
        assert share(article).paragraphs == 2
