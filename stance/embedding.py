"""Static text embeddings from WordLlama, loaded from its own package (pure, no Django).

WordLlama (MIT) is the token-embedding table of an LLM distilled for sentence similarity: a text
is the mean of its tokens' vectors (256 dimensions here). Weights and tokenizer ship inside
the ``wordllama`` wheel, so nothing is downloaded; no torch. :mod:`stance.align` matches
paragraphs by meaning with it, :mod:`stance.actor_sentiment` pools the vectors of the
words around a mention (:func:`token_vectors`), and the news/opinion classifier
(:mod:`stance.pipeline`) reads each sentence's meaning with :func:`embed_words`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain, repeat
from pathlib import Path

import numpy as np
import scipy.sparse as sparse

__all__ = [
    "MODEL_DIM",
    "ModelMissingError",
    "embed",
    "embed_chunks",
    "embed_words",
    "model",
    "token_vectors",
]

MODEL_CONFIG = "l2_supercat"
MODEL_DIM = 256
_WORD_RE = re.compile(r"[^\W\d_]+")


class ModelMissingError(RuntimeError):
    """The wordllama package is installed without its bundled weights or tokenizer."""


@lru_cache(maxsize=1)
def model():
    """WordLlama from the files in its own package folder, with downloads disabled.

    Its loader looks for the bundled tokenizer in ``<package>/tokenizer/`` (singular), where it
    is not, then in ``<cache_dir>/tokenizers/``; giving the package folder as ``cache_dir``
    finds it there. Both files are checked first, because a missing tokenizer would make the
    loader fall back to fetching one from the Hugging Face hub.
    """
    import wordllama

    folder = Path(wordllama.__file__).resolve().parent
    uri = getattr(wordllama.WordLlama._wordllama, MODEL_CONFIG)
    needed = [
        folder / "weights" / wordllama.WordLlama.get_filename(MODEL_CONFIG, MODEL_DIM),
        folder / "tokenizers" / uri.tokenizer_config,
    ]
    missing = [str(p) for p in needed if not p.is_file()]
    if missing:
        raise ModelMissingError("wordllama is installed without " + ", ".join(missing))
    return wordllama.WordLlama.load(
        config=MODEL_CONFIG, dim=MODEL_DIM, cache_dir=folder, disable_download=True
    )


def embed(texts: Sequence[str], *, min_words: int = 1) -> np.ndarray:
    """Unit-length embeddings, one row per text; a row of zeros for a text of fewer than
    ``min_words`` words."""
    if not texts:
        return np.zeros((0, MODEL_DIM), dtype=np.float32)
    vectors = _unit(np.asarray(model().embed(list(texts), norm=False), dtype=np.float32))
    vectors[np.array([len(_WORD_RE.findall(t)) < min_words for t in texts])] = 0.0
    return vectors


def _unit(vectors: np.ndarray) -> np.ndarray:
    """Each row made unit length; a row of zeros stays zeros."""
    norms = np.sqrt(np.einsum("ij,ij->i", vectors, vectors))[:, None]
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def _real_tokens(enc, vocabulary: int) -> tuple[np.ndarray, np.ndarray]:
    """An encoding's token ids (clipped to the table) and the mask of its real tokens (the
    tokenizer pads a batch to its longest member), both for the real tokens only."""
    keep = np.asarray(enc.attention_mask, dtype=bool)
    ids = np.clip(np.asarray(enc.ids, dtype=np.intp)[keep], 0, vocabulary - 1)
    return ids, keep


def token_vectors(texts: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per text, the vector of each of its tokens (sub-words, ``n x MODEL_DIM``) and their
    character offsets (``n x 2``, start and end), for pooling some of them only."""
    wl = model()
    table = wl.embedding
    out = []
    for enc in wl.tokenize(list(texts)) if texts else []:
        ids, keep = _real_tokens(enc, table.shape[0])
        offsets = np.asarray(enc.offsets, dtype=np.int64).reshape(-1, 2)
        out.append((np.asarray(table[ids], dtype=np.float32), offsets[keep]))
    return out


# The vector (sum of its sub-word token vectors) of each whitespace-separated chunk of text
# seen so far, per number of dimensions kept: a chunk is tokenised alone exactly as inside
# its text (the tokenizer marks a word's start by the space before it, and no token spans a
# space). Emptied when it holds this many chunks (about 25 MB at 128 dimensions).
MAX_CACHED_CHUNKS = 50_000


class ChunkVectors:
    """A cache of chunk vectors at `dims` dimensions (see MAX_CACHED_CHUNKS)."""

    def __init__(self, dims: int):
        self.dims = dims
        self.index: dict[str, int] = {}
        self.vectors = np.zeros((1024, dims), dtype=np.float32)
        self.lock = threading.Lock()

    def rows(self, chunks: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Each chunk's row in the table, and the table (tokenising new chunks only)."""
        with self.lock:
            get = self.index.get
            rows = np.fromiter(map(get, chunks, repeat(-1)), dtype=np.intp, count=len(chunks))
            if rows.size and rows.min() < 0:
                new = {c for c, r in zip(chunks, rows.tolist(), strict=True) if r < 0}
                if len(self.index) + len(new) > MAX_CACHED_CHUNKS:
                    self.index, new = {}, set(chunks)  # (a batch larger than that still fits)
                self._add(list(new))
                get = self.index.get
                rows = np.fromiter(map(get, chunks), dtype=np.intp, count=len(chunks))
            return rows, self.vectors

    def _add(self, new: list[str]) -> None:
        table = model().embedding
        base, end = len(self.index), len(self.index) + len(new)
        if end > len(self.vectors) or not base:
            size = max(1024, 1 << (end - 1).bit_length())
            grown = np.zeros((size, self.dims), dtype=np.float32)
            grown[:base] = self.vectors[:base]
            self.vectors = grown
        for k, enc in enumerate(model().tokenize(new) if new else ()):
            ids, _ = _real_tokens(enc, table.shape[0])
            self.vectors[base + k] = table[ids, : self.dims].sum(axis=0)
        self.index.update(zip(new, range(base, end), strict=True))


@lru_cache(maxsize=4)
def chunk_vectors(dims: int) -> ChunkVectors:
    """The process's cache of chunk vectors at `dims` dimensions, which embed_chunks reads
    and fills (`chunk_vectors.cache_clear()` drops them all)."""
    return ChunkVectors(dims)


def embed_words(texts: Sequence[str], dims: int = MODEL_DIM) -> np.ndarray:
    """:func:`embed`'s vectors (WordLlama's mean of the sub-word token vectors, made unit
    length; a row of zeros for a text without tokens), computed for the whole batch at once:
    one cached lookup per whitespace-separated chunk and one sparse product, several times
    cheaper than tokenising every text again. ``dims``: the leading dimensions only
    (WordLlama is trained so that they work on their own; fewer: cheaper, a little coarser)."""
    return embed_chunks([str(t).split() for t in texts], dims)


def embed_chunks(rows: Sequence[Sequence[str]], dims: int = MODEL_DIM) -> np.ndarray:
    """:func:`embed_words` for texts already split into their words (``rows`` of lists)."""
    n = len(rows)
    found, table = chunk_vectors(dims).rows(list(chain.from_iterable(rows)))
    indptr = np.zeros(n + 1, dtype=np.intp)
    np.cumsum(np.fromiter(map(len, rows), dtype=np.intp, count=n), out=indptr[1:])
    counts = sparse.csr_matrix(
        (np.ones(len(found), dtype=np.float32), found, indptr), shape=(n, len(table))
    )
    return _unit(np.asarray(counts @ table, dtype=np.float32))
