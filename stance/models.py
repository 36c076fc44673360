"""Model versions, the predictions they make, and the labels editors give."""

import datetime
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now

from newsroom.models import Paragraph
from stance.labels import LABEL_CHOICES


class ModelVersionQuerySet(models.QuerySet):
    def without_artifact(self) -> "ModelVersionQuerySet":
        return self.defer("artifact")

    def classifiers(self) -> "ModelVersionQuerySet":
        return self.filter(kind=ModelVersion.Kind.CLASSIFIER)

    def active(self, kind: str) -> "ModelVersion | None":
        return self.filter(kind=kind, is_active=True).first()


class ModelVersion(models.Model):
    """A trained model: its artifact (skops bytes), what it learnt from and how it scored.

    The artifact lives in the database so every app server and worker can load the
    active version; each process caches it by id (see stance.registry).
    """

    class Kind(models.TextChoices):
        CLASSIFIER = "classifier", "News/opinion classifier"
        ACTOR_SENTIMENT = "actor_sentiment", "Actor sentiment"

    class Status(models.TextChoices):
        TRAINING = "training", "Training"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"
        DISCARDED = "discarded", "Discarded"

    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.CLASSIFIER)
    number = models.PositiveIntegerField(help_text="1, 2, 3… per kind.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.TRAINING)
    is_active = models.BooleanField(default=False)
    artifact = models.BinaryField(null=True, blank=True, editable=False)
    artifact_sha256 = models.CharField(max_length=64, blank=True)
    artifact_bytes = models.PositiveBigIntegerField(default=0)
    sklearn_version = models.CharField(max_length=30, blank=True)
    random_state = models.IntegerField(default=0)
    params = models.JSONField(default=dict, blank=True)
    training_summary = models.JSONField(default=dict, blank=True)
    metrics = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created = models.DateTimeField(auto_now_add=True)
    activated = models.DateTimeField(null=True, blank=True)

    objects = ModelVersionQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="modelversion_unique_number"),
            # At most one active version per kind; activation swaps it in one transaction.
            models.UniqueConstraint(
                fields=["kind"], condition=Q(is_active=True), name="modelversion_one_active"
            ),
            models.CheckConstraint(
                condition=Q(is_active=False) | Q(status="ready"),
                name="modelversion_active_is_ready",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.number}"

    @property
    def macro_f1(self) -> float | None:
        return self.metrics.get("macro_f1")


class PredictionQuerySet(models.QuerySet):
    def of_active(self) -> "PredictionQuerySet":
        return self.filter(version__is_active=True, version__kind=ModelVersion.Kind.CLASSIFIER)


class Prediction(models.Model):
    """What one classifier version said about one paragraph, sentence by sentence."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="predictions")
    version = models.ForeignKey(ModelVersion, on_delete=models.CASCADE, related_name="predictions")
    label = models.CharField(max_length=10, choices=LABEL_CHOICES)
    p_opinion = models.FloatField()
    # The paragraph's sentences as stance.voice reads them, [start, end, words, role, p] each
    # (offsets into the paragraph's text; role "author", "attributed" or "structure"); the
    # label and p_opinion above come from them. Empty for a prediction made before sentences.
    sentences = models.JSONField(default=list, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = PredictionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["paragraph", "version"], name="prediction_unique_per_version"
            ),
            models.CheckConstraint(
                condition=Q(p_opinion__gte=0) & Q(p_opinion__lte=1),
                name="prediction_p_opinion_0_1",
            ),
        ]
        indexes = [
            # The review queue: a version's predictions, most uncertain first.
            models.Index(fields=["version", "p_opinion"], name="prediction_version_p"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.p_opinion:.2f}) by {self.version}"


class LabelQuerySet(models.QuerySet):
    def live(self) -> "LabelQuerySet":
        """Labels that count: verdicts and confirmations nobody has undone."""
        return self.filter(action__in=Label.VERDICT_ACTIONS, undone_by__isnull=True)


class Label(models.Model):
    """An editor's verdict on a paragraph. Append-only: no row is ever changed or deleted.

    Undo appends a row that points at the label it undoes. A paragraph's effective label
    is its latest live adjudication (an editor settling a disagreement between editors),
    else its latest live label, else the active model's prediction.
    """

    class Action(models.TextChoices):
        CORRECT = "correct", "Labelled"
        CONFIRM = "confirm", "Confirmed the model"
        ADJUDICATE = "adjudicate", "Settled a disagreement"
        UNDO = "undo", "Undid a label"

    VERDICT_ACTIONS = (Action.CORRECT, Action.CONFIRM, Action.ADJUDICATE)

    # Never deleted with their paragraph: deleting a labelled paragraph (or its article)
    # is refused, and the admin names the labels in the way.
    paragraph = models.ForeignKey(Paragraph, on_delete=models.PROTECT, related_name="labels")
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.CORRECT)
    label = models.CharField(max_length=10, choices=LABEL_CHOICES)
    undoes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="undone_by"
    )
    note = models.TextField(blank=True)
    # What the active model said when the editor looked, so disagreement survives retraining.
    model_version = models.ForeignKey(
        ModelVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    model_label = models.CharField(max_length=10, blank=True)
    model_p_opinion = models.FloatField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = LabelQuerySet.as_manager()

    class Meta:
        ordering = ["created", "pk"]
        indexes = [
            # Latest label per paragraph.
            models.Index(fields=["paragraph", "-created"], name="label_paragraph_latest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(action="undo", undoes__isnull=False)
                | (~Q(action="undo") & Q(undoes__isnull=True)),
                name="label_undo_points_at_a_label",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.label} by {self.editor} on {self.paragraph_id}"

    @property
    def model_disagreed(self) -> bool:
        return bool(self.model_label) and self.model_label != self.label


class SentenceLabelQuerySet(models.QuerySet):
    def of_paragraphs(self, paragraph_ids) -> "SentenceLabelQuerySet":
        return self.filter(paragraph_id__in=paragraph_ids).order_by("created", "pk")


class SentenceLabel(models.Model):
    """An editor's verdict on one sentence of a paragraph. Append-only, like labels: a later
    verdict on the same sentence supersedes an earlier one, and none is ever changed or
    deleted. The sentence is kept by its text as well as its offsets (a paragraph's
    sentences come from the model that read it, and another version may split it
    differently). Every sentence label joins retraining as a sentence row."""

    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.PROTECT, related_name="sentence_labels"
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    sentence_text = models.TextField()
    label = models.CharField(max_length=10, choices=LABEL_CHOICES)
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    # What the active model said of the sentence when the editor looked.
    model_version = models.ForeignKey(
        ModelVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    model_label = models.CharField(max_length=10, blank=True)
    model_p_opinion = models.FloatField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = SentenceLabelQuerySet.as_manager()

    class Meta:
        ordering = ["created", "pk"]
        indexes = [
            models.Index(fields=["paragraph", "created"], name="sentencelabel_paragraph"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="sentencelabel_span"),
        ]

    def __str__(self) -> str:
        return f"{self.label}: “{self.sentence_text[:40]}” ({self.editor})"


class Frame(models.Model):
    """A story-independent way of framing an issue, found in text by its cue terms."""

    key = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    cues = models.TextField(help_text="Cue words or phrases, one per line.")
    is_active = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    # Cached pages (the compare view) are keyed on it, so an edit shows at once.
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def cue_list(self) -> list[str]:
        return [line.strip() for line in self.cues.splitlines() if line.strip()]


class ParagraphAnalysis(models.Model):
    """How a paragraph frames the story's actors: mentions, quotes, sentiment, loaded words.

    `data` is stance.framing.ParagraphFraming.to_dict(); `signature` fingerprints the
    actors and frames it was computed with, so edits to either mark it stale.
    """

    paragraph = models.OneToOneField(Paragraph, on_delete=models.CASCADE, related_name="analysis")
    signature = models.CharField(max_length=64)
    data = models.JSONField()
    # When this analysis was computed (a recomputation replaces the row's data and sets it).
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"analysis of {self.paragraph_id}"


class TrainingSet(models.Model):
    """A labelled TSV imported for training: joins every later retrain as a source."""

    name = models.CharField(max_length=200)
    content = models.TextField(help_text="The labelled TSV as imported (id, text, label).")
    rows = models.PositiveIntegerField()
    counts = models.JSONField(default=dict)
    is_active = models.BooleanField(default=True, help_text="Included in retraining.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.rows} rows)"


class JobQuerySet(models.QuerySet):
    def unfinished(self) -> "JobQuerySet":
        return self.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING])

    def stale(self) -> "JobQuerySet":
        """Jobs that lost their worker, or never found one: running without a heartbeat
        for a lease (the reaper fails them), or queued and untaken for
        Job.STALE_AFTER_SECONDS (a retry gives them up and queues the work again)."""
        return self.filter(_stale_q())

    def in_progress(self) -> "JobQuerySet":
        """Queued or running, and not stale: work a worker has in hand or soon will."""
        return self.unfinished().exclude(_stale_q())


def _stale_q() -> Q:
    # By the database's clock, as the heartbeat (stance.jobs): never two servers' clocks.
    return reduce(
        or_,
        (
            Q(status=status, updated__lt=Now() - datetime.timedelta(seconds=seconds))
            for status, seconds in Job.silence_allowed().items()
        ),
    )


class Job(models.Model):
    """Slow work run as a background task, with the progress the page shows: the one
    record of it (stance.jobs runs, reaps and retries jobs).

    `updated` is the heartbeat: while a worker runs the job it touches it every fifth of
    settings.STANCE_JOB_LEASE_SECONDS. A running job whose heartbeat is older than the
    lease lost its worker (Job.objects.stale()); stance.jobs.jobs_reap fails it, and a
    failed job can be retried (stance.jobs.job_retry) as a new job.
    """

    class Kind(models.TextChoices):
        TRAIN = "train", "Train a candidate"
        REFRESH = "refresh", "Refresh predictions"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    # A queued job no worker has taken for this long is shown as stalled (are the
    # workers running?) and may be started again.
    STALE_AFTER_SECONDS = 300

    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0.0)
    message = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True)
    version = models.ForeignKey(
        ModelVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    task_id = models.CharField(
        max_length=64, blank=True, help_text="The id of the background task running it."
    )
    retry_of = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retried_by"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    finished = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=1), name="job_progress_0_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return round(100 * self.progress)

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @classmethod
    def silence_allowed(cls) -> dict[str, float]:
        """Seconds without news after which a job is stale, by status."""
        return {
            cls.Status.RUNNING: settings.STANCE_JOB_LEASE_SECONDS,
            cls.Status.QUEUED: cls.STALE_AFTER_SECONDS,
        }

    @property
    def is_stalled(self) -> bool:
        """Whether the job as loaded is stale (Job.objects.stale(), by this clock)."""
        from django.utils import timezone

        allowed = self.silence_allowed().get(self.status)
        age = (timezone.now() - self.updated).total_seconds()
        return allowed is not None and age > allowed


class SpeakerCorrectionQuerySet(models.QuerySet):
    def of_paragraphs(self, paragraph_ids) -> "SpeakerCorrectionQuerySet":
        return self.filter(paragraph_id__in=paragraph_ids).order_by("created", "pk")


class SpeakerCorrection(models.Model):
    """An editor's word on who said a quote. Append-only, like labels: a later correction
    of the same quote supersedes an earlier one, and none is ever changed or deleted.

    The quote is kept by its text as well as its offsets, so a correction finds its quote
    again after the paragraph is re-analysed and the quote's bounds move
    (stance.speakers.apply_corrections).
    """

    class Choice(models.TextChoices):
        ACTOR = "actor", "A story actor"
        OTHER = "other", "Someone else"
        NOBODY = "nobody", "Nobody (not anyone's words)"

    # Never deleted with their paragraph, like labels: deleting a corrected paragraph (or its
    # article) is refused, and the admin names the corrections in the way.
    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.PROTECT, related_name="speaker_corrections"
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote_text = models.TextField()
    choice = models.CharField(max_length=10, choices=Choice.choices)
    speaker_actor = models.ForeignKey(
        "newsroom.Actor",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="speaker_corrections",
    )
    # The actor's name when corrected, or the name typed for someone else.
    speaker_name = models.CharField(max_length=200, blank=True)
    # Who the analysis said it was when the editor looked ("" when nobody).
    model_speaker = models.CharField(max_length=200, blank=True)
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created = models.DateTimeField(auto_now_add=True)

    objects = SpeakerCorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["created", "pk"]
        indexes = [
            # The corrections of the paragraphs on a page (article, compare), in order.
            models.Index(fields=["paragraph", "created"], name="speakercorr_paragraph"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="speakercorr_span"),
            models.CheckConstraint(
                condition=~Q(choice="other") | ~Q(speaker_name=""),
                name="speakercorr_other_is_named",
            ),
            models.CheckConstraint(
                condition=~Q(choice="nobody") | Q(speaker_actor__isnull=True, speaker_name=""),
                name="speakercorr_nobody_is_nobody",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.speaker_label} said “{self.quote_text[:40]}” ({self.editor})"

    @property
    def speaker_key(self) -> str:
        """The actor key the analysis uses ("" for someone else or nobody)."""
        if self.choice == self.Choice.ACTOR and self.speaker_actor_id is not None:
            return str(self.speaker_actor_id)
        return ""

    @property
    def speaker_label(self) -> str:
        if self.choice == self.Choice.NOBODY:
            return "nobody"
        if self.speaker_actor is not None:
            return self.speaker_actor.name
        return self.speaker_name
