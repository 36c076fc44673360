"""stance.services.labels: editors' labels, append-only."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from stance import services
from stance.models import Label
from stance.selectors import with_verdicts
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

TEXT = (
    "Heading\n\nThe council voted 7-2 on Monday to raise parking fees by 5 per cent.\n\n"
    "This is frankly absurd, surely?"
)


@pytest.fixture
def paragraph(active_classifier):
    article = make_article(TEXT)
    services.articles_classify(articles=[article])
    return article.paragraphs.get(position=2)


def verdict(paragraph):
    return with_verdicts(type(paragraph).objects.filter(pk=paragraph.pk)).get()


def test_the_effective_label_is_the_latest_editor_label_else_the_model(paragraph, editor):
    assert verdict(paragraph).effective_label == verdict(paragraph).model_label == "news"
    services.label_create(paragraph=paragraph, editor=editor, label="opinion")
    assert verdict(paragraph).effective_label == "opinion"
    services.label_create(paragraph=paragraph, editor=editor, label="news", note="fact")
    assert verdict(paragraph).effective_label == "news"


def test_labels_are_append_only_and_undo_appends_too(paragraph, editor):
    first = services.label_create(paragraph=paragraph, editor=editor, label="opinion")
    undo = services.label_undo(label=first, editor=editor)
    assert Label.objects.count() == 2
    assert undo.undoes == first and undo.action == "undo"
    assert verdict(paragraph).effective_label == "news"  # back to the model
    with pytest.raises(ValidationError, match="already been undone"):
        services.label_undo(label=first, editor=editor)


def test_a_label_remembers_what_the_model_said(paragraph, editor):
    label = services.label_create(paragraph=paragraph, editor=editor, label="opinion")
    assert (label.model_label, label.model_version.number) == ("news", 1)
    assert label.model_disagreed


def test_confirming_records_the_models_label(paragraph, editor):
    label = services.label_create(paragraph=paragraph, editor=editor, label="", action="confirm")
    assert (label.label, label.action) == ("news", "confirm")
    assert verdict(paragraph).label_action == "confirm"


def test_headings_are_not_labelled(paragraph, editor):
    heading = paragraph.article.paragraphs.get(position=1)
    with pytest.raises(ValidationError):
        services.label_create(paragraph=heading, editor=editor, label="news")


@pytest.mark.django_db(transaction=True)
def test_two_editors_labelling_at_once_both_keep_their_labels(active_classifier):
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory SQLite test database locks whole tables; PostgreSQL runs it")
    article = make_article(TEXT)
    services.articles_classify(articles=[article])
    paragraph = article.paragraphs.get(position=2)
    editors = [make_user(f"e{i}") for i in range(6)]
    barrier = threading.Barrier(len(editors))
    errors = []

    def label(editor, value):
        try:
            barrier.wait()
            services.label_create(paragraph=paragraph, editor=editor, label=value)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=label, args=(e, "opinion" if i % 2 else "news"))
        for i, e in enumerate(editors)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Label.objects.filter(paragraph=paragraph).count() == len(editors)


@pytest.mark.django_db(transaction=True)
def test_labelling_during_retrain_and_activation_loses_nothing(active_classifier):
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory SQLite test database locks whole tables; PostgreSQL runs it")
    from stance.models import ModelVersion

    article = make_article(TEXT)
    services.articles_classify(articles=[article])
    paragraphs = list(article.paragraphs.filter(kind="paragraph"))
    candidate = services.model_train()
    editors = [make_user(f"busy{i}") for i in range(4)]
    errors = []

    def label(editor):
        try:
            for i in range(10):
                paragraph = paragraphs[i % len(paragraphs)]
                services.label_create(paragraph=paragraph, editor=editor, label="opinion")
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    def flip_versions():
        try:
            for version in [candidate, active_classifier] * 5:
                services.model_activate(version=version)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=label, args=(e,)) for e in editors]
    threads.append(threading.Thread(target=flip_versions))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Label.objects.count() == 40
    assert ModelVersion.objects.filter(is_active=True).count() == 1
