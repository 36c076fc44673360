"""Which paragraphs of one piece carry the same facts or claims as another's (pure).

TF-IDF over character 3-5-grams within words, fitted on all the pieces together, and
cosine similarity between paragraphs of different pieces; a paragraph's counterpart in
another piece is its most similar paragraph there, when the similarity clears a
threshold. Character n-grams match "expelled"/"expulsion" and "council"/"council's",
which word n-grams miss on paragraphs that retell the same facts in other words; on the
seed story word 1-2-grams found no pair above 0.1 while these find the column's echoes
of the report (the expulsion meeting, Goff on Carter) at 0.2-0.25.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel

DEFAULT_THRESHOLD = 0.2


@dataclass(frozen=True)
class Match:
    piece: int  # index of the other piece
    paragraph: int  # index of the paragraph within that piece
    similarity: float


def align(
    pieces: Sequence[Sequence[str]], *, threshold: float = DEFAULT_THRESHOLD
) -> list[list[list[Match]]]:
    """For piece i, paragraph j: its best match in each other piece, best first.

    An empty list means the paragraph has no counterpart: it is unique to its piece.
    """
    flat = [(i, j, text) for i, piece in enumerate(pieces) for j, text in enumerate(piece)]
    result: list[list[list[Match]]] = [[[] for _ in piece] for piece in pieces]
    if len(pieces) < 2 or not flat:
        return result
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform([text for _, _, text in flat])
    except ValueError:  # no text at all
        return result
    similarity = linear_kernel(matrix)
    owner = np.array([i for i, _, _ in flat])
    columns = [np.flatnonzero(owner == piece) for piece in range(len(pieces))]
    for row, (i, j, _) in enumerate(flat):
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
