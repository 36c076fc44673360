"""What editors should look at next, and how far they agree (read-only queries).

The review queue puts first what most helps the model: paragraphs where editors
disagree with each other, for anyone (those editors included) to settle with an
adjudication that then wins over their labels; then paragraphs where one editor
overruled the model and a second opinion settles it; then unreviewed paragraphs, most
uncertain first.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import F, Max, QuerySet
from django.db.models.functions import Abs
from sklearn.metrics import cohen_kappa_score

from newsroom.models import Paragraph
from stance.models import Label, ModelVersion, Prediction
from stance.selectors import with_verdicts

QUEUE_LIMIT = 500


@dataclass
class Scope:
    story: int | None = None
    outlet: int | None = None
    genre: str = ""

    def paragraphs(self) -> QuerySet[Paragraph]:
        qs = Paragraph.objects.classifiable()
        if self.story:
            qs = qs.filter(article__story_id=self.story)
        if self.outlet:
            qs = qs.filter(article__outlet_id=self.outlet)
        if self.genre:
            qs = qs.filter(article__genre=self.genre)
        return qs


# Kappa on fewer paragraphs than this is too unstable to read.
MIN_KAPPA_SAMPLE = 30


def latest_labels(paragraph_ids=None) -> dict[int, dict[int, str]]:
    """paragraph -> {editor: that editor's latest live label}, adjudications aside (an
    adjudicator settles a disagreement; they are not another independent rater)."""
    return {
        pk: {editor: value for editor, (value, _) in editors.items()}
        for pk, editors in _latest_with_times(paragraph_ids).items()
    }


def _latest_with_times(paragraph_ids=None) -> dict[int, dict[int, tuple[str, datetime]]]:
    labels = Label.objects.live().exclude(action=Label.Action.ADJUDICATE).order_by("created", "pk")
    if paragraph_ids is not None:
        labels = labels.filter(paragraph_id__in=paragraph_ids)
    result: dict[int, dict[int, tuple[str, datetime]]] = defaultdict(dict)
    rows = labels.values_list("paragraph_id", "editor_id", "label", "created")
    for paragraph_id, editor_id, value, created in rows:
        result[paragraph_id][editor_id] = (value, created)
    return result


def conflicts(paragraph_ids=None) -> set[int]:
    """Paragraphs whose editors' latest labels differ, unsettled by an adjudication since."""
    settled = dict(
        Label.objects.live()
        .filter(action=Label.Action.ADJUDICATE)
        .values("paragraph_id")
        .annotate(last=Max("created"))
        .values_list("paragraph_id", "last")
    )
    found = set()
    for paragraph_id, editors in _latest_with_times(paragraph_ids).items():
        if len({value for value, _ in editors.values()}) < 2:
            continue
        newest = max(created for _, created in editors.values())
        if paragraph_id not in settled or settled[paragraph_id] < newest:
            found.add(paragraph_id)
    return found


@dataclass
class QueueItem:
    paragraph_id: int
    reason: str  # "editors disagree" | "second opinion" | "uncertain"

    @property
    def adjudicates(self) -> bool:
        return self.reason == "editors disagree"


def queue(scope: Scope, *, user_id: int, skipped: set[int]) -> list[QueueItem]:
    in_scope = scope.paragraphs()
    by_paragraph = latest_labels(in_scope.values("pk"))
    models = dict(
        Prediction.objects.of_active()
        .filter(paragraph_id__in=list(by_paragraph))
        .values_list("paragraph_id", "label")
    )
    unsettled = conflicts(in_scope.values("pk"))
    disputes, second = [], []
    for paragraph_id, editors in by_paragraph.items():
        if paragraph_id in skipped:
            continue
        if paragraph_id in unsettled:  # for anyone to settle, its editors too
            disputes.append(QueueItem(paragraph_id, "editors disagree"))
            continue
        values = set(editors.values())
        lone = user_id not in editors and len(editors) == 1
        if lone and models.get(paragraph_id) not in (None, *values):
            second.append(QueueItem(paragraph_id, "second opinion"))
    reviewed = Label.objects.live().values("paragraph_id")
    unreviewed = (
        with_verdicts(in_scope.exclude(pk__in=reviewed).exclude(pk__in=skipped))
        .filter(p_opinion__isnull=False)
        .annotate(uncertainty=Abs(F("p_opinion") - 0.5))
        .order_by("uncertainty", "pk")
        .values_list("pk", flat=True)[:QUEUE_LIMIT]
    )
    return disputes + second + [QueueItem(pk, "uncertain") for pk in unreviewed]


def history(paragraph: Paragraph) -> list[Label]:
    """The paragraph's labels, oldest first, with `is_undone` and `is_effective` set."""
    rows = list(
        Label.objects.filter(paragraph=paragraph)
        .select_related("editor", "undoes")
        .order_by("created", "pk")
    )
    undone = {row.undoes_id for row in rows if row.undoes_id}
    for row in rows:
        row.is_undone = row.pk in undone
        row.is_effective = row.pk == getattr(paragraph, "label_id", None)
    return rows


def progress(scope: Scope) -> tuple[int, int]:
    """(paragraphs with a live editor label, classifiable paragraphs) in the scope."""
    in_scope = scope.paragraphs()
    reviewed = in_scope.filter(pk__in=Label.objects.live().values("paragraph_id")).count()
    return reviewed, in_scope.count()


@dataclass
class PairAgreement:
    first: str
    second: str
    n: int
    agreement: float
    kappa: float | None

    @property
    def too_few(self) -> bool:
        """Too few paragraphs for kappa (or agreement) to mean much."""
        return self.n < MIN_KAPPA_SAMPLE


@dataclass
class Disagreement:
    paragraph: Paragraph
    kind: str  # "editors" | "model"
    labels: dict[str, str] = field(default_factory=dict)


def _kappa(a: list[str], b: list[str]) -> float | None:
    if len(a) < 2 or len(set(a) | set(b)) < 2:
        return None  # undefined with a single class
    return float(cohen_kappa_score(a, b))


def editor_agreement() -> list[PairAgreement]:
    by_paragraph = latest_labels()
    names = dict(Label.objects.values_list("editor_id", "editor__username").distinct())
    pairs: dict[tuple[int, int], tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for editors in by_paragraph.values():
        ids = sorted(editors)
        for i, first in enumerate(ids):
            for second in ids[i + 1 :]:
                a, b = pairs[(first, second)]
                a.append(editors[first])
                b.append(editors[second])
    return [
        PairAgreement(
            names[first],
            names[second],
            len(a),
            sum(x == y for x, y in zip(a, b, strict=True)) / len(a),
            _kappa(a, b),
        )
        for (first, second), (a, b) in sorted(pairs.items())
    ]


def model_agreement() -> list[PairAgreement]:
    """Each classifier version against the editors' effective labels (latest label)."""
    latest, settled = {}, {}
    rows = Label.objects.live().order_by("created", "pk")
    for paragraph_id, value, action in rows.values_list("paragraph_id", "label", "action"):
        (settled if action == Label.Action.ADJUDICATE else latest)[paragraph_id] = value
    effective = latest | settled  # an adjudication wins, as in with_verdicts()
    results = []
    versions = ModelVersion.objects.without_artifact().classifiers().filter(status="ready")
    for version in versions.order_by("number"):
        predicted = dict(
            Prediction.objects.filter(
                version=version, paragraph_id__in=list(effective)
            ).values_list("paragraph_id", "label")
        )
        common = [pk for pk in effective if pk in predicted]
        if not common:
            continue
        a = [effective[pk] for pk in common]
        b = [predicted[pk] for pk in common]
        agreement = sum(x == y for x, y in zip(a, b, strict=True)) / len(a)
        results.append(PairAgreement("editors", str(version), len(a), agreement, _kappa(a, b)))
    return results


def disagreements(limit: int = 100) -> list[Disagreement]:
    by_paragraph = latest_labels()
    unsettled = conflicts()
    names = dict(Label.objects.values_list("editor_id", "editor__username").distinct())
    ids = list(by_paragraph)
    paragraphs = {
        p.pk: p
        for p in with_verdicts(Paragraph.objects.filter(pk__in=ids)).select_related("article")
    }
    found = []
    for paragraph_id, editors in by_paragraph.items():
        paragraph = paragraphs[paragraph_id]
        labels = {names[e]: v for e, v in editors.items()}
        if paragraph_id in unsettled:
            found.append(Disagreement(paragraph, "editors", labels))
        elif len(set(editors.values())) > 1:
            continue  # settled by an adjudication
        elif paragraph.model_label and paragraph.model_label not in editors.values():
            found.append(
                Disagreement(paragraph, "model", {**labels, "model": paragraph.model_label})
            )
    found.sort(key=lambda d: (d.kind != "editors", d.paragraph.article_id, d.paragraph.position))
    return found[:limit]
