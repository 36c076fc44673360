"""Which paragraphs of one piece carry the same facts or claims as another's (pure).

Paragraphs are compared by meaning: each becomes the mean of its WordLlama token embeddings
(:mod:`stance.embedding`), and a paragraph's counterpart
in another piece is its most similar paragraph there (cosine), when the similarity clears a
threshold. The names of the story's people and organisations (found across all the pieces
together by :func:`stance.entities.find_cast`, so a surname one piece uses alone is still
known) are cut out first: two pieces then match on what they say, not on who they name, so a
paragraph that merely names Carter no longer pairs with every other paragraph about Carter.

Character n-grams, used before, matched spelling rather than meaning ("expelled" and
"expulsion", yes; "voted to close" and "decided to shut", no): on the seed story they found
the column's echoes of the report at 0.2-0.25, barely above unrelated pairs.
``bench/align.py`` prints both methods' figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from stance.embedding import embed
from stance.entities import find_cast, join_paragraphs

__all__ = ["DEFAULT_THRESHOLD", "METHOD", "Match", "align", "mask_names"]

# Cosine similarity from which two paragraphs count as retelling the same thing. On paragraphs
# written for the tests (tests/stance/test_align.py) paraphrases of one fact score 0.35-0.8
# and paragraphs of the same story about other things at most 0.25.
DEFAULT_THRESHOLD = 0.3
MIN_WORDS = 5

# Names what align() computes; cached alignments are keyed by it (stance.compare), so change
# it whenever the method, the embedding or the threshold changes the matches.
METHOD = "wordllama-masked-1"


@dataclass(frozen=True)
class Match:
    piece: int  # index of the other piece
    paragraph: int  # index of the paragraph within that piece
    similarity: float


def mask_names(pieces: Sequence[Sequence[str]]) -> list[list[str]]:
    """The pieces' paragraphs with every mention of a person or organisation cut out."""
    flat = [text for piece in pieces for text in piece]
    joined, starts = join_paragraphs(flat)
    cast = find_cast(flat)
    out: list[str] = []
    for text, start in zip(flat, starts, strict=True):
        kept, pos = [], 0
        for m in cast.mentions_within(start, start + len(text)):
            kept.append(text[pos : m.start - start])
            pos = m.end - start
        kept.append(text[pos:])
        out.append(" ".join("".join(kept).split()))
    it = iter(out)
    return [[next(it) for _ in piece] for piece in pieces]


def align(
    pieces: Sequence[Sequence[str]], *, threshold: float = DEFAULT_THRESHOLD
) -> list[list[list[Match]]]:
    """For piece i, paragraph j: its best match in each other piece, best first.

    An empty list means the paragraph has no counterpart: it is unique to its piece.
    """
    result: list[list[list[Match]]] = [[[] for _ in piece] for piece in pieces]
    flat = [(i, j) for i, piece in enumerate(pieces) for j in range(len(piece))]
    if len(pieces) < 2 or not flat:
        return result
    masked = [text for piece in mask_names(pieces) for text in piece]
    # a paragraph of fewer than MIN_WORDS words (a heading, a credit, a fragment) has a mean
    # embedding too noisy to say what it retells: it matches nothing
    vectors = embed(masked, min_words=MIN_WORDS)
    similarity = vectors @ vectors.T
    owner = np.array([i for i, _ in flat])
    columns = [np.flatnonzero(owner == piece) for piece in range(len(pieces))]
    for row, (i, j) in enumerate(flat):
        matches = []
        for other, cols in enumerate(columns):
            if other == i or not len(cols):
                continue
            best = cols[int(np.argmax(similarity[row, cols]))]
            score = float(similarity[row, best])
            if score >= threshold:
                matches.append(Match(piece=other, paragraph=flat[best][1], similarity=score))
        result[i][j] = sorted(matches, key=lambda m: -m.similarity)
    return result
