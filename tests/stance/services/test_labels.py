"""stance.services.labels: editors' labels, append-only."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from stance.models import Label, ModelVersion
from stance.selectors import with_verdicts
from stance.services.labels import label_create, label_undo, label_undo_last
from stance.services.versions import model_activate, model_train
from tests.factories import make_article, make_classified_article, make_user
from tests.stance.conftest import HEADED

pytestmark = pytest.mark.django_db


def verdict(classified_paragraph):
    return with_verdicts(
        type(classified_paragraph).objects.filter(pk=classified_paragraph.pk)
    ).get()


def test_the_effective_label_is_the_latest_editor_label_else_the_model(
    classified_paragraph, editor
):
    assert (
        verdict(classified_paragraph).effective_label
        == verdict(classified_paragraph).model_label
        == "news"
    )
    label_create(paragraph=classified_paragraph, editor=editor, label="opinion")
    assert verdict(classified_paragraph).effective_label == "opinion"
    label_create(paragraph=classified_paragraph, editor=editor, label="news", note="fact")
    assert verdict(classified_paragraph).effective_label == "news"


def test_labels_are_append_only_and_undo_appends_too(classified_paragraph, editor):
    first = label_create(paragraph=classified_paragraph, editor=editor, label="opinion")
    undo = label_undo(label=first, editor=editor)
    assert Label.objects.count() == 2
    assert undo.undoes == first and undo.action == "undo"
    assert verdict(classified_paragraph).effective_label == "news"  # back to the model
    with pytest.raises(ValidationError, match="already been undone"):
        label_undo(label=first, editor=editor)


def test_a_label_remembers_what_the_model_said(classified_paragraph, editor):
    label = label_create(paragraph=classified_paragraph, editor=editor, label="opinion")
    assert (label.model_label, label.model_version.number) == ("news", 1)
    assert label.model_disagreed


def test_confirming_records_the_models_label(classified_paragraph, editor):
    label = label_create(paragraph=classified_paragraph, editor=editor, label="", action="confirm")
    assert (label.label, label.action) == ("news", "confirm")
    assert verdict(classified_paragraph).label_action == "confirm"


def test_headings_are_not_labelled(classified_paragraph, editor):
    heading = classified_paragraph.article.paragraphs.get(position=1)
    with pytest.raises(ValidationError):
        label_create(paragraph=heading, editor=editor, label="news")


def test_label_undo_last_undoes_the_editors_latest_live_label(active_classifier, editor):
    article = make_article("One.\n\nTwo.\n\nThree.")
    first, second, third = article.paragraphs.order_by("position")
    other = make_user("other")
    label_create(paragraph=first, editor=editor, label="opinion")
    latest = label_create(paragraph=second, editor=editor, label="news")
    label_create(paragraph=third, editor=other, label="news")  # not theirs
    undo = label_undo_last(editor=editor)
    assert (undo.undoes, undo.paragraph_id, undo.editor) == (latest, second.pk, editor)
    assert label_undo_last(editor=editor).paragraph_id == first.pk
    with pytest.raises(ValidationError, match="You have no label to undo."):
        label_undo_last(editor=editor)
    assert Label.objects.live().filter(editor=other).count() == 1


def at_once(*calls) -> list[Exception]:
    """Run each (function, args) in a thread of its own, with its own database connection,
    all starting together; the errors they raised."""
    barrier, errors = threading.Barrier(len(calls)), []

    def run(function, args):
        try:
            barrier.wait()
            function(*args)
        except Exception as error:  # reported by the caller
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_two_editors_labelling_at_once_both_keep_their_labels(row_locks, classified_paragraph):
    editors = [make_user(f"e{i}") for i in range(6)]

    def label(editor, value):
        label_create(paragraph=classified_paragraph, editor=editor, label=value)

    values = ["news", "opinion"] * 3
    assert at_once(*[(label, (e, v)) for e, v in zip(editors, values, strict=True)]) == []
    assert Label.objects.filter(paragraph=classified_paragraph).count() == len(editors)


@pytest.mark.django_db(transaction=True)
def test_labelling_during_retrain_and_activation_loses_nothing(row_locks, active_classifier):
    article = make_classified_article(HEADED)
    paragraphs = list(article.paragraphs.classifiable())
    candidate = model_train()

    def label(editor):
        for i in range(10):
            paragraph = paragraphs[i % len(paragraphs)]
            label_create(paragraph=paragraph, editor=editor, label="opinion")

    def flip_versions():
        for version in [candidate, active_classifier] * 5:
            model_activate(version=version)

    editors = [make_user(f"busy{i}") for i in range(4)]
    assert at_once(*[(label, (e,)) for e in editors], (flip_versions, ())) == []
    assert Label.objects.count() == 40
    assert ModelVersion.objects.filter(is_active=True).count() == 1
