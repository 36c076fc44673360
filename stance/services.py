"""Writes of the editorial loop: train, activate and run model versions."""

import csv
import hashlib
import heapq
import io
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import sklearn
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import (
    DatabaseError,
    IntegrityError,
    close_old_connections,
    connection,
    transaction,
)
from django.db.models import Max, QuerySet
from django.db.models.functions import Now
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from newsroom.models import Actor, Article, Paragraph, Story
from stance import actor_sentiment, framing, persistence, pipeline, registry, treatment, voice
from stance.models import (
    Frame,
    Job,
    Label,
    ModelVersion,
    ParagraphAnalysis,
    Prediction,
    SpeakerCorrection,
    TrainingSet,
)
from stance.selectors import with_verdicts

if TYPE_CHECKING:
    from stance.entities import Entity

log = logging.getLogger(__name__)

CLASSIFY_BATCH = 2000

Progress = Callable[[str, float], None]  # (what is happening, fraction done)


def _no_progress(message: str, fraction: float) -> None:
    pass


# ---------------------------------------------------------------------------
# Training data


def training_rows_starter() -> list[tuple[str, str, str]]:
    return pipeline.read_labelled_tsv(settings.STANCE_STARTER_CORPUS)


def training_rows_editor_labels() -> list[tuple[str, str, str]]:
    """Every paragraph an editor labelled, with its effective (latest) label."""
    labelled = with_verdicts(
        Paragraph.objects.filter(pk__in=Label.objects.live().values("paragraph_id"))
    )
    return [
        (f"paragraph-{pk}", text, label)
        for pk, text, label in labelled.values_list("pk", "text", "editor_label")
    ]


def training_data(
    *, extra_tsv: Sequence[Path | str] = ()
) -> tuple[list[str], list[str], dict[str, int]]:
    """Starter corpus + editor labels + extra TSV files: texts, labels and counts by source."""
    sources: dict[str, list[tuple[str, str, str]]] = {
        "starter corpus": training_rows_starter(),
        "editor labels": training_rows_editor_labels(),
        **training_rows_imported(),
    }
    for path in extra_tsv:
        sources[f"extra: {Path(path).name}"] = pipeline.read_labelled_tsv(path)
    texts, labels = [], []
    for rows in sources.values():
        texts.extend(text for _, text, _ in rows)
        labels.extend(label for _, _, label in rows)
    return texts, labels, {name: len(rows) for name, rows in sources.items()}


# ---------------------------------------------------------------------------
# Versions


def _next_version(
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
    progress: Progress = _no_progress,
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
        version = _next_version(
            kind=ModelVersion.Kind.CLASSIFIER, created_by=created_by, random_state=random_state
        )
    random_state = version.random_state
    try:
        progress("Gathering training data", 0.05)
        texts, labels, counts = training_data(extra_tsv=extra_tsv)
        progress(f"Training on {len(texts)} paragraphs", 0.15)
        result = pipeline.train(texts, labels, sources=counts, random_state=random_state)
        progress("Saving the model", 0.9)
        artifact = persistence.dump(result.pipeline)
    except BaseException as error:  # also a worker told to stop (SystemExit) mid-training
        ModelVersion.objects.filter(pk=version.pk, status=ModelVersion.Status.TRAINING).update(
            status=ModelVersion.Status.FAILED, error=f"{type(error).__name__}: {error}"
        )
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


def classifier_ensure(*, progress: Progress = _no_progress) -> tuple[ModelVersion, bool]:
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
    version = _next_version(
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
    except Exception as error:
        ModelVersion.objects.filter(pk=version.pk).update(
            status=ModelVersion.Status.FAILED, error=f"{type(error).__name__}: {error}"
        )
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


def actor_sentiment_score(records: Sequence[dict]) -> tuple[str, list[tuple[str, float]]]:
    """Score sentiment toward each record's target with the active model, else the rules.

    Returns (what scored them, [(polarity, score)]).
    """
    name, scorer = actor_sentiment_scorer()
    return name, scorer(list(records))


def actor_sentiment_scorer() -> tuple[str, treatment.Scorer]:
    """The one scorer of sentiment toward an actor: the active trained version if there is
    one, else the rule-based default. `actor_sentiment`, the framing analysis behind the
    compare view and `story_report` all score through it."""
    active = registry.active_actor_sentiment()
    if active is not None:
        version, model = active
        return str(version), partial(actor_sentiment.predict, model)
    return "rule-based default", _rule_scores


def _rule_scores(records: list[dict]) -> list[tuple[str, float]]:
    return [
        treatment.target_sentiment(r["text"], r["target_start"], r["target_end"]) for r in records
    ]


@transaction.atomic
def model_activate(
    *, version: ModelVersion, activated_by: AbstractBaseUser | None = None
) -> ModelVersion:
    """Make `version` the one active version of its kind, in one transaction.

    Rows of the kind are locked first, so two concurrent activations serialise and
    the database's one-active constraint never sees two. Activating a classifier
    queues the refresh of every stored prediction once the transaction commits, from
    whichever path activated it (models page, admin, command, rollback); see
    stance.tasks.refresh_queue for how concurrent activations coalesce.
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
    from stance import tasks  # tasks wraps these services: imported late to avoid a cycle

    tasks.refresh_queue(version=version, user=user)


# ---------------------------------------------------------------------------
# Classification


def paragraphs_classify(
    *,
    paragraphs: QuerySet[Paragraph],
    version: ModelVersion | None = None,
    progress: Progress = _no_progress,
) -> int:
    """Store `version`'s (default: the active one's) prediction for each classifiable paragraph,
    read sentence by sentence in the context of its whole article (stance.voice)."""
    if version is None:
        version = registry.active_version()
    model = registry.pipeline_for(version)
    wanted = set(paragraphs.classifiable().values_list("pk", flat=True))
    total = len(wanted)
    done = 0
    for chunk in paragraph_voices(model, paragraphs.values("article_id")):
        chunk = [(pk, v) for pk, v in chunk if pk in wanted]
        Prediction.objects.bulk_create(
            [
                Prediction(
                    paragraph_id=pk,
                    version=version,
                    label=v.label,
                    p_opinion=v.p_opinion,
                    sentences=v.as_json(),
                )
                for pk, v in chunk
            ],
            update_conflicts=True,
            unique_fields=["paragraph", "version"],
            update_fields=["label", "p_opinion", "sentences"],
        )
        done += len(chunk)
        if total:
            progress(f"Classified {done} of {total} paragraphs", done / total)
    return done


def paragraph_voices(model, article_ids) -> Iterable[list[tuple[int, voice.ParagraphVoice]]]:
    """The classifiable paragraphs of these articles read by `model`, sentence by sentence, in
    batches of about CLASSIFY_BATCH paragraphs (whole articles, one classifier call each):
    lists of (paragraph id, voice). Every paragraph of an article is read (a heading can
    introduce a statement); only classifiable ones are returned."""
    rows = (
        Paragraph.objects.filter(article_id__in=article_ids)
        .order_by("article_id", "position")
        .values_list("article_id", "pk", "kind", "text")
        .iterator(chunk_size=CLASSIFY_BATCH)
    )
    classifiable = set(Paragraph.CLASSIFIABLE_KINDS)
    articles: list[list[tuple[int, str, str]]] = []
    size = 0
    current = None

    def flush():
        voices = voice.read_many(
            [[text for _, _, text in a] for a in articles],
            partial(pipeline.predict_proba, model),
        )
        return [
            (pk, v)
            for a, vs in zip(articles, voices, strict=True)
            for (pk, kind, _), v in zip(a, vs, strict=True)
            if kind in classifiable
        ]

    for article_id, pk, kind, text in rows:
        # A very long article is read in windows of CLASSIFY_BATCH paragraphs, so that the
        # work, its memory and its progress come in bounded pieces (context stops at a window).
        if article_id != current or len(articles[-1]) >= CLASSIFY_BATCH:
            if size >= CLASSIFY_BATCH:
                yield flush()
                articles, size = [], 0
            articles.append([])
            current = article_id
        articles[-1].append((pk, kind, text))
        size += 1
    if articles:
        yield flush()


def articles_classify(*, articles: Iterable[Article]) -> int:
    """Classify the articles' paragraphs with the active version; 0 when none is active yet."""
    try:
        version = registry.active_version()
    except registry.NoActiveModel as error:
        log.warning("Articles stored unclassified: %s", error)
        return 0
    ids = [article.pk for article in articles]
    return paragraphs_classify(
        paragraphs=Paragraph.objects.filter(article_id__in=ids), version=version
    )


def _chunks(iterable, size: int):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# ---------------------------------------------------------------------------
# Editor labels (append-only)


@transaction.atomic
def label_create(
    *,
    paragraph: Paragraph,
    editor: AbstractBaseUser,
    label: str,
    note: str = "",
    action: str = Label.Action.CORRECT,
) -> Label:
    """Record an editor's verdict on a paragraph, with what the active model said then."""
    if action not in Label.VERDICT_ACTIONS:
        raise ValidationError(f"Unknown label action {action!r}.")
    if not paragraph.is_classifiable:
        raise ValidationError(f"A {paragraph.get_kind_display().lower()} is not labelled.")
    prediction = (
        Prediction.objects.of_active().filter(paragraph=paragraph).select_related("version").first()
    )
    if action == Label.Action.CONFIRM:
        if prediction is None:
            raise ValidationError("There is no prediction to confirm: label it instead.")
        label = prediction.label
    row = Label(
        paragraph=paragraph,
        editor=editor,
        action=action,
        label=label,
        note=note.strip(),
        model_version=prediction.version if prediction else None,
        model_label=prediction.label if prediction else "",
        model_p_opinion=prediction.p_opinion if prediction else None,
    )
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def label_undo(*, label: Label, editor: AbstractBaseUser) -> Label:
    """Undo a live label by appending an undo row; the label itself is kept."""
    label = Label.objects.select_for_update().get(pk=label.pk)
    if label.action not in Label.VERDICT_ACTIONS:
        raise ValidationError("Only a label can be undone.")
    if Label.objects.filter(undoes=label).exists():
        raise ValidationError("That label has already been undone.")
    row = Label(
        paragraph_id=label.paragraph_id,
        editor=editor,
        action=Label.Action.UNDO,
        label=label.label,
        undoes=label,
        model_version_id=label.model_version_id,
        model_label=label.model_label,
        model_p_opinion=label.model_p_opinion,
    )
    row.full_clean()
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:  # a concurrent undo of the same label won
        raise ValidationError("That label has already been undone.") from None
    return row


# ---------------------------------------------------------------------------
# Framing analysis (stored per paragraph)


# Bump when stance.framing changes what it finds, so stored analyses are recomputed.
# 3: speakers from attribution; 4-6: author-voice treatment, loaded terms; 7: attribution tags;
# 8: attribution sources behind asides, relative clauses and poll shares
ANALYSIS_VERSION = 8


def framing_inputs(story_id: int) -> tuple[list[framing.ActorSpec], list[framing.FrameSpec], str]:
    """The story's actors and the active frames as framing specs, and their fingerprint."""
    actors = [
        framing.ActorSpec(
            key=str(actor.pk),
            name=actor.name,
            aliases=tuple(actor.alias_list),
            kind=actor.kind,
            pronoun=actor.pronoun,
        )
        for actor in Actor.objects.filter(story_id=story_id).analysed().order_by("pk")
    ]
    frames = [
        framing.FrameSpec(key=frame.key, name=frame.name, cues=tuple(frame.cue_list))
        for frame in Frame.objects.filter(is_active=True)
    ]
    fingerprint = hashlib.sha256(
        json.dumps(
            [
                [vars(a) for a in actors],
                [vars(f) for f in frames],
                ANALYSIS_VERSION,
                actor_sentiment_scorer()[0],
            ],
            sort_keys=True,
            default=list,
        ).encode()
    ).hexdigest()
    return actors, frames, fingerprint


@transaction.atomic
def articles_analyse(*, articles: Iterable[Article], force: bool = False) -> int:
    """Analyse every paragraph of the articles whose stored analysis is missing or stale."""
    done = 0
    by_story: dict[int, list[Article]] = {}
    for article in articles:
        by_story.setdefault(article.story_id, []).append(article)
    for story_id, story_articles in by_story.items():
        actors, frames, signature = framing_inputs(story_id)
        _name, scorer = actor_sentiment_scorer()
        scorer = None if scorer is _rule_scores else scorer  # the rules score in place
        for article in story_articles:
            paragraphs = list(article.paragraphs.order_by("position").select_related("analysis"))
            stale = [p for p in paragraphs if not _analysis_fresh(p, signature)]
            if not stale and not force:
                continue
            results = framing.analyse_article(
                [p.text for p in paragraphs], actors, frames, scorer=scorer
            )
            ParagraphAnalysis.objects.bulk_create(
                [
                    ParagraphAnalysis(paragraph=p, signature=signature, data=result.to_dict())
                    for p, result in zip(paragraphs, results, strict=True)
                ],
                update_conflicts=True,
                unique_fields=["paragraph"],
                update_fields=["signature", "data", "created"],
            )
            done += 1
    return done


def _analysis_fresh(paragraph: Paragraph, signature: str) -> bool:
    try:
        return paragraph.analysis.signature == signature
    except ParagraphAnalysis.DoesNotExist:
        return False


# ---------------------------------------------------------------------------
# Background jobs: retrain a candidate, refresh predictions
#
# A running job holds a lease. While the work runs, a heartbeat thread in its worker
# touches Job.updated (with the database's clock, so no two servers' clocks are ever
# compared) every fifth of settings.STANCE_JOB_LEASE_SECONDS, however long one step
# takes. A running job whose heartbeat is older than the lease has lost its worker
# (killed, or cut off from the database): jobs_reap() fails it, with the version it was
# training and its task result. Every write is a conditional UPDATE, so any number of
# reapers may run at once, a job that still heartbeats is never reaped, and a worker
# that comes back after losing its lease stops at its next step instead of overwriting
# the verdict.


class JobLost(Exception):
    """The job stopped being this worker's (a reaper failed it) while the work ran."""


def job_lease() -> timedelta:
    return timedelta(seconds=settings.STANCE_JOB_LEASE_SECONDS)


def job_progress(job: Job) -> Progress:
    """A progress callback that records the step on the job row (one UPDATE per call).

    Raises JobLost when the job is no longer running, which ends the work.
    """

    def report(message: str, fraction: float) -> None:
        running = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
            message=message[:300], progress=max(0.0, min(1.0, fraction)), updated=Now()
        )
        if not running:
            raise JobLost(f"Job {job.pk} is no longer running (its lease ran out); stopping.")

    return report


@contextmanager
def _heartbeat(job: Job):
    """Touch the job's heartbeat from a daemon thread while the block runs."""
    if connection.in_atomic_block:
        # The job row is not committed (a test's transaction): no other connection sees it.
        yield
        return
    stop = threading.Event()
    interval = settings.STANCE_JOB_LEASE_SECONDS / 5

    def beat() -> None:
        try:
            while not stop.wait(interval):
                try:
                    close_old_connections()  # health-checked again: survives a restart
                    running = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING)
                    if not running.update(updated=Now()):
                        return  # finished, or reaped: the work stops at its next step
                except DatabaseError as error:  # the database is restarting: beat again later
                    log.warning("Heartbeat of job %s failed: %s", job.pk, error)
                    connection.close()
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"job-{job.pk}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)  # a beat stuck on an unreachable database ends by itself


def _job_run(job: Job, work: Callable[[Progress], ModelVersion | None]) -> Job:
    """Run a queued job once: mark it running, heartbeat while `work` runs, record the end."""
    started = Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, message="Starting", updated=Now()
    )
    if not started:  # run already, failed, or given up for a retry: never twice
        log.warning("%s was not queued any more; not running it", job)
        job.refresh_from_db()
        return job
    with _heartbeat(job):
        try:
            version = work(job_progress(job))
        except BaseException as error:  # SystemExit too: a worker stopped mid-job
            log.exception("%s failed", job)
            _job_record_failure(job, f"{type(error).__name__}: {error}")
            if not isinstance(error, Exception):
                raise
        else:
            fields = {"status": Job.Status.DONE, "progress": 1.0, "finished": Now()}
            if version is not None:
                fields["version"] = version
            if not Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(**fields):
                log.warning("%s finished after a reaper had failed it", job)
    job.refresh_from_db()
    return job


def _job_record_failure(job: Job, error: str) -> None:
    """Fail the job; when the database itself failed (restarting), try again for a few
    seconds, then leave the job to the lease."""
    for pause in (0, 0.5, 1, 2, 4):
        time.sleep(pause)
        try:
            _job_fail(job.pk, error)
            return
        except DatabaseError as db_error:
            if connection.in_atomic_block:
                raise
            log.warning("Could not record that %s failed: %s", job, db_error)
            connection.close()
    log.error("%s is left to its lease: the database did not come back", job)


def _job_fail(job_id: int, error: str, *, status: str = Job.Status.RUNNING, stale=False) -> bool:
    """Fail the job if it is still in `status` (and, if `stale`, past its lease).

    Also fails the candidate it was training (never the active version: a version a
    failed job made is unfinished, so it must not be selectable) and, for a database
    task, the task's result. Returns whether this call failed it.
    """
    jobs = Job.objects.filter(pk=job_id, status=status)
    if stale:
        jobs = jobs.filter(updated__lt=Now() - job_lease())
    with transaction.atomic():
        if not jobs.update(status=Job.Status.FAILED, error=error, finished=Now()):
            return False
        job = Job.objects.get(pk=job_id)
        if job.kind == Job.Kind.TRAIN and job.version_id is not None:
            ModelVersion.objects.filter(
                pk=job.version_id,
                is_active=False,
                status__in=[ModelVersion.Status.TRAINING, ModelVersion.Status.READY],
            ).update(status=ModelVersion.Status.FAILED, error=f"Its training job failed: {error}")
        if _is_uuid(job.task_id):
            DBTaskResult.objects.filter(pk=job.task_id, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED,
                finished_at=Now(),
                exception_class_path=f"{JobLost.__module__}.{JobLost.__qualname__}",
                traceback=error,
            )
    return True


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def jobs_reap() -> int:
    """Fail the jobs whose worker stopped; how many. Cheap when there are none (one query).

    A running job past its lease lost its worker. A queued job past its lease whose task
    a worker has already taken lost its worker before it started.
    """
    lease = settings.STANCE_JOB_LEASE_SECONDS
    stale = Job.objects.filter(updated__lt=Now() - job_lease())
    reaped = 0
    for pk, message in stale.filter(status=Job.Status.RUNNING).values_list("pk", "message"):
        reason = (
            f"The worker running it stopped, or lost the database, during “{message}” "
            f"(no heartbeat for {lease} s); retry it."
        )
        reaped += _job_fail(pk, reason, stale=True)
    queued = stale.filter(status=Job.Status.QUEUED).exclude(task_id="")
    for pk, task_id in queued.values_list("pk", "task_id"):
        taken_long_ago = (
            _is_uuid(task_id)
            and DBTaskResult.objects.filter(pk=task_id, started_at__lt=Now() - job_lease())
            .exclude(status=TaskResultStatus.READY)
            .exists()
        )
        if taken_long_ago:  # a worker marks its job running the moment it takes the task
            reason = "The worker that took it stopped before starting it; retry it."
            reaped += _job_fail(pk, reason, status=Job.Status.QUEUED, stale=True)
    if reaped:
        log.warning("Failed %d job(s) whose worker stopped", reaped)
    return reaped


def job_give_up(job: Job, reason: str) -> bool:
    """Fail a queued job that no worker has taken (before queueing it again)."""
    return _job_fail(job.pk, reason, status=Job.Status.QUEUED)


def candidate_train(*, job: Job) -> Job:
    """Train a candidate classifier, then compare it with the active one on editor labels."""

    def work(progress: Progress) -> ModelVersion:
        version = _next_version(
            kind=ModelVersion.Kind.CLASSIFIER, created_by=job.created_by, random_state=0
        )
        # Linked before training, so a reaper can fail it if this worker dies.
        Job.objects.filter(pk=job.pk).update(version=version)
        version = model_train(created_by=job.created_by, progress=progress, version=version)
        if version.status == ModelVersion.Status.READY:  # not discarded while it trained
            candidate_evaluate(version=version, progress=progress)
        return version

    return _job_run(job, work)


def predictions_refresh(*, job: Job) -> Job:
    """Store the job's version's predictions for every classifiable paragraph (upserts,
    so a retry after a failure completes them)."""

    def work(progress: Progress) -> ModelVersion:
        active = ModelVersion.objects.without_artifact().filter(pk=job.version_id, is_active=True)
        if not active.exists():  # a later activation queued its own refresh: nothing to do
            progress(f"Skipped: {job.version} is no longer active", 1.0)
            return job.version
        paragraphs_classify(
            paragraphs=Paragraph.objects.all(), version=job.version, progress=progress
        )
        return job.version

    return _job_run(job, work)


def candidate_evaluate(*, version: ModelVersion, progress: Progress = _no_progress) -> ModelVersion:
    """Score the candidate on editor labels it did not train on, beside the active version.

    The candidate is cross-validated over the editor labels: each fold is predicted by a
    model trained on the starter corpus, the imported sets and the other folds. The
    active version is scored on the same labels with its stored predictions. Also counts
    the paragraphs whose label would flip if the candidate were activated.
    """
    progress("Scoring on editor labels the candidate did not see", 0.92)
    editor_rows = training_rows_editor_labels()
    evaluation: dict = {"n": len(editor_rows)}
    if len(editor_rows) >= 2 * EDITOR_CV_FOLDS:
        base_texts, base_labels = [], []
        for rows in [training_rows_starter(), *training_rows_imported().values()]:
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
        with_verdicts(Paragraph.objects.filter(labels__isnull=False).distinct())
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


# ---------------------------------------------------------------------------
# Imported training sets and label export


def training_rows_imported() -> dict[str, list[tuple[str, str, str]]]:
    return {
        f"imported: {item.name}": pipeline.read_labelled_tsv(io.StringIO(item.content))
        for item in TrainingSet.objects.filter(is_active=True)
    }


# A row (id, text, label) longer than this is not a paragraph; it would also pass
# Python's csv field limit (131,072) and slow every later retrain.
TRAINING_ROW_MAX_CHARS = 20_000


def training_set_read(file, *, name: str) -> str:
    """The text of an uploaded or local labelled TSV, read in chunks and given up as soon
    as it passes settings.STANCE_TRAINING_SET_MAX_BYTES (never read whole beyond that)."""
    limit = settings.STANCE_TRAINING_SET_MAX_BYTES
    size = getattr(file, "size", None)
    chunks, total = [], 0
    if size is None or size <= limit:
        while total <= limit and (chunk := file.read(min(64 * 1024, limit + 1 - total))):
            chunks.append(chunk)
            total += len(chunk)
    if size is not None and size > limit or total > limit:
        raise ValidationError(
            f"“{name}” is larger than {limit / 1024 / 1024:.0f} MB, the limit for a training set; "
            "split it into smaller files."
        )
    try:
        return b"".join(chunks).decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError(f"“{name}” is not UTF-8 text.") from None


def _training_set_check(content: str, name: str) -> None:
    """Refuse what the reader or the database cannot hold, naming the line."""
    for number, line in enumerate(content.split("\n"), start=1):
        if "\x00" in line:
            raise ValidationError(f"“{name}”: line {number} contains a NUL byte; is it text?")
        if len(line) > TRAINING_ROW_MAX_CHARS:
            raise ValidationError(
                f"“{name}”: line {number} is {len(line):,} characters long; "
                f"a row may have at most {TRAINING_ROW_MAX_CHARS:,}."
            )


@transaction.atomic
def training_set_import(
    *, name: str, content: str, uploaded_by: AbstractBaseUser | None = None
) -> TrainingSet:
    """Validate a labelled TSV whole and keep it for training; a bad row rejects the file."""
    _training_set_check(content, name)
    try:
        rows = pipeline.read_labelled_tsv(io.StringIO(content))
    except (ValueError, csv.Error) as error:
        raise ValidationError(f"“{name}”: {error}") from None
    if not rows:
        raise ValidationError(f"“{name}” has no labelled rows.")
    counts = {label: sum(1 for *_, value in rows if value == label) for label in pipeline.LABELS}
    item = TrainingSet(
        name=name[:200], content=content, rows=len(rows), counts=counts, uploaded_by=uploaded_by
    )
    item.full_clean()
    item.save()
    return item


EXPORT_FIELDS = [
    "paragraph_id",
    "article_id",
    "text",
    "label",
    "action",
    "undoes",
    "editor",
    "created",
    "note",
    "model_version",
    "model_label",
    "p_opinion",
]


def labels_export_rows() -> Iterable[dict]:
    """One dict per label row (undo rows included), oldest first, for CSV / JSON Lines."""
    labels = Label.objects.select_related("paragraph", "editor", "model_version").order_by(
        "created", "pk"
    )
    for label in labels.iterator(chunk_size=2000):
        yield {
            "paragraph_id": label.paragraph_id,
            "article_id": label.paragraph.article_id,
            "text": label.paragraph.text,
            "label": label.label,
            "action": label.action,
            "undoes": label.undoes_id,
            "editor": label.editor.get_username(),
            "created": label.created.isoformat(),
            "note": label.note,
            "model_version": label.model_version.number if label.model_version else None,
            "model_label": label.model_label or None,
            "p_opinion": label.model_p_opinion,
        }


# ---------------------------------------------------------------------------
# Actors found in the text, and editors' curation of them

# People and organisations who speak at least once over the story's pieces are proposed as
# its actors; so are people named at least twice, and organisations named at least four
# times (an outlet or a building named in passing, "told Radio New Zealand", is not one).
PROPOSE_MIN_QUOTES = 1
PROPOSE_MIN_MENTIONS = {"person": 2, "organisation": 4}


def name_key(name: str) -> str:
    """A name compared with others: case, curly apostrophes and spacing ignored."""
    return " ".join(name.replace("\u2019", "'").casefold().split())


def story_entities(story: Story) -> list["Entity"]:
    """The people and organisations of every piece of the story, merged across pieces.

    Each piece is read on its own (pronouns and surnames resolve within a piece); an
    entity of one piece is the same as one of another when either's name is the other's
    name or alias (`Goff` in a column, `Phil Goff` in the report). The fullest name wins.
    """
    from stance.entities import discover  # the attribution layer's; loaded when first needed

    merged: list[Entity] = []
    keys: list[set[str]] = []
    for article in story.articles.order_by("published", "created", "pk"):
        texts = list(
            article.paragraphs.exclude(kind=Paragraph.Kind.CREDIT)
            .order_by("position")
            .values_list("text", flat=True)
        )
        for entity in discover(texts):
            own = {name_key(n) for n in (entity.name, *entity.aliases)}
            at = next(
                (
                    i
                    for i, group in enumerate(merged)
                    if name_key(entity.name) in keys[i] or name_key(group.name) in own
                ),
                None,
            )
            if at is None:
                merged.append(entity)
                keys.append(own)
            else:
                merged[at] = _entity_merge(merged[at], entity)
                keys[at] |= own
    return sorted(merged, key=lambda e: (-e.quotes, -e.mentions, e.name))


def _entity_merge(a: "Entity", b: "Entity") -> "Entity":
    first, second = (a, b) if len(a.name.split()) >= len(b.name.split()) else (b, a)
    names = [*first.aliases, second.name, *second.aliases]
    aliases, seen = [], {name_key(first.name)}
    for alias in names:
        if name_key(alias) not in seen:
            seen.add(name_key(alias))
            aliases.append(alias)
    major = a if a.mentions >= b.mentions else b
    return replace(
        a,
        name=first.name,
        kind=major.kind,
        aliases=tuple(aliases),
        role=a.role or b.role,
        pronoun=major.pronoun or a.pronoun or b.pronoun,
        mentions=a.mentions + b.mentions,
        quotes=a.quotes + b.quotes,
    )


def _worth_proposing(entity: "Entity") -> bool:
    return entity.kind in Actor.Kind.values and (
        entity.quotes >= PROPOSE_MIN_QUOTES or entity.mentions >= PROPOSE_MIN_MENTIONS[entity.kind]
    )


def _matching_actor(entity: "Entity", actors: Sequence[Actor]) -> Actor | None:
    """The actor an entity is: its name is the actor's name or alias, or the actor's name
    is one of its names. Curated and hidden actors come first: they win over proposals."""
    own = {name_key(n) for n in (entity.name, *entity.aliases)}
    for actor in sorted(actors, key=lambda a: a.status == Actor.Status.PROPOSED):
        if name_key(entity.name) in {name_key(n) for n in actor.names}:
            return actor
        if name_key(actor.name) in own:
            return actor
    return None


def _aliases_text(name: str, *groups: Iterable[str]) -> str:
    out, seen = [], {name_key(name)}
    for alias in (alias.strip()[:200] for group in groups for alias in group):
        if alias and name_key(alias) not in seen:
            seen.add(name_key(alias))
            out.append(alias)
    return "\n".join(out)


@transaction.atomic
def story_actors_propose(*, story: Story) -> list[Actor]:
    """Propose as actors the people and organisations the story's pieces quote or name
    repeatedly, with the names the text uses for them; returns the story's proposals.

    Curated actors win: an entity that is a curated actor (by name or alias) is never
    proposed, nor one an editor hid. A proposal found again is brought up to date (its
    aliases, role, counts); one no longer found is withdrawn. Idempotent.
    """
    Story.objects.select_for_update().filter(pk=story.pk).first()  # one proposer per story
    actors = list(story.actors.all())
    found: dict[int, Entity] = {}
    for entity in story_entities(story):
        if not _worth_proposing(entity):
            continue
        actor = _matching_actor(entity, actors)
        if actor is not None and actor.status != Actor.Status.PROPOSED:
            continue  # curated or hidden: an editor's word stands
        if actor is None:
            actor = Actor(story=story, name=entity.name[:200], status=Actor.Status.PROPOSED)
            actors.append(actor)
        elif actor.pk in found:  # two entities are one proposal: keep the first's counts
            continue
        before = _proposal_fields(actor)
        actor.kind = entity.kind
        actor.role = actor.role or entity.role[:200]
        actor.pronoun = entity.pronoun if entity.pronoun in Actor.Pronoun.values else ""
        actor.aliases = _aliases_text(actor.name, actor.alias_list, entity.aliases)
        actor.mentions, actor.quotes = entity.mentions, entity.quotes
        if actor.pk is None or _proposal_fields(actor) != before:  # unchanged: no write,
            actor.full_clean()  # so cached comparisons stay valid
            actor.save()
        found[actor.pk] = entity
    story.actors.proposed().exclude(pk__in=found).delete()
    return list(story.actors.proposed().order_by("-quotes", "-mentions", "name"))


def _proposal_fields(actor: Actor) -> tuple:
    return (actor.kind, actor.role, actor.pronoun, actor.aliases, actor.mentions, actor.quotes)


def _story_actor(actor: Actor) -> Actor:
    return Actor.objects.select_for_update().get(pk=actor.pk)


@transaction.atomic
def actor_accept(*, actor: Actor) -> Actor:
    """Make a proposed (or hidden) actor curated: it stays, whatever discovery finds."""
    actor = _story_actor(actor)
    actor.status = Actor.Status.CURATED
    actor.save()
    return actor


@transaction.atomic
def actor_hide(*, actor: Actor) -> Actor:
    """Leave the actor out of the analysis; discovery never proposes it again."""
    actor = _story_actor(actor)
    actor.status = Actor.Status.HIDDEN
    actor.save()
    return actor


@transaction.atomic
def actor_rename(*, actor: Actor, name: str) -> Actor:
    """Give the actor another name (the old one becomes an alias) and keep it as curated."""
    actor = _story_actor(actor)
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Give the actor a name.")
    clash = actor.story.actors.exclude(pk=actor.pk).filter(name__iexact=name).first()
    if clash is not None:
        raise ValidationError(f"“{clash.name}” is already an actor of this story: merge instead.")
    if name != actor.name:
        actor.aliases = _aliases_text(name, [actor.name], actor.alias_list)
        actor.name = name
    actor.status = Actor.Status.CURATED
    actor.full_clean()
    actor.save()
    return actor


@transaction.atomic
def actor_merge(*, actor: Actor, into: Actor) -> Actor:
    """Fold `actor` into `into`: its names become aliases of `into`, editors' speaker
    corrections that named it now name `into`, and it is deleted."""
    if actor.pk == into.pk:
        raise ValidationError("An actor cannot be merged into itself.")
    actor, into = _story_actor(actor), _story_actor(into)
    if actor.story_id != into.story_id:
        raise ValidationError("Only actors of the same story can be merged.")
    into.aliases = _aliases_text(into.name, into.alias_list, actor.names)
    into.role = into.role or actor.role
    into.pronoun = into.pronoun or actor.pronoun
    into.mentions += actor.mentions
    into.quotes += actor.quotes
    into.full_clean()
    into.save()
    SpeakerCorrection.objects.filter(speaker_actor=actor).update(speaker_actor=into)
    actor.delete()
    return into


# ---------------------------------------------------------------------------
# Editors' speaker corrections (append-only)


def quote_in_analysis(paragraph: Paragraph, start: int, end: int) -> framing.Quote | None:
    """The quote of the paragraph's stored analysis with exactly these bounds."""
    analysis = ParagraphAnalysis.objects.filter(paragraph=paragraph).first()
    if analysis is None:
        return None
    quotes = framing.ParagraphFraming.from_dict(analysis.data).quotes
    return next((q for q in quotes if (q.start, q.end) == (start, end)), None)


@transaction.atomic
def speaker_correct(
    *,
    paragraph: Paragraph,
    start: int,
    end: int,
    editor: AbstractBaseUser,
    choice: str,
    actor: Actor | None = None,
    name: str = "",
) -> SpeakerCorrection:
    """Record who said a quote of the paragraph: a story actor, someone else, or nobody.

    The quote must be one the analysis found; what it said is kept beside the editor's
    word. Corrections are never changed: a later one supersedes.
    """
    quote = quote_in_analysis(paragraph, start, end)
    if quote is None:
        raise ValidationError("There is no quote there any more; reload the page.")
    row = SpeakerCorrection(
        paragraph=paragraph,
        start=start,
        end=end,
        quote_text=paragraph.text[start:end],
        choice=choice,
        editor=editor,
        model_speaker=_speaker_name(quote, paragraph.article.story_id),
    )
    if choice == SpeakerCorrection.Choice.ACTOR:
        if actor is None or actor.story_id != paragraph.article.story_id:
            raise ValidationError("Choose one of the story's actors.")
        row.speaker_actor, row.speaker_name = actor, actor.name
    elif choice == SpeakerCorrection.Choice.OTHER:
        row.speaker_name = " ".join(name.split())[:200]
        if not row.speaker_name:
            raise ValidationError("Name the person or organisation who said it.")
    elif choice != SpeakerCorrection.Choice.NOBODY:
        raise ValidationError(f"Unknown choice {choice!r}.")
    row.full_clean()
    row.save()
    return row


def _speaker_name(quote: framing.Quote, story_id: int) -> str:
    if quote.speaker and quote.speaker.isdigit():
        actor = Actor.objects.filter(pk=int(quote.speaker), story_id=story_id).first()
        if actor is not None:
            return actor.name
    return quote.speaker_text[:200]


# A speaker correction's own columns in the export, after the labels' (EXPORT_FIELDS).
SPEAKER_EXPORT_FIELDS = [
    "record",  # "label" | "speaker"
    "quote_start",
    "quote_end",
    "quote_text",
    "speaker_choice",  # "actor" | "other" | "nobody"
    "speaker",
    "speaker_actor_id",
    "model_speaker",
]
EDITORIAL_EXPORT_FIELDS = [*EXPORT_FIELDS, *SPEAKER_EXPORT_FIELDS]


def editorial_export_rows() -> Iterable[dict]:
    """Every label and every speaker correction, oldest first, as rows with the same
    columns (EDITORIAL_EXPORT_FIELDS; what a row is not about is None)."""
    blank_label = dict.fromkeys(EXPORT_FIELDS)
    blank_speaker = dict.fromkeys(SPEAKER_EXPORT_FIELDS)
    labels = ({**row, **blank_speaker, "record": "label"} for row in labels_export_rows())
    speakers = ({**blank_label, **row} for row in speaker_corrections_export_rows())
    return heapq.merge(labels, speakers, key=lambda row: row["created"])


def speaker_corrections_export_rows() -> Iterable[dict]:
    """One dict per speaker correction, oldest first (superseded ones too)."""
    rows = SpeakerCorrection.objects.select_related(
        "paragraph", "editor", "speaker_actor"
    ).order_by("created", "pk")
    for row in rows.iterator(chunk_size=2000):
        yield {
            "record": "speaker",
            "paragraph_id": row.paragraph_id,
            "article_id": row.paragraph.article_id,
            "text": row.paragraph.text,
            "quote_start": row.start,
            "quote_end": row.end,
            "quote_text": row.quote_text,
            "speaker_choice": row.choice,
            "speaker": None if row.choice == row.Choice.NOBODY else row.speaker_label,
            "speaker_actor_id": row.speaker_actor_id,
            "model_speaker": row.model_speaker or None,
            "editor": row.editor.get_username(),
            "created": row.created.isoformat(),
        }
