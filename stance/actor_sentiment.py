"""Trainable sentiment toward one mentioned person (NewsMTSC-style target-dependent sentiment).

Pure module (no Django). A record is a dict with ``text``, ``target``, ``target_start`` and
``target_end`` (character offsets of the mention) and, for training, ``polarity``
(``negative`` / ``neutral`` / ``positive``); :func:`read_jsonl` reads and validates them.

The model is one scikit-learn :class:`~sklearn.pipeline.Pipeline`:

* ``prepare``: each record becomes a small dict of views of the sentence (module-level
  functions in :class:`~sklearn.preprocessing.FunctionTransformer`, so skops stores them by
  name);
* features (a :class:`~sklearn.pipeline.FeatureUnion`; the text branches hash their n-grams
  (``HashingVectorizer`` + ``TfidfTransformer``) so that no vocabulary dict is stored: with one,
  the skops artifact was 100 MB and took half a minute to write):
  - ``marked``: word 1-2-gram TF-IDF of the sentence with the mention replaced by ``TGT``;
  - ``window``: position-aware words around the mention (``L1_accused``, ``R2_praise``,
    ``Lnear_not``, ``Rfar_scandal`` ...), so the same word counts differently before and after
    the target and near or far from it;
  - ``chars``: character 2-5-grams of the ten words either side (spelling variants, stems);
  - ``lexicon``: the rule scorer's reading of the mention in parts
    (:data:`stance.mention_features.FEATURES`: sentiment mass before / after the mention and in
    / outside its clause, attack or praise verbs with the mention as subject or object, VADER's
    compound for the sentence and each side, whether the target speaks or is quoted ...);
  - ``embed``: WordLlama embeddings (:mod:`stance.embedding`) of the sentence with the mention
    replaced by "someone" and of the five and twelve words on each side: what the context
    means, beyond the words seen in training, and never the target's name;
* ``used``: drops hash columns no training text filled;
* ``clf``: logistic regression with balanced class weights.

``score = P(positive) - P(negative)`` in [-1, 1]. Artifacts are stored and loaded by
:mod:`stance.persistence`.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.feature_selection import VarianceThreshold
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from stance import embedding, treatment
from stance.mention_features import FEATURES, mention_features
from stance.text import sentence_spans

__all__ = [
    "FIELDS",
    "POLARITIES",
    "RecordError",
    "StaleModelError",
    "build_pipeline",
    "is_current",
    "predict",
    "read_jsonl",
    "train",
    "validate_record",
]

POLARITIES = treatment.POLARITIES
FIELDS = ("id", "text", "target", "target_start", "target_end")
TARGET_TOKEN = "TGT"
WINDOW = 10  # words either side of the mention for the window views
# weight of the (standardised) embedding columns beside the TF-IDF ones: 1280 dense columns at
# full weight drown the sparse n-grams (5-fold CV on train: 0.05 best of 0.02-0.2)
EMBED_WEIGHT = 0.05
RANDOM_STATE = 0


class RecordError(ValueError):
    """A malformed input record (the message names the file and line)."""


# ============================================================================================
# Records
# ============================================================================================


def validate_record(rec, *, labelled: bool = True, where: str = "record") -> dict:
    """Check one NewsMTSC-style record; return a normalised copy (id as str, ints as int)."""
    if not isinstance(rec, dict):
        raise RecordError(f"{where}: expected a JSON object, got {type(rec).__name__}")
    need = FIELDS + (("polarity",) if labelled else ())
    missing = [f for f in need if f not in rec]
    if missing:
        raise RecordError(f"{where}: missing field(s) {', '.join(missing)}")
    text, target = rec["text"], rec["target"]
    if not isinstance(text, str) or not text.strip():
        raise RecordError(f"{where}: 'text' must be a non-empty string")
    if not isinstance(target, str) or not target.strip():
        raise RecordError(f"{where}: 'target' must be a non-empty string")
    try:
        start, end = rec["target_start"], rec["target_end"]
        if isinstance(start, bool) or isinstance(end, bool):
            raise TypeError
        if isinstance(start, float) and not start.is_integer():
            raise TypeError
        if isinstance(end, float) and not end.is_integer():
            raise TypeError
        start, end = int(start), int(end)
    except (TypeError, ValueError):
        raise RecordError(f"{where}: 'target_start' and 'target_end' must be integers") from None
    if not 0 <= start < end <= len(text):
        raise RecordError(
            f"{where}: target offsets {start}..{end} are outside the text (length {len(text)})"
        )
    if text[start:end] != target:
        raise RecordError(
            f"{where}: text[{start}:{end}] is {text[start:end]!r}, not the target {target!r}"
        )
    out = {
        "id": str(rec["id"]),
        "text": text,
        "target": target,
        "target_start": start,
        "target_end": end,
    }
    if labelled:
        pol = rec["polarity"]
        if pol not in POLARITIES:
            raise RecordError(
                f"{where}: 'polarity' must be one of {', '.join(POLARITIES)}, got {pol!r}"
            )
        out["polarity"] = pol
    elif rec.get("polarity") in POLARITIES:
        out["polarity"] = rec["polarity"]
    return out


def read_jsonl(path: str | Path, *, labelled: bool = True) -> list[dict]:
    """Read NewsMTSC-format JSON lines, validating every record (blank lines are skipped).

    Raises :class:`RecordError` naming the file and line of the first bad record.
    """
    path = Path(path)
    out: list[dict] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path.name}:{lineno}"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise RecordError(f"{where}: not valid JSON ({exc.msg})") from None
            rec = validate_record(rec, labelled=labelled, where=where)
            if rec["id"] in seen:
                raise RecordError(f"{where}: duplicate id {rec['id']!r}")
            seen.add(rec["id"])
            out.append(rec)
    return out


# ============================================================================================
# Feature views (module-level functions: skops stores them by name)
# ============================================================================================

_WORD_RE = re.compile(r"[A-Za-z\u00C0-\u024F]+(?:['\u2019][A-Za-z]+)*|\d+|[!?]")


def _bucket(d: int) -> str:
    if d <= 3:
        return str(d)
    return "near" if d <= 7 else "far"


def _window_words(text: str, start: int, end: int) -> tuple[list[str], list[str]]:
    left = [w.lower().replace("\u2019", "'") for w in _WORD_RE.findall(text[:start])]
    right = [w.lower().replace("\u2019", "'") for w in _WORD_RE.findall(text[end:])]
    return left, right


def _sentence_around(text: str, start: int) -> tuple[int, int]:
    """The sentence holding the mention (NewsMTSC texts are mostly one sentence)."""
    for s, e in sentence_spans(text):
        if s <= start < e:
            return s, e
    return 0, len(text)


def prepare(records) -> list[dict]:
    """Views of each record used by the feature branches (computed once per record)."""
    out = []
    for r in records:
        text = r["text"]
        start, end = int(r["target_start"]), int(r["target_end"])
        ss, se = _sentence_around(text, start)
        sent = text[ss:se]
        s0, e0 = start - ss, end - ss
        left, right = _window_words(sent, s0, e0)
        pos_tokens = [
            f"L{_bucket(len(left) - i)}_{w}"
            for i, w in enumerate(left[-20:], len(left) - len(left[-20:]))
        ]
        pos_tokens += [f"R{_bucket(i + 1)}_{w}" for i, w in enumerate(right[:20])]
        win_left, win_right = left[-WINDOW:], right[:WINDOW]
        raw_left, raw_right = sent[:s0].split(), sent[e0:].split()
        out.append(
            {
                "marked": f"{sent[:s0]} {TARGET_TOKEN} {sent[e0:]}",
                "window": " ".join(pos_tokens),
                "chars": " ".join(win_left + [TARGET_TOKEN.lower()] + win_right),
                "lexicon": mention_features(sent, s0, e0),
                # what the words around the mention mean, the mention itself left out
                "embed": (
                    f"{sent[:s0]} someone {sent[e0:]}",
                    " ".join(raw_left[-5:]),
                    " ".join(raw_right[:5]),
                    " ".join(raw_left[-12:]),
                    " ".join(raw_right[:12]),
                ),
            }
        )
    return out


def select_marked(prepared) -> list[str]:
    return [p["marked"] for p in prepared]


def select_window(prepared) -> list[str]:
    return [p["window"] for p in prepared]


def select_chars(prepared) -> list[str]:
    return [p["chars"] for p in prepared]


def select_lexicon(prepared) -> np.ndarray:
    return np.asarray([p["lexicon"] for p in prepared], dtype=float)


def select_embedding(prepared) -> np.ndarray:
    """WordLlama embeddings of the sentence with the mention masked and of the five and twelve
    words on each side, side by side (5 x 256 columns)."""
    if not prepared:
        return np.zeros((0, 5 * embedding.MODEL_DIM))
    views = list(zip(*(p["embed"] for p in prepared), strict=True))
    return np.hstack([embedding.embed(list(v)) for v in views]).astype(float)


def _text_branch(select, n_features: int, **vec) -> Pipeline:
    """Hashed n-gram counts then TF-IDF weighting: no vocabulary to store, so the artifact
    stays a few numpy arrays (a vocabulary dict makes skops artifacts huge and slow)."""
    return Pipeline(
        [
            ("select", FunctionTransformer(select)),
            (
                "hash",
                HashingVectorizer(n_features=n_features, alternate_sign=False, norm=None, **vec),
            ),
            ("tfidf", TfidfTransformer(sublinear_tf=True)),
        ]
    )


def _dense_branch(select) -> Pipeline:
    return Pipeline([("select", FunctionTransformer(select)), ("scale", StandardScaler())])


def build_pipeline(
    *,
    C: float = 1.0,
    n_features: int = 2**18,
    chars: bool = True,
    window: bool = True,
    lexicon: bool = True,
    lexicon_weight: float = 1.0,
    embed_weight: float = EMBED_WEIGHT,
) -> Pipeline:
    """The (unfitted) actor-sentiment pipeline; see the module docstring."""
    branches = [("marked", _text_branch(select_marked, n_features, ngram_range=(1, 2)))]
    if window:
        branches.append(
            (
                "window",
                _text_branch(select_window, n_features, token_pattern=r"\S+", lowercase=False),
            )
        )
    if chars:
        branches.append(
            (
                "chars",
                _text_branch(select_chars, n_features, analyzer="char_wb", ngram_range=(2, 5)),
            )
        )
    weights = {}
    if lexicon:
        branches.append(
            (
                "lexicon",
                _dense_branch(select_lexicon),
            )
        )
        weights["lexicon"] = lexicon_weight
    if embed_weight:
        branches.append(("embed", _dense_branch(select_embedding)))
        weights["embed"] = embed_weight
    return Pipeline(
        [
            ("prepare", FunctionTransformer(prepare)),
            ("features", FeatureUnion(branches, transformer_weights=weights or None)),
            # drop the hash buckets no training text filled: a third of the columns, and
            # logistic regression's time grows with them
            ("used", VarianceThreshold()),
            (
                "clf",
                LogisticRegression(
                    C=C, class_weight="balanced", max_iter=3000, random_state=RANDOM_STATE
                ),
            ),
        ]
    )


# ============================================================================================
# Train / predict
# ============================================================================================


def _xy(records: Sequence[dict]) -> tuple[list[dict], list[str]]:
    recs = [validate_record(r, where=f"record {i}") for i, r in enumerate(records)]
    return recs, [r["polarity"] for r in recs]


def train(records: Iterable[dict], *, cv: int = 5, **params) -> tuple[Pipeline, dict]:
    """Fit the pipeline on labelled records; metrics include a cross-validated macro-F1
    (stratified ``cv`` folds, fixed random_state) on those same records."""
    records = list(records)
    recs, y = _xy(records)
    counts = Counter(y)
    if len(counts) < 2:
        raise ValueError("training needs at least two polarity classes")
    metrics: dict = {
        "n": len(recs),
        "class_counts": {p: counts.get(p, 0) for p in POLARITIES},
        "params": dict(params),
    }
    folds = min(cv, min(counts.values()))
    if folds >= 2:
        skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=RANDOM_STATE)
        pred = cross_val_predict(build_pipeline(**params), recs, y, cv=skf)
        metrics["cv_folds"] = folds
        metrics["cv_macro_f1"] = round(float(f1_score(y, pred, average="macro")), 4)
        per = f1_score(y, pred, average=None, labels=list(POLARITIES), zero_division=0)
        metrics["cv_f1"] = {p: round(float(v), 4) for p, v in zip(POLARITIES, per, strict=True)}
    else:
        metrics["cv_folds"] = 0
        metrics["cv_macro_f1"] = None
    t0 = time.perf_counter()
    pipe = build_pipeline(**params)
    pipe.fit(recs, y)
    metrics["train_seconds"] = round(time.perf_counter() - t0, 2)
    return pipe, metrics


class StaleModelError(ValueError):
    """A pipeline fitted on another layout of the features than :func:`prepare` gives now."""


def is_current(pipeline: Pipeline) -> bool:
    """Whether the fitted pipeline reads the features :func:`prepare` gives today (a model
    trained before the rule scorer's features were added has fewer lexicon columns)."""
    branches = dict(pipeline.named_steps["features"].transformer_list)
    lexicon = branches.get("lexicon")
    if lexicon is None or lexicon in ("drop", "passthrough"):
        return True
    return getattr(lexicon.named_steps["scale"], "n_features_in_", None) == len(FEATURES)


def predict(pipeline: Pipeline, records: Iterable[dict]) -> list[tuple[str, float]]:
    """(polarity, score) per record; score = P(positive) - P(negative) in [-1, 1].

    Raises :class:`StaleModelError` for a model trained on an older layout of the features."""
    if not is_current(pipeline):
        raise StaleModelError(
            "this actor-sentiment model was trained on an older set of features: retrain it "
            "(manage.py train_actor_sentiment --activate)"
        )
    recs = [validate_record(r, labelled=False, where=f"record {i}") for i, r in enumerate(records)]
    if not recs:
        return []
    proba = pipeline.predict_proba(recs)
    classes = list(pipeline.classes_)
    ip = classes.index("positive") if "positive" in classes else None
    ineg = classes.index("negative") if "negative" in classes else None
    out = []
    for row in proba:
        label = classes[int(np.argmax(row))]
        score = (row[ip] if ip is not None else 0.0) - (row[ineg] if ineg is not None else 0.0)
        out.append((str(label), round(float(max(-1.0, min(1.0, score))), 4)))
    return out
