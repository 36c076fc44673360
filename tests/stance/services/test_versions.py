"""stance.services.versions: train, activate, discard and evaluate model versions."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection

from stance import actor_sentiment, registry
from stance.models import Label, ModelVersion
from stance.services.versions import (
    actor_sentiment_train,
    classifier_ensure,
    model_activate,
    model_discard,
    model_train,
)
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


def test_a_trained_version_records_what_it_learnt_from(tiny_corpus):
    version = model_train()
    assert version.status == ModelVersion.Status.READY
    assert not version.is_active
    assert version.number == 1
    assert version.training_summary["sources"] == {"starter corpus": 40, "editor labels": 0}
    assert version.training_summary["per_class"] == {"news": 20, "opinion": 20}
    # Cross-validated over all 40 paragraphs; the macro F1 is the confusion matrix's.
    (nn, no), (on, oo) = version.metrics["confusion"]
    assert nn + no + on + oo == 40
    f1_news, f1_opinion = 2 * nn / (2 * nn + no + on), 2 * oo / (2 * oo + on + no)
    assert version.metrics["macro_f1"] == pytest.approx((f1_news + f1_opinion) / 2)
    assert version.metrics["macro_f1"] > 0.5  # the two kinds of paragraph are told apart
    assert version.sklearn_version and version.params
    assert 0 < version.artifact_bytes == len(bytes(version.artifact))


def test_extra_tsv_files_join_the_training_data(tiny_corpus, tmp_path):
    extra = tmp_path / "more.tsv"
    extra.write_text("id\ttext\tlabel\nx1\tThe vote was 5-4.\tnews\n", encoding="utf-8")
    version = model_train(extra_tsv=[extra])
    assert version.training_summary["sources"]["extra: more.tsv"] == 1
    assert version.training_summary["n"] == 41


def test_editor_labels_join_the_next_training(tiny_corpus):
    article = make_article("A plain sentence about rates.\n\nAnother one about roads.")
    editor = make_user("ed")
    first, second = article.paragraphs.classifiable().order_by("position")
    Label.objects.create(paragraph=first, editor=editor, label="news")
    Label.objects.create(paragraph=second, editor=editor, label="opinion")
    version = model_train()
    assert version.training_summary["sources"]["editor labels"] == 2
    assert version.training_summary["n"] == 42


def test_activation_keeps_exactly_one_active_and_rolls_back(tiny_corpus):
    v1 = model_train(activate=True)
    v2 = model_train(activate=True)
    assert list(ModelVersion.objects.filter(is_active=True)) == [v2]
    model_activate(version=v1)  # rollback
    assert list(ModelVersion.objects.filter(is_active=True).values_list("pk", flat=True)) == [v1.pk]
    assert registry.active_version().pk == v1.pk


def test_the_database_refuses_two_active_versions(tiny_corpus):
    model_train(activate=True)
    second = model_train()
    with pytest.raises(IntegrityError):
        ModelVersion.objects.filter(pk=second.pk).update(is_active=True)


def test_a_failed_version_cannot_be_activated(tiny_corpus):
    failed = ModelVersion.objects.create(number=9, status=ModelVersion.Status.FAILED)
    with pytest.raises(ValidationError, match="not ready"):
        model_activate(version=failed)


def test_a_failed_training_leaves_the_active_version_and_says_why(tiny_corpus, settings, tmp_path):
    active = model_train(activate=True)
    broken = tmp_path / "broken.tsv"
    broken.write_text("id\ttext\tlabel\nx\tsome text\tmaybe\n", encoding="utf-8")
    with pytest.raises(ValueError, match="maybe"):
        model_train(extra_tsv=[broken], activate=True)
    failed = ModelVersion.objects.get(status=ModelVersion.Status.FAILED)
    assert "maybe" in failed.error
    assert registry.active_version().pk == active.pk


@pytest.mark.django_db(transaction=True)
def test_concurrent_activations_leave_exactly_one_active(row_locks, tiny_corpus):
    versions = [model_train() for _ in range(4)]
    errors = []

    def activate(version):
        try:
            model_activate(version=version)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=activate, args=(v,)) for v in versions * 3]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert ModelVersion.objects.filter(is_active=True).count() == 1


def test_a_candidate_can_be_discarded_but_never_the_active_version(tiny_corpus):
    active = model_train(activate=True)
    candidate = model_train()
    with pytest.raises(ValidationError, match="cannot be discarded"):
        model_discard(version=active)
    assert model_discard(version=candidate).status == ModelVersion.Status.DISCARDED
    with pytest.raises(ValidationError, match="not ready"):
        model_activate(version=candidate)


def test_a_classifier_is_trained_only_when_none_is_active(tiny_corpus):
    version, trained = classifier_ensure()
    assert trained and version.is_active and version.number == 1
    again, trained = classifier_ensure()
    assert not trained and again.pk == version.pk


def test_an_actor_sentiment_version_discarded_while_it_trains_stays_discarded(monkeypatch):
    """Issue 14, finding 6: a version leaves "discarded" only by an explicit action, not by
    its training failing after the discard (nor by it finishing: _version_ready)."""

    def discarded_then_failed(records):
        training = ModelVersion.objects.get(status=ModelVersion.Status.TRAINING)
        model_discard(version=training)
        raise MemoryError("the worker ran out of memory")

    monkeypatch.setattr(actor_sentiment, "read_jsonl", lambda path: [])
    monkeypatch.setattr(actor_sentiment, "train", discarded_then_failed)
    with pytest.raises(MemoryError):
        actor_sentiment_train(jsonl=["newsmtsc.jsonl"])
    version = ModelVersion.objects.get(kind=ModelVersion.Kind.ACTOR_SENTIMENT)
    assert (version.status, version.error) == (ModelVersion.Status.DISCARDED, "")
