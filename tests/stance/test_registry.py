import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection

from newsroom.models import Paragraph
from stance import pipeline, registry, selectors, services, voice
from stance.models import Label, ModelVersion, Prediction
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


def test_a_trained_version_records_what_it_learnt_from(tiny_corpus):
    version = services.model_train()
    assert version.status == ModelVersion.Status.READY
    assert not version.is_active
    assert version.number == 1
    assert version.training_summary["sources"] == {"starter corpus": 40, "editor labels": 0}
    assert version.training_summary["per_class"] == {"news": 20, "opinion": 20}
    assert 0 <= version.metrics["macro_f1"] <= 1
    assert len(version.metrics["confusion"]) == 2
    assert version.sklearn_version and version.params
    assert 0 < version.artifact_bytes == len(bytes(version.artifact))


def test_extra_tsv_files_join_the_training_data(tiny_corpus, tmp_path):
    extra = tmp_path / "more.tsv"
    extra.write_text("id\ttext\tlabel\nx1\tThe vote was 5-4.\tnews\n", encoding="utf-8")
    version = services.model_train(extra_tsv=[extra])
    assert version.training_summary["sources"]["extra: more.tsv"] == 1
    assert version.training_summary["n"] == 41


def test_editor_labels_join_with_their_latest_label(tiny_corpus):
    article = make_article("A plain sentence about rates.\n\nAnother one about roads.")
    first, second = article.paragraphs.order_by("position")
    editor = make_user("ed")
    Label.objects.create(paragraph=first, editor=editor, label="news")
    Label.objects.create(paragraph=first, editor=editor, label="opinion")
    Label.objects.create(paragraph=second, editor=editor, label="news")
    rows = sorted(selectors.training_rows_editor_labels())
    assert rows == [
        (f"paragraph-{first.pk}", first.text, "opinion"),
        (f"paragraph-{second.pk}", second.text, "news"),
    ]
    assert services.model_train().training_summary["sources"]["editor labels"] == 2


def test_activation_keeps_exactly_one_active_and_rolls_back(tiny_corpus):
    v1 = services.model_train(activate=True)
    v2 = services.model_train(activate=True)
    assert list(ModelVersion.objects.filter(is_active=True)) == [v2]
    services.model_activate(version=v1)  # rollback
    assert list(ModelVersion.objects.filter(is_active=True).values_list("pk", flat=True)) == [v1.pk]
    assert registry.active_version().pk == v1.pk


def test_the_database_refuses_two_active_versions(tiny_corpus):
    services.model_train(activate=True)
    second = services.model_train()
    with pytest.raises(IntegrityError):
        ModelVersion.objects.filter(pk=second.pk).update(is_active=True)


def test_a_failed_version_cannot_be_activated(tiny_corpus):
    failed = ModelVersion.objects.create(number=9, status=ModelVersion.Status.FAILED)
    with pytest.raises(ValidationError, match="not ready"):
        services.model_activate(version=failed)


def test_a_failed_training_leaves_the_active_version_and_says_why(tiny_corpus, settings, tmp_path):
    active = services.model_train(activate=True)
    broken = tmp_path / "broken.tsv"
    broken.write_text("id\ttext\tlabel\nx\tsome text\tmaybe\n", encoding="utf-8")
    with pytest.raises(ValueError, match="maybe"):
        services.model_train(extra_tsv=[broken], activate=True)
    failed = ModelVersion.objects.get(status=ModelVersion.Status.FAILED)
    assert "maybe" in failed.error
    assert registry.active_version().pk == active.pk


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
    assert services.articles_classify(articles=[article]) == 2  # the heading is not classified
    predictions = Prediction.objects.filter(paragraph__article=article).order_by(
        "paragraph__position"
    )
    assert [p.version for p in predictions] == [active_classifier] * 2
    assert all(0 <= p.p_opinion <= 1 for p in predictions)
    assert [p.label for p in predictions] == ["news", "opinion"]
    # Re-classifying updates in place rather than duplicating.
    services.articles_classify(articles=[article])
    assert Prediction.objects.filter(paragraph__article=article).count() == 2


def test_without_an_active_version_articles_are_stored_unclassified(db):
    article = make_article()
    assert services.articles_classify(articles=[article]) == 0
    assert not Prediction.objects.exists()


def test_each_process_notices_a_newly_activated_version(tiny_corpus):
    v1 = services.model_train(activate=True)
    assert registry.active_classifier()[0].pk == v1.pk
    v2 = services.model_train()
    ModelVersion.objects.filter(pk=v1.pk).update(is_active=False)  # as another process would
    ModelVersion.objects.filter(pk=v2.pk).update(is_active=True)
    version, model = registry.active_classifier()
    assert version.pk == v2.pk
    assert model is registry.pipeline_for(v2)


@pytest.mark.django_db(transaction=True)
def test_concurrent_activations_leave_exactly_one_active(tiny_corpus):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL's row locks")
    versions = [services.model_train() for _ in range(4)]
    errors = []

    def activate(version):
        try:
            services.model_activate(version=version)
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


def test_paragraph_kinds_that_are_not_classified(active_classifier):
    article = make_article("Heading\n\nBody text here.\n\n- With AP")
    services.articles_classify(articles=[article])
    kinds = set(
        Paragraph.objects.filter(predictions__isnull=False, article=article).values_list(
            "kind", flat=True
        )
    )
    assert kinds == {"paragraph"}
