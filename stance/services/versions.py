"""Model versions: train, activate, evaluate and discard classifier and actor-sentiment versions."""

import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path

import sklearn
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from newsroom.models import Paragraph
from stance import actor_sentiment, persistence, pipeline, registry, selectors
from stance.models import ModelVersion, Prediction
from stance.services.classification import paragraph_voices
from stance.services.progress import Progress, no_progress

log = logging.getLogger(__name__)


def model_create(
    *, kind: str, created_by: AbstractBaseUser | None, random_state: int
) -> ModelVersion:
    for _ in range(5):
        number = (ModelVersion.objects.filter(kind=kind).aggregate(n=Max("number"))["n"] or 0) + 1
        try:
            with transaction.atomic():
                return ModelVersion.objects.create(
                    kind=kind, number=number, created_by=created_by, random_state=random_state
                )
        except IntegrityError:  # another trainer took the number
            continue
    raise RuntimeError("Could not allocate a model version number.")


def model_train(
    *,
    extra_tsv: Sequence[Path | str] = (),
    created_by: AbstractBaseUser | None = None,
    activate: bool = False,
    random_state: int = 0,
    progress: Progress = no_progress,
    version: ModelVersion | None = None,
) -> ModelVersion:
    """Train a classifier version on every source; store it ready, or failed with the reason.

    `version` is a "training" version allocated beforehand (a job links it first, so a
    reaper can fail it if the worker dies); by default one is allocated here. The
    artifact and the ready status are written in one UPDATE, so a version is never ready
    without its artifact. The active version is untouched unless `activate` is set and
    training succeeded.
    """
    if version is None:
        version = model_create(
            kind=ModelVersion.Kind.CLASSIFIER, created_by=created_by, random_state=random_state
        )
    random_state = version.random_state
    try:
        progress("Gathering training data", 0.05)
        texts, labels, counts, pieces = selectors.training_data(extra_tsv=extra_tsv)
        progress(f"Training on {len(texts)} paragraphs", 0.15)
        result = pipeline.train(
            texts,
            labels,
            sources=counts,
            pieces=pieces,
            news_articles=selectors.training_news_articles(),
            random_state=random_state,
        )
        progress("Saving the model", 0.9)
        artifact = persistence.dump(result.pipeline)
    except BaseException as error:  # also a worker told to stop (SystemExit) mid-training
        _version_failed(version, error)
        raise
    version = _version_ready(
        version,
        artifact=artifact,
        sklearn_version=result.metrics.get("sklearn_version", ""),
        params=result.params,
        training_summary={**result.training_summary, "seconds": round(result.seconds, 2)},
        metrics=result.metrics,
    )
    if version.status != ModelVersion.Status.READY:
        progress(f"Finished, but the version was {version.get_status_display().lower()}", 1.0)
        return version
    if activate:
        version = model_activate(version=version)
    progress("Ready", 1.0)
    return version


def _version_failed(version: ModelVersion, error: BaseException) -> None:
    """Mark a version whose training raised as failed, with the reason, only while it is
    still "training": a version discarded meanwhile stays discarded."""
    ModelVersion.objects.filter(pk=version.pk, status=ModelVersion.Status.TRAINING).update(
        status=ModelVersion.Status.FAILED, error=f"{type(error).__name__}: {error}"
    )


def _version_ready(version: ModelVersion, *, artifact: bytes, **fields) -> ModelVersion:
    """Store a trained version's artifact and results and mark it ready, in one UPDATE,
    only while it is still "training": a version discarded (or failed by a reaper)
    meanwhile keeps that status, and leaves it only by an explicit action.
    """
    fields |= {
        "artifact": artifact,
        "artifact_sha256": hashlib.sha256(artifact).hexdigest(),
        "artifact_bytes": len(artifact),
    }
    training = ModelVersion.objects.filter(pk=version.pk, status=ModelVersion.Status.TRAINING)
    if not training.update(status=ModelVersion.Status.READY, **fields):
        log.warning("%s was not training any more when it finished; left as it is", version)
    return ModelVersion.objects.without_artifact().get(pk=version.pk)


def classifier_ensure(*, progress: Progress = no_progress) -> tuple[ModelVersion, bool]:
    """The active classifier; trains and activates one on the starter corpus if there is none.

    Returns (version, trained_now).
    """
    try:
        return registry.active_version(), False
    except registry.NoActiveModel:
        return model_train(activate=True, progress=progress), True


def actor_sentiment_train(
    *,
    jsonl: Sequence[Path | str],
    created_by: AbstractBaseUser | None = None,
    activate: bool = False,
) -> ModelVersion:
    """Train an actor-sentiment version on NewsMTSC-format files; stored ready or failed."""
    version = model_create(
        kind=ModelVersion.Kind.ACTOR_SENTIMENT,
        created_by=created_by,
        random_state=actor_sentiment.RANDOM_STATE,
    )
    try:
        records, sources = [], {}
        for path in jsonl:
            rows = actor_sentiment.read_jsonl(path)
            sources[Path(path).name] = len(rows)
            records.extend(rows)
        model, metrics = actor_sentiment.train(records)
        artifact = persistence.dump(model)
    except BaseException as error:
        _version_failed(version, error)
        raise
    version = _version_ready(
        version,
        artifact=artifact,
        sklearn_version=sklearn.__version__,
        params=metrics.get("params", {}),
        training_summary={
            "n": metrics["n"],
            "per_class": metrics["class_counts"],
            "sources": sources,
            "seconds": metrics.get("train_seconds"),
        },
        metrics={
            "macro_f1": metrics.get("cv_macro_f1"),
            "per_class_f1": metrics.get("cv_f1", {}),
            "cv_folds": metrics.get("cv_folds"),
        },
    )
    if activate and version.status == ModelVersion.Status.READY:
        version = model_activate(version=version)
    return version


@transaction.atomic
def model_activate(
    *, version: ModelVersion, activated_by: AbstractBaseUser | None = None
) -> ModelVersion:
    """Make `version` the one active version of its kind, in one transaction.

    Rows of the kind are locked first, so two concurrent activations serialise and
    the database's one-active constraint never sees two. Activating a classifier
    queues the refresh of every stored prediction once the transaction commits, from
    whichever path activated it (models page, admin, command, rollback); see
    stance.jobs.predictions_refresh_after_activation for how concurrent activations
    coalesce.
    """
    locked = list(
        ModelVersion.objects.without_artifact().select_for_update().filter(kind=version.kind)
    )
    target = next((v for v in locked if v.pk == version.pk), None)
    if target is None or target.status != ModelVersion.Status.READY:
        raise ValidationError(f"{version} is not ready, so it cannot be activated.")
    if target.is_active:
        return target
    ModelVersion.objects.filter(kind=version.kind, is_active=True).update(is_active=False)
    ModelVersion.objects.filter(pk=target.pk).update(is_active=True, activated=timezone.now())
    target.refresh_from_db(fields=["is_active", "activated"])
    if target.kind == ModelVersion.Kind.CLASSIFIER:
        transaction.on_commit(lambda: _refresh_after_activation(target, activated_by))
    return target


def _refresh_after_activation(version: ModelVersion, user: AbstractBaseUser | None) -> None:
    from stance import jobs  # jobs run these services: imported late to avoid a cycle

    jobs.predictions_refresh_after_activation(version=version, user=user)


def candidate_evaluate(*, version: ModelVersion, progress: Progress = no_progress) -> ModelVersion:
    """Score the candidate on editor labels it did not train on, beside the active version.

    The candidate is cross-validated over the editor labels: each fold is predicted by a
    model trained on the starter corpus, the imported sets and the other folds. The
    active version is scored on the same labels with its stored predictions. Also counts
    the paragraphs whose label would flip if the candidate were activated.
    """
    progress("Scoring on editor labels the candidate did not see", 0.92)
    editor_rows = selectors.training_rows_editor_labels()
    evaluation: dict = {"n": len(editor_rows)}
    if len(editor_rows) >= 2 * EDITOR_CV_FOLDS:
        base_texts, base_labels = [], []
        for rows in [
            selectors.training_rows_starter(),
            *selectors.training_rows_imported().values(),
        ]:
            base_texts.extend(text for _, text, _ in rows)
            base_labels.extend(label for _, _, label in rows)
        predicted = pipeline.cross_validate_extra(
            base_texts,
            base_labels,
            [text for _, text, _ in editor_rows],
            [label for _, _, label in editor_rows],
            folds=EDITOR_CV_FOLDS,
            random_state=version.random_state,
        )
        truth = [label for _, _, label in editor_rows]
        evaluation["candidate"] = pipeline.evaluation_metrics(truth, predicted)
        active = ModelVersion.objects.without_artifact().active(ModelVersion.Kind.CLASSIFIER)
        if active is not None:
            ids = [int(row_id.removeprefix("paragraph-")) for row_id, _, _ in editor_rows]
            stored = dict(
                Prediction.objects.filter(version=active, paragraph_id__in=ids).values_list(
                    "paragraph_id", "label"
                )
            )
            pairs = [(t, stored[i]) for i, t in zip(ids, truth, strict=True) if i in stored]
            if pairs:
                evaluation["active"] = pipeline.evaluation_metrics(
                    [t for t, _ in pairs], [p for _, p in pairs]
                )
                evaluation["active_version"] = active.number
    else:
        evaluation["note"] = (
            f"Fewer than {2 * EDITOR_CV_FOLDS} editor labels: too few to compare versions."
        )
    progress("Finding the paragraphs whose label would flip", 0.96)
    version.metrics = {**version.metrics, "editor_eval": evaluation}
    version.training_summary = {**version.training_summary, "flips": _flips(version)}
    version.save(update_fields=["metrics", "training_summary"])
    return version


EDITOR_CV_FOLDS = 5
FLIP_SAMPLE = 100


def _flips(candidate: ModelVersion) -> dict:
    active = ModelVersion.objects.without_artifact().active(ModelVersion.Kind.CLASSIFIER)
    if active is None:
        return {"count": 0, "compared": 0, "sample": []}
    model = registry.pipeline_for(candidate)
    stored = {
        pk: (label, p)
        for pk, label, p in Prediction.objects.filter(version=active).values_list(
            "paragraph_id", "label", "p_opinion"
        )
    }
    articles = Paragraph.objects.filter(pk__in=list(stored)).values("article_id")
    editor = dict(
        selectors.with_verdicts(Paragraph.objects.filter(labels__isnull=False).distinct())
        .exclude(editor_label=None)
        .values_list("pk", "editor_label")
    )
    flips, toward, away, labelled, others = 0, 0, 0, [], []
    for chunk in paragraph_voices(model, articles):
        for pk, prediction in chunk:
            if pk not in stored:
                continue
            old_label, old_p = stored[pk]
            if prediction.label != old_label:
                flips += 1
                toward += editor.get(pk) == prediction.label
                away += editor.get(pk) == old_label
                sample = labelled if pk in editor else others
                if len(sample) < FLIP_SAMPLE:
                    sample.append(
                        {
                            "paragraph": pk,
                            "from": old_label,
                            "to": prediction.label,
                            "p_before": round(old_p, 3),
                            "p_after": round(prediction.p_opinion, 3),
                        }
                    )
    return {
        "count": flips,
        "compared": len(stored),
        "against": active.number,
        # Changed predictions that come to match an editor's label, and that stop matching one.
        "toward_editors": toward,
        "away_from_editors": away,
        # Those on editor-labelled paragraphs first: they are the ones to judge.
        "sample": (labelled + others)[:FLIP_SAMPLE],
    }


@transaction.atomic
def model_discard(*, version: ModelVersion) -> ModelVersion:
    # Conditional, so an activation that wins a race is never discarded under it.
    if not ModelVersion.objects.filter(pk=version.pk, is_active=False).update(
        status=ModelVersion.Status.DISCARDED
    ):
        raise ValidationError("The active version cannot be discarded; activate another first.")
    version.refresh_from_db(fields=["status", "is_active"])
    return version
