"""stance.embedding: the batch path the classifier uses gives WordLlama's own vectors."""

import numpy as np
import pytest

from stance import embedding

TEXTS = [
    "Surely the council knows better than this?",
    "Mr. Goff said the U.S. plan was \u201cunworkable\u201d on Tuesday.",
    "Ōtara families will pay for it \u2014 and the government knows it!",
    "",
    "   ",
    "42",
    "Surely the council knows better than this?",
]


def _unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v, axis=1, keepdims=True)
    return np.divide(v, n, out=np.zeros_like(v), where=n > 0)


def _wordllama(texts, dims=embedding.MODEL_DIM) -> np.ndarray:
    """WordLlama's own mean-pooled vectors, cut to ``dims`` and made unit length."""
    full = np.asarray(embedding.model().embed(list(texts), norm=False), dtype=np.float32)
    return _unit(full[:, :dims])


def test_embed_words_is_wordllamas_mean_of_token_vectors():
    fast = embedding.embed_words(TEXTS)
    assert fast.shape == (len(TEXTS), embedding.MODEL_DIM)
    words = [i for i, t in enumerate(TEXTS) if t.strip()]
    np.testing.assert_allclose(fast[words], _wordllama([TEXTS[i] for i in words]), atol=1e-5)
    np.testing.assert_allclose(fast[:3], embedding.embed(TEXTS[:3]), atol=1e-5)
    assert not fast[3].any() and not fast[4].any()  # no words: zeros
    np.testing.assert_array_equal(fast[0], fast[-1])


def test_leading_dimensions_only():
    short = embedding.embed_words(TEXTS[:3], 64)
    assert short.shape == (3, 64)
    np.testing.assert_allclose(short, _wordllama(TEXTS[:3], 64), atol=1e-5)


def test_pre_split_words_and_an_empty_batch():
    rows = [t.split() for t in TEXTS]
    np.testing.assert_allclose(embedding.embed_chunks(rows), embedding.embed_words(TEXTS))
    assert embedding.embed_words([]).shape == (0, embedding.MODEL_DIM)
    assert embedding.embed_chunks([], 64).shape == (0, 64)


def test_the_cache_empties_itself_and_stays_right(monkeypatch):
    monkeypatch.setattr(embedding, "MAX_CACHED_CHUNKS", 5)
    embedding.chunk_vectors.cache_clear()
    try:
        for batch in (TEXTS[:3], TEXTS[5:], TEXTS[:3] + TEXTS[5:], ["the the the", "council"]):
            np.testing.assert_allclose(embedding.embed_words(batch), _wordllama(batch), atol=1e-5)
        assert len(embedding.chunk_vectors(embedding.MODEL_DIM).index) <= len(
            set(" ".join(TEXTS).split())
        )
    finally:
        embedding.chunk_vectors.cache_clear()


@pytest.mark.parametrize("dims", [16, 128])
def test_dims_are_kept_apart(dims):
    a = embedding.embed_words(TEXTS[:2], dims)
    b = embedding.embed_words(TEXTS[:2])
    assert a.shape[1] == dims and b.shape[1] == embedding.MODEL_DIM
