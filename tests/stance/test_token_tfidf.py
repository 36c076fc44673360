"""TokenTfidf: the batch count gives TfidfVectorizer's matrix for rows of tokens."""

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from stance.pipeline import passthrough_tokens
from stance.token_tfidf import TokenTfidf

ROWS = [
    ["the", "council", "said", "_reported_"],
    ["the", "plan", "is", "absurd", "absurd", "absurd"],
    [],
    ["unseen", "words", "only"],
    ["the", "plan", "said", "the", "council", "the"],
]


def _fitted(cls, **kw):
    return cls(analyzer=passthrough_tokens, sublinear_tf=True, **kw).fit(ROWS)


def test_transform_is_tfidf_vectorizers_matrix():
    plain, ours = _fitted(TfidfVectorizer), _fitted(TokenTfidf)
    assert ours.vocabulary_ == plain.vocabulary_
    a, b = plain.transform(ROWS), ours.transform(ROWS)
    assert b.has_sorted_indices
    assert (a != b).nnz == 0 and np.array_equal(a.indptr, b.indptr)
    # a repeated token is one column (sublinear tf), an empty row stays empty
    assert b[1].nnz == 4 and b[2].nnz == 0
    # tokens never seen in fitting are left out
    assert ours.transform([["never", "seen", "plan"]]).nnz == 1


def test_min_df_and_dtype_as_fitted():
    plain = _fitted(TfidfVectorizer, min_df=2, dtype=np.float32)
    ours = _fitted(TokenTfidf, min_df=2, dtype=np.float32)
    assert ours.vocabulary_ == plain.vocabulary_ and len(ours.vocabulary_) < 10  # pruned
    a, b = plain.transform(ROWS), ours.transform(ROWS)
    assert b.dtype == np.float32 and (a != b).nnz == 0


def test_any_callable_analyzer():
    texts = ["the plan is absurd", "the council said so", "so absurd"]
    plain = TfidfVectorizer(analyzer=str.split).fit(texts)
    ours = TokenTfidf(analyzer=lambda text: iter(text.split())).fit(texts)  # not a list
    a, b = (
        plain.transform(texts + ["absurd absurd plan"]),
        ours.transform(texts + ["absurd absurd plan"]),
    )
    assert (a != b).nnz == 0
