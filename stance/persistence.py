"""Saving and loading the app's scikit-learn pipelines as skops bytes, under one trust policy.

Pure module (no Django). Both trained models (the news/opinion classifier of
:mod:`stance.pipeline` and the actor-sentiment model of :mod:`stance.actor_sentiment`) are
stored with :func:`dump` and read back with :func:`load`. skops trusts scikit-learn, numpy and
scipy types itself; beyond those, an artifact may name only the module-level functions in
:data:`TRUSTED_TYPES` (the steps of ``FunctionTransformer``), and its steps may only be the
estimator classes in :data:`ESTIMATORS`. Anything else is refused before it is built, so an
artifact from elsewhere cannot run code, and a different model in a trusted wrapper is refused
too.
"""

from __future__ import annotations

import importlib
import sys
import zipfile
from collections.abc import Iterator

from sklearn.ensemble import VotingClassifier
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.feature_selection import VarianceThreshold
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer, MaxAbsScaler, StandardScaler

from stance.token_tfidf import TokenTfidf

__all__ = ["ESTIMATORS", "TRUSTED_TYPES", "UntrustedArtifactError", "dump", "load"]


class _NoTorch:
    """A finder that refuses torch (see :func:`_skops_io`)."""

    def find_spec(self, name, path=None, target=None):
        if name == "torch" or name.startswith("torch."):
            raise ImportError(f"{name} is not imported with skops")
        return None


def _skops_io():
    """``skops.io``, imported without torch. At import, skops lists scikit-learn's estimators
    by walking every sklearn module, ``sklearn.externals.array_api_compat.torch`` among them,
    which imports torch whenever it is installed (the encoder of the actor-sentiment model
    needs it): two seconds and a few hundred MB in every process at Django's start, for nothing
    (no pipeline of the app holds a tensor; the walk skips a module that fails to import). So
    torch is refused for the length of that one import; the encoder loads it when it needs it."""
    if "skops.io" in sys.modules or "torch" in sys.modules:
        return importlib.import_module("skops.io")
    finder = _NoTorch()
    sys.meta_path.insert(0, finder)
    try:
        return importlib.import_module("skops.io")
    finally:
        sys.meta_path.remove(finder)


sio = _skops_io()

# The functions the models' FunctionTransformer steps call (skops stores them by name and
# would import and call whatever name an artifact holds), and one container type.
TRUSTED_TYPES: frozenset[str] = frozenset(
    {
        "stance.pipeline.analyse_texts",
        "stance.pipeline.as_csr",
        "stance.pipeline.cue_matrix",
        "stance.pipeline.embed_texts",
        "stance.pipeline.passthrough_tokens",
        "stance.pipeline.select_text",
        "stance.token_tfidf.TokenTfidf",
        "stance.actor_sentiment.prepare",
        "stance.actor_sentiment.select_chars",
        "stance.actor_sentiment.select_clause",
        "stance.actor_sentiment.select_embedding",
        "stance.actor_sentiment.select_encoder",
        "stance.actor_sentiment.select_lexicon",
        "stance.actor_sentiment.select_marked",
        "stance.actor_sentiment.select_masked",
        "stance.actor_sentiment.select_window",
        # not a function: the dict subclass a fitted VotingClassifier keeps its named
        # estimators in (skops does not trust it by default)
        "sklearn.utils._bunch.Bunch",
        # a plain numpy dtype (SimpleImputer keeps the dtype it was fitted on), not code
        "numpy.dtype",
    }
)

# The estimator classes the two build_pipeline() functions use.
ESTIMATORS: tuple[type, ...] = (
    Pipeline,
    FeatureUnion,
    FunctionTransformer,
    TfidfVectorizer,
    TokenTfidf,
    HashingVectorizer,
    TfidfTransformer,
    VarianceThreshold,
    SimpleImputer,
    MaxAbsScaler,
    StandardScaler,
    LogisticRegression,
    VotingClassifier,
)

_DROPPED = ("drop", "passthrough", None)  # FeatureUnion's markers for a branch left out


class UntrustedArtifactError(ValueError):
    """Bytes that are not a skops artifact, or one holding types the app never builds."""


def _steps(est) -> Iterator:
    """``est`` and every step nested in it through Pipelines, FeatureUnions and
    VotingClassifiers (their unfitted templates and their fitted estimators)."""
    yield est
    if isinstance(est, Pipeline):
        for _, step in est.steps:
            yield from _steps(step)
    elif isinstance(est, FeatureUnion):
        for _, branch in est.transformer_list:
            if not (branch is None or isinstance(branch, str)):
                yield from _steps(branch)
    elif isinstance(est, VotingClassifier):
        for branch in [e for _, e in est.estimators] + list(getattr(est, "estimators_", [])):
            if not (branch is None or isinstance(branch, str)):
                yield from _steps(branch)


def dump(pipeline: Pipeline) -> bytes:
    """Compressed skops bytes of a fitted pipeline.

    TfidfVectorizer keeps every term it pruned (``stop_words_``) only for introspection;
    scikit-learn documents it as safe to delete, and it is most of an artifact's size.
    """
    if not isinstance(pipeline, Pipeline):
        raise TypeError("dump() expects a fitted scikit-learn Pipeline")
    for est in _steps(pipeline):
        if isinstance(est, TfidfVectorizer) and getattr(est, "stop_words_", None) is not None:
            est.stop_words_ = None
    return sio.dumps(pipeline, compression=zipfile.ZIP_DEFLATED, compresslevel=6)


def load(data: bytes) -> Pipeline:
    """The pipeline :func:`dump` saved; :class:`UntrustedArtifactError` for anything else."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError("load() expects the bytes produced by dump()")
    data = bytes(data)
    try:
        untrusted = sio.get_untrusted_types(data=data)
    except Exception as exc:  # not a zip, or not a skops file
        raise UntrustedArtifactError(f"not a skops artifact: {exc}") from exc
    unexpected = sorted(set(untrusted) - TRUSTED_TYPES)
    if unexpected:
        raise UntrustedArtifactError(
            "refusing to load: the artifact holds types the app never builds: "
            + ", ".join(unexpected)
        )
    pipe = sio.loads(data, trusted=list(untrusted))
    if not isinstance(pipe, Pipeline):
        raise UntrustedArtifactError(f"artifact holds a {type(pipe).__name__}, not a Pipeline")
    odd = sorted({type(est).__name__ for est in _steps(pipe) if type(est) not in ESTIMATORS})
    if odd:
        raise UntrustedArtifactError(
            "refusing to load: steps the app's pipelines never have: " + ", ".join(odd)
        )
    return pipe
