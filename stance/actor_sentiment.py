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
  - ``lexicon``: dense columns from the rule-based scorer of :mod:`stance.treatment`
    (its score, its positive and negative mass left and right of the target, VADER's compound
    for the whole sentence and for the window, whether the target is the speaker of a
    quotation, whether the sentence has quotation marks);
* ``used``: drops hash columns no training text filled;
* ``clf``: logistic regression with balanced class weights.

``score = P(positive) - P(negative)`` in [-1, 1]. Artifacts are stored and loaded by
:mod:`stance.persistence`.
"""

from __future__ import annotations

import json
import math
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
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from stance import mentions, rule_sentiment, treatment
from stance.text import quoted_spans, sentence_spans

__all__ = [
    "FIELDS",
    "POLARITIES",
    "RecordError",
    "build_pipeline",
    "predict",
    "read_jsonl",
    "train",
    "validate_record",
]

POLARITIES = treatment.POLARITIES
FIELDS = ("id", "text", "target", "target_start", "target_end")
TARGET_TOKEN = "TGT"
WINDOW = 10  # words either side of the mention for the window views
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
_VADER = SentimentIntensityAnalyzer()
_SPEECH_AFTER_RE = re.compile(
    r"\s*(?:,\s*)?(?:has\s+|had\s+|also\s+|later\s+)*(?:said|says|told|tells|added|wrote|writes|"
    r"insisted|argued|claimed|warned|stated|explained|noted|replied|declared|admitted|tweeted)\b",
    re.I,
)


def _bucket(d: int) -> str:
    if d <= 3:
        return str(d)
    return "near" if d <= 7 else "far"


def _window_words(text: str, start: int, end: int) -> tuple[list[str], list[str]]:
    left = [w.lower().replace("\u2019", "'") for w in _WORD_RE.findall(text[:start])]
    right = [w.lower().replace("\u2019", "'") for w in _WORD_RE.findall(text[end:])]
    return left, right


def _compound(text: str) -> float:
    return _VADER.polarity_scores(text)["compound"] if text.strip() else 0.0


def prepare(records) -> list[dict]:
    """Views of each record used by the feature branches (computed once per record)."""
    out = []
    for r in records:
        text = r["text"]
        start, end = int(r["target_start"]), int(r["target_end"])
        # the sentence holding the mention (NewsMTSC texts are mostly one sentence)
        ss, se = 0, len(text)
        for s, e in sentence_spans(text):
            if s <= start < e:
                ss, se = s, e
                break
        sent = text[ss:se]
        s0, e0 = start - ss, end - ss
        marked = f"{sent[:s0]} {TARGET_TOKEN} {sent[e0:]}"
        left, right = _window_words(sent, s0, e0)
        pos_tokens = [
            f"L{_bucket(len(left) - i)}_{w}"
            for i, w in enumerate(left[-20:], len(left) - len(left[-20:]))
        ]
        pos_tokens += [f"R{_bucket(i + 1)}_{w}" for i, w in enumerate(right[:20])]
        win_left, win_right = left[-WINDOW:], right[:WINDOW]
        window_text = " ".join(win_left + [TARGET_TOKEN.lower()] + win_right)
        # rule-based scorer, split into its parts
        toks = rule_sentiment._tokens(sent)
        lo, hi = rule_sentiment._token_range(toks, s0, e0)
        contrib = (
            rule_sentiment._contributions(toks, lo, hi, 0, len(toks) - 1, None) if lo >= 0 else {}
        )
        pos_l = sum(v for i, v in contrib.items() if v > 0 and i < lo)
        neg_l = sum(v for i, v in contrib.items() if v < 0 and i < lo)
        pos_r = sum(v for i, v in contrib.items() if v > 0 and i > hi)
        neg_r = sum(v for i, v in contrib.items() if v < 0 and i > hi)
        _pol, rule = treatment.target_sentiment(text, start, end)
        quotes = quoted_spans(sent)
        speaker = bool(_SPEECH_AFTER_RE.match(sent, e0)) or bool(
            re.search(r"(?:said|says)\s*$", sent[max(0, s0 - 8) : s0])
        )
        in_quote = any(qs <= s0 < qe for qs, qe in quotes)
        lex = [
            rule,
            math.copysign(math.sqrt(abs(rule)), rule),
            pos_l,
            neg_l,
            pos_r,
            neg_r,
            _compound(sent),
            _compound(" ".join(win_left + win_right)),
            float(speaker),
            float(in_quote),
            float(bool(quotes)),
            float(r["target"].strip().lower() in mentions._PRONOUN_CLASS),
            math.log1p(len(left) + len(right)),
        ]
        out.append(
            {
                "marked": marked,
                "window": " ".join(pos_tokens),
                "chars": window_text,
                "lexicon": lex,
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


def build_pipeline(
    *,
    C: float = 1.0,
    n_features: int = 2**18,
    chars: bool = True,
    window: bool = True,
    lexicon: bool = True,
    lexicon_weight: float = 1.0,
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
                Pipeline(
                    [
                        ("select", FunctionTransformer(select_lexicon)),
                        ("scale", StandardScaler()),
                    ]
                ),
            )
        )
        weights["lexicon"] = lexicon_weight
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


def predict(pipeline: Pipeline, records: Iterable[dict]) -> list[tuple[str, float]]:
    """(polarity, score) per record; score = P(positive) - P(negative) in [-1, 1]."""
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
