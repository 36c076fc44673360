"""Static text embeddings from WordLlama, loaded from its own package (pure, no Django).

WordLlama (MIT) is the token-embedding table of an LLM distilled for sentence similarity: a text
is the mean of its tokens' vectors (256 dimensions here). Weights and tokenizer ship inside
the ``wordllama`` wheel, so nothing is downloaded; no torch. :mod:`stance.align` matches
paragraphs by meaning with it, and :mod:`stance.actor_sentiment` pools the vectors of the
words around a mention (:func:`token_vectors`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = ["MODEL_DIM", "ModelMissingError", "embed", "model", "token_vectors"]

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
    vectors = np.asarray(model().embed(list(texts), norm=False), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    empty = np.array([len(_WORD_RE.findall(t)) < min_words for t in texts])
    vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    vectors[empty] = 0.0
    return vectors


def token_vectors(texts: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per text, the vector of each of its tokens (sub-words, ``n x MODEL_DIM``) and their
    character offsets (``n x 2``, start and end), for pooling some of them only."""
    wl = model()
    table = wl.embedding
    out = []
    for enc in wl.tokenize(list(texts)) if texts else []:
        ids = np.clip(np.asarray(enc.ids, dtype=np.int64), 0, table.shape[0] - 1)
        keep = np.asarray(enc.attention_mask, dtype=bool)
        offsets = np.asarray(enc.offsets, dtype=np.int64).reshape(-1, 2)
        out.append((np.asarray(table[ids[keep]], dtype=np.float32), offsets[keep]))
    return out
