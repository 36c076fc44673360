"""What the models page says about a candidate: what changed, on whose labels, and what to do.

`candidate_report()` reads the evaluation and flips the retrain stored on the version
(stance.services.versions.candidate_evaluate) and names each flip by its article and text, with
the editor's label where there is one. `recommend()` is the rule, kept pure for tests.
"""

from dataclasses import dataclass, field

from django.utils.text import Truncator

from newsroom.models import Paragraph
from stance.models import ModelVersion
from stance.selectors import with_verdicts

# Differences in macro-F1 smaller than this are noise at these sample sizes.
MEANINGFUL = 0.005
# Fewer editor labels than this cannot outweigh a fall in the overall figure.
ENOUGH_EDITOR_LABELS = 30
SHOWN_FLIPS = 30


@dataclass(frozen=True)
class Flip:
    paragraph_id: int
    article_id: int
    headline: str
    position: int
    text: str
    before: str
    after: str
    p_before: float
    p_after: float
    editor_label: str | None

    @property
    def agrees_after(self) -> bool | None:
        """Whether the changed prediction matches the editor's label (None: no label)."""
        return None if self.editor_label is None else self.after == self.editor_label


@dataclass(frozen=True)
class Recommendation:
    action: str  # "activate", "keep" or "either"
    text: str


@dataclass
class CandidateReport:
    overall_candidate: float | None
    overall_active: float | None
    editor_n: int
    editor_candidate: float | None
    editor_active: float | None
    changes: int
    compared: int
    flips: list[Flip] = field(default_factory=list)
    toward_editors: int = 0  # changed predictions that come to match an editor's label
    away_from_editors: int = 0  # ... that stop matching one
    recommendation: Recommendation | None = None

    @property
    def overall_delta(self) -> float | None:
        return _delta(self.overall_candidate, self.overall_active)

    @property
    def editor_delta(self) -> float | None:
        return _delta(self.editor_candidate, self.editor_active)


def _delta(new: float | None, old: float | None) -> float | None:
    return None if new is None or old is None else new - old


def _direction(delta: float | None) -> int:
    if delta is None or abs(delta) < MEANINGFUL:
        return 0
    return 1 if delta > 0 else -1


def recommend(
    *, overall_delta: float | None, editor_delta: float | None, editor_n: int
) -> Recommendation:
    """Activate, keep, or either, from the change overall and on editors' labels.

    Editors' labels are the newsroom's own judgement on its own articles, so they weigh
    more than the overall (cross-validated, mostly starter-corpus) figure, but only once
    there are enough of them to outweigh it.
    """
    overall, editors = _direction(overall_delta), _direction(editor_delta)
    if editor_delta is None:
        if overall > 0:
            return Recommendation(
                "activate",
                "Activate: better overall. Too few editor labels to check it on the "
                "newsroom's own judgements yet.",
            )
        if overall < 0:
            return Recommendation("keep", "Keep the active version: worse overall.")
        return Recommendation("either", "No meaningful difference overall; either will do.")
    if editors > 0 and overall >= 0:
        return Recommendation("activate", "Activate: it agrees more with editors' labels.")
    if editors > 0 and overall < 0:
        if editor_n >= ENOUGH_EDITOR_LABELS:
            return Recommendation(
                "activate",
                f"Activate, after reading the changes below: it agrees more with editors' "
                f"labels ({editor_n} of them), which outweigh the fall overall.",
            )
        return Recommendation(
            "keep",
            f"Keep the active version for now: the gain on editors' labels rests on "
            f"{editor_n} labels, too few (under {ENOUGH_EDITOR_LABELS}) to outweigh the "
            "fall overall. Label more, then retrain.",
        )
    if editors < 0:
        return Recommendation("keep", "Keep the active version: it agrees less with editors.")
    if overall > 0:
        return Recommendation("activate", "Activate: better overall, the same on editors' labels.")
    if overall < 0:
        return Recommendation("keep", "Keep the active version: worse overall.")
    return Recommendation(
        "either", "No meaningful difference; activating it would learn from the newest labels."
    )


def candidate_report(candidate: ModelVersion, active: ModelVersion | None) -> CandidateReport:
    evaluation = candidate.metrics.get("editor_eval", {})
    stored = candidate.training_summary.get("flips", {})
    report = CandidateReport(
        overall_candidate=candidate.macro_f1,
        overall_active=active.macro_f1 if active is not None else None,
        editor_n=evaluation.get("n", 0),
        editor_candidate=evaluation.get("candidate", {}).get("macro_f1"),
        editor_active=evaluation.get("active", {}).get("macro_f1"),
        changes=stored.get("count", 0),
        compared=stored.get("compared", 0),
    )
    sample = stored.get("sample", [])
    paragraphs = {
        p.pk: p
        for p in with_verdicts(
            Paragraph.objects.filter(pk__in=[f["paragraph"] for f in sample])
        ).select_related("article")
    }
    for item in sample:
        paragraph = paragraphs.get(item["paragraph"])
        if paragraph is None:  # deleted since the retrain
            continue
        report.flips.append(
            Flip(
                paragraph_id=paragraph.pk,
                article_id=paragraph.article_id,
                headline=paragraph.article.headline,
                position=paragraph.position,
                text=Truncator(paragraph.text).chars(160),
                before=item["from"],
                after=item["to"],
                p_before=item["p_before"],
                p_after=item["p_after"],
                editor_label=paragraph.editor_label,
            )
        )
    # Counted over every change at retrain time; versions trained before that: the sample.
    report.toward_editors = stored.get(
        "toward_editors", sum(f.agrees_after is True for f in report.flips)
    )
    report.away_from_editors = stored.get(
        "away_from_editors", sum(f.agrees_after is False for f in report.flips)
    )
    # Changes on paragraphs editors labelled first: those are the ones to judge.
    report.flips.sort(key=lambda f: (f.editor_label is None, f.headline, f.position))
    report.flips = report.flips[:SHOWN_FLIPS]
    report.recommendation = recommend(
        overall_delta=report.overall_delta,
        editor_delta=report.editor_delta,
        editor_n=report.editor_n,
    )
    return report
