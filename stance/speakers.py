"""Editors' speaker corrections applied to a paragraph's stored analysis.

A correction names its quote by text and offsets. Re-analysis may move a quote's bounds
(a better attribution module, a new actor), so a correction finds its quote again by
text first (the nearest quote with the same words), then by overlap with where that text
sits in the paragraph. The latest correction of a quote wins (corrections are
append-only, stance.models.SpeakerCorrection).

Plain functions over the analysis dataclasses; the corrections are any objects with
`start`, `end`, `quote_text`, `choice`, `speaker_key` (actor key or "") and
`speaker_name`, so the page views and the commands share them.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from stance.framing import ParagraphFraming, Quote

# Share of the shorter span two spans must share to be the same quote.
MIN_OVERLAP = 0.5

ACTOR, OTHER, NOBODY = "actor", "other", "nobody"


class Correction(Protocol):
    start: int
    end: int
    quote_text: str
    choice: str
    speaker_key: str
    speaker_name: str


@dataclass(frozen=True)
class CorrectedQuote:
    """A quote of the analysis with the editor's correction, if any, for the pages."""

    index: int  # position in the analysis' quotes
    quote: Quote  # as the analysis found it
    correction: Correction | None

    @property
    def speaker_key(self) -> str | None:
        """The actor key the quote is credited to now (None: nobody or not an actor)."""
        if self.correction is None:
            return self.quote.speaker
        return self.correction.speaker_key or None

    @property
    def speaker_text(self) -> str:
        if self.correction is None:
            return self.quote.speaker_text
        return "" if self.correction.choice == NOBODY else self.correction.speaker_name

    @property
    def is_speech(self) -> bool:
        """False when an editor said these are nobody's words (scare quotes, a title)."""
        return self.correction is None or self.correction.choice != NOBODY


def match_quote(quotes: Sequence[Quote], text: str, correction: Correction) -> int | None:
    """The index of the quote a correction is about, or None when it is gone."""
    wanted = correction.quote_text.strip()
    same_text = [i for i, q in enumerate(quotes) if q.text.strip() == wanted]
    if same_text:
        return min(same_text, key=lambda i: abs(quotes[i].start - correction.start))
    located = _locate(text, correction)
    if located is None:
        return None
    start, end = located
    best, best_share = None, MIN_OVERLAP
    for i, q in enumerate(quotes):
        shared = min(end, q.end) - max(start, q.start)
        if shared <= 0:
            continue
        share = shared / min(end - start, q.end - q.start)
        if share >= best_share:
            best, best_share = i, share
    return best


def _locate(text: str, correction: Correction) -> tuple[int, int] | None:
    """Where the corrected words sit in the paragraph: the occurrence nearest the offsets."""
    wanted = correction.quote_text
    if not wanted:
        return None
    starts, at = [], text.find(wanted)
    while at >= 0:
        starts.append(at)
        at = text.find(wanted, at + 1)
    if not starts:
        return None
    start = min(starts, key=lambda s: abs(s - correction.start))
    return start, start + len(wanted)


def corrected_quotes(
    analysis: ParagraphFraming, text: str, corrections: Sequence[Correction]
) -> list[CorrectedQuote]:
    """Every quote of the analysis with the latest correction that finds it (oldest first
    in `corrections`, so later ones win)."""
    latest: dict[int, Correction] = {}
    for correction in corrections:
        index = match_quote(analysis.quotes, text, correction)
        if index is not None:
            latest[index] = correction
    return [CorrectedQuote(i, q, latest.get(i)) for i, q in enumerate(analysis.quotes)]


def apply_corrections(
    analysis: ParagraphFraming, text: str, corrections: Sequence[Correction]
) -> ParagraphFraming:
    """The analysis as the editors corrected it: speakers replaced, and quotes an editor
    called nobody's words dropped (they are then the author's voice)."""
    if not corrections or not analysis.quotes:
        return analysis
    quotes = []
    for item in corrected_quotes(analysis, text, corrections):
        if item.correction is None:
            quotes.append(item.quote)
        elif item.is_speech:
            quotes.append(
                replace(item.quote, speaker=item.speaker_key, speaker_text=item.speaker_text)
            )
    return replace(analysis, quotes=tuple(quotes))
