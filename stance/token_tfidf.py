"""TF-IDF over pre-tokenised rows, counted for a whole batch at once (pure module, no Django).

:class:`TokenTfidf` is scikit-learn's ``TfidfVectorizer`` for rows that are already lists of
tokens (``analyzer=passthrough_tokens`` in :mod:`stance.pipeline`). Fitting is
``TfidfVectorizer``'s own; transforming counts the known tokens of every row at once: one
dictionary lookup per token in C (``map(dict.get, ...)``) and one sparse matrix built by numpy,
instead of the Python loop per token of ``CountVectorizer._count_vocab``. Same matrix.
"""

from __future__ import annotations

from itertools import chain, repeat

import numpy as np
import scipy.sparse as sparse
from sklearn.feature_extraction.text import TfidfVectorizer

__all__ = ["TokenTfidf"]


class TokenTfidf(TfidfVectorizer):
    """``TfidfVectorizer`` whose transform of rows of tokens runs per batch, not per token.

    With a callable ``analyzer`` (:func:`stance.pipeline.passthrough_tokens` returns each row
    as it is) the tokens it returns are counted at once; a string analyzer, and fitting, go
    through ``TfidfVectorizer`` unchanged.
    """

    def _count_vocab(self, raw_documents, fixed_vocab):
        if not fixed_vocab or not callable(self.analyzer) or self.input != "content":
            return super()._count_vocab(raw_documents, fixed_vocab)
        vocabulary = self.vocabulary_
        rows = [
            row if isinstance(row, list) else list(row) for row in map(self.analyzer, raw_documents)
        ]
        n = len(rows)
        lengths = np.fromiter(map(len, rows), dtype=np.intp, count=n)
        tokens = list(map(vocabulary.get, chain.from_iterable(rows), repeat(-1)))
        columns = np.array(tokens, dtype=np.intp)
        known = columns >= 0
        row_of = np.repeat(np.arange(n, dtype=np.intp), lengths)[known]
        counts = sparse.csr_matrix(
            (np.ones(len(row_of), dtype=self.dtype), (row_of, columns[known])),
            shape=(n, len(vocabulary)),
            dtype=self.dtype,
        )
        counts.sum_duplicates()
        counts.sort_indices()
        return vocabulary, counts
