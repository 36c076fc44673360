"""Character spans: which one holds a position (pure, no Django).

Attribution, mentions and treatment all ask "is this word inside a quotation / attributed
clause / masked span?" for every token of a paragraph. One bisection answers it, so that a
long paragraph with thousands of quotations stays linear.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence

Span = tuple[int, int]

# Spans sorted by start may nest a few deep (a reported clause inside another).
NESTING_LOOK_BACK = 8


def disjoint(spans: Sequence[Span]) -> list[Span]:
    """The spans sorted and merged where they overlap or touch."""
    out: list[Span] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def containing(pos: int, spans: Sequence[Span], look_back: int = 1) -> int:
    """Index of a span of ``spans`` (sorted by start) that contains ``pos``, or -1.

    With the default ``look_back`` the spans must not overlap; a larger one also finds a
    span that starts earlier and encloses shorter ones (``NESTING_LOOK_BACK``)."""
    i = bisect.bisect_right(spans, (pos, math.inf)) - 1
    for k in range(i, max(-1, i - look_back), -1):
        s, e = spans[k]
        if s <= pos < e:
            return k
    return -1
