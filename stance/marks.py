"""Marks over a paragraph's text, cut into runs for the templates to render (pure, no Django).

Every page that marks text — the compare columns (quotes, mentions, loaded words), the
article page (quotes with their speakers, opinion sentences) and the explanation (quoted
speech) — cuts the text here, at every mark's start and end, and renders the runs in its
template, escaped by the template engine (the compare columns, whose long pieces have
thousands of runs, in stance.compare.marked_text, escaping each part). Marks may nest or
overlap; each run carries every mark covering it. Linear in the text and the marks (one
sweep), so a 300,000-character paragraph with thousands of quotes costs what its length does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: str  # what it is, as the page's CSS names it ("quote", "mention", ...)
    title: str = ""  # said on hover
    data: Any = None  # what the page shows with it (a speaker, a QuoteView, a probability)


@dataclass(frozen=True)
class Run:
    """A stretch of text that the same marks cover."""

    text: str
    marks: tuple[Mark, ...] = ()  # covering this run, in the order they were given
    ending: tuple[Mark, ...] = ()  # ending right after this run (a quote's speaker goes there)

    @property
    def kinds(self) -> str:
        """The covering marks' kinds, sorted and space-separated (CSS classes)."""
        return " ".join(sorted({mark.kind for mark in self.marks}))

    @property
    def title(self) -> str:
        return "; ".join(mark.title for mark in self.marks if mark.title)

    def innermost(self, kind: str) -> Mark | None:
        """The shortest covering mark of this kind (a quote inside a quote: the inner one)."""
        return min(
            (mark for mark in self.marks if mark.kind == kind),
            key=lambda mark: mark.end - mark.start,
            default=None,
        )

    def covering(self, kind: str) -> Mark | None:
        return next((mark for mark in self.marks if mark.kind == kind), None)


def runs(text: str, marks: Iterable[Mark]) -> list[Run]:
    """`text` cut at every boundary of `marks` (clipped to the text; empty ones dropped)."""
    n = len(text)
    kept: list[Mark] = []
    for mark in marks:
        start, end = max(0, mark.start), min(n, mark.end)
        if start < end:
            kept.append(mark if (start, end) == (mark.start, mark.end) else _clip(mark, start, end))
    starting: dict[int, list[int]] = defaultdict(list)
    ending: dict[int, list[int]] = defaultdict(list)
    for i, mark in enumerate(kept):
        starting[mark.start].append(i)
        ending[mark.end].append(i)
    bounds = sorted({0, n, *starting, *ending})
    active: set[int] = set()
    out = []
    for start, end in pairwise(bounds):
        active.difference_update(ending.get(start, ()))
        active.update(starting.get(start, ()))
        out.append(
            Run(
                text[start:end],
                tuple(kept[i] for i in sorted(active)),
                tuple(kept[i] for i in ending.get(end, ())),
            )
        )
    return out


def spans(text: str, spans: Sequence[tuple[int, int]], kind: str) -> list[Run]:
    """`text` with each (start, end) span marked as `kind`."""
    return runs(text, (Mark(start, end, kind) for start, end in spans))


def _clip(mark: Mark, start: int, end: int) -> Mark:
    return Mark(start, end, mark.kind, mark.title, mark.data)
