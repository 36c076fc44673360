"""Trainable sentiment toward one mentioned person (NewsMTSC-style target-dependent sentiment).

Pure module (no Django). A record is a dict with ``text``, ``target``, ``target_start`` and
``target_end`` (character offsets of the mention) and, for training, ``polarity``
(``negative`` / ``neutral`` / ``positive``); :func:`read_jsonl` reads and validates them.

The model is one scikit-learn :class:`~sklearn.pipeline.Pipeline`:

* ``prepare``: each record becomes a small dict of views of the sentence (module-level
  functions in :class:`~sklearn.preprocessing.FunctionTransformer`, so skops stores them by
  name; the step keeps :data:`FEATURES_VERSION`, so a model fitted on older views is stale);
* ``vote``: a soft vote (:class:`~sklearn.ensemble.VotingClassifier`, weights
  :data:`WEIGHTS`) of four logistic regressions with balanced class weights, each on its own
  reading of the mention (one model over all the columns let the 1280 dense ones drown the
  n-grams and took minutes to fit; the models apart are faster and better):

  - ``text``: hashed n-grams (``HashingVectorizer`` + ``TfidfTransformer``, so no vocabulary
    dict is stored: with one, the skops artifact was 100 MB) of five views: ``marked``, word
    1-2-grams of the sentence with the mention replaced by ``TGT``; ``masked``, the same with
    every other name replaced by ``ENT`` (:func:`masked_sentence`: what is said around the
    mention, whoever the people are); ``clause``, word 1-2-grams of the mention's own clause
    (:func:`target_clause`: in a sentence about several people, the words that are about this
    one); ``window``, position-aware words around the mention (``L1_accused``, ``R2_praise``,
    ``Lnear_not``, ``Rfar_scandal`` ...); ``chars``, character 2-5-grams of the ten words
    either side; hash columns no training text filled are dropped (``used``);
  - ``context``: WordLlama vectors (:mod:`stance.embedding`) of the words around the mention,
    never of the mention itself nor of other names (:func:`context_vectors`): the words before
    it and the words
    after it, each weighted down with its distance from the mention, and the whole sentence:
    what the context means beyond the words seen in training;
  - ``rules``: the default scorer's reading of the mention in parts
    (:func:`stance.default_sentiment.calibration_features`: sentiment mass before / after the
    mention and in / outside its clause, attack or praise verbs with it as subject or object,
    VADER's compounds, whether the target speaks or is quoted, what the target is and what its
    own phrase says of it ...);
  - ``encoder``: a frozen sentence encoder's reading of the mention (:mod:`stance.encoder`,
    all-MiniLM-L6-v2 from its wheel: the sentence with the mention wrapped as ``[ mention ]``,
    the mean of its last and middle layers over the mention's tokens and of its last layer over
    the sentence, 1152 values), standardised, C=0.003. What the sentence says of this person
    beyond the words seen in training: with it the vote's 5-fold CV on train rose from 0.7035
    to 0.7446, and dev_mt (sentences unlike train's) from 0.646 to 0.749 (dev_rw 0.751 ->
    0.750). torch is loaded only when such a model scores or trains, never for the default.

The polarity is the vote's likeliest class; ``score = P(positive) - P(negative)`` in [-1, 1]
when that polarity is positive or negative, and 0 when it is neutral: a mention the model reads
as neutral carries no lean, as a mention where nothing evaluative is said scores 0 with the
default. A piece's verdict on an actor is the mean score of its mentions in the author's voice
(:mod:`stance.treatment`), and ungated, the mentions read as neutral moved it by their
``P(positive) - P(negative)``: on the seed report's "the party" and "the party's" (each read
neutral) from -0.29 to -0.11, enough to read the report as critical of the party. The argmax is
the three-class decision cross-validation on train chooses (``bench/actor_sentiment.py --tune``,
5 folds grouped by sentence, out of fold: 0.7035; thresholds on the score instead, best pair
0.64; offsets to the log-probabilities, +0.0003 at best); 35% of the mentions it reads as
neutral score 0.15 or more either way. Artifacts are stored and loaded by
:mod:`stance.persistence`.

Every setting was chosen by 5-fold cross-validation on NewsMTSC ``train.jsonl`` grouped by
sentence (``bench/actor_sentiment.py --tune``), never on its dev sets.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from sklearn.ensemble import VotingClassifier
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.feature_selection import VarianceThreshold
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedGroupKFold, cross_val_predict
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from newsroom.jsonl import json_lines
from stance import embedding, encoder, treatment
from stance.default_sentiment import DEFAULT_FEATURES, calibration_features
from stance.text import sentence_spans

__all__ = [
    "FEATURES_VERSION",
    "FIELDS",
    "POLARITIES",
    "RecordError",
    "StaleModelError",
    "build_pipeline",
    "context_vectors",
    "is_current",
    "masked_sentence",
    "predict",
    "read_jsonl",
    "target_clause",
    "train",
    "validate_record",
]

POLARITIES = treatment.POLARITIES
FIELDS = ("id", "text", "target", "target_start", "target_end")
# 5: the encoder model (stance.encoder) reads the whole record, and the fitted pipeline keeps
# the sha256 of the encoder's weights (4: the context model's pools leave out tokens without a
# word and are NaN when empty, filled by the model's imputer; 3: the text model also reads the
# sentence with other names masked and the mention's clause; 2: the soft vote of text /
# context / rules models; 1: one logistic regression over all the columns, WordLlama means of
# fixed word windows, the rule scorer's 25 features)
FEATURES_VERSION = 5
TARGET_TOKEN = "TGT"
OTHER_TOKEN = "ENT"  # another name in the masked view
WINDOW = 10  # words either side of the mention for the window views
DECAY = 3.0  # words: the context pools' weight exp(-(d - 1) / DECAY) (CV on train: 2-6 tie)
# the text, context, rules and encoder models' shares of the soft vote: the grid's best by the
# mean of 5-fold CV on train grouped by sentence over three fold seeds (0.7446; equal shares
# 0.7394; without the encoder, equal shares were the best, 0.703, and 2 : 1 : 1.5 before the
# masked views 0.701); each model alone 0.643 / 0.614 / 0.639 / 0.720 (the text model was 0.628
# without the masked and clause views; the context model 0.605 with the names and the masks,
# 0.622 without the names; the vote of the first three 0.696 before the masked views)
WEIGHTS = (1.0, 0.5, 1.0, 1.5)
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
        for where, rec in json_lines(fh, path.name, RecordError):
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
_SPACE_RUN_RE = re.compile(r"\S+")
_WORDLESS_RE = re.compile(r"[\W_]*")  # a token with no letter or digit
# a name: capitalised words after a lower-case word or a comma (not a sentence's first word)
_NAME_RE = re.compile(r"(?<=[a-z,;:] )[A-Z][\w.'\u2019-]*(?: [A-Z][\w.'\u2019-]*)*")
_CLAUSE_EDGE_RE = re.compile(
    r"[,;:()]|\b(?:but|and|while|although|because|who|which|that|said|says)\b", re.I
)


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


def prepare(
    records,
    features_version: int = FEATURES_VERSION,
    rules_features: Sequence[str] = DEFAULT_FEATURES,
    encoder_sha256: str = encoder.WEIGHTS_SHA256,
) -> list[dict]:
    """Views of each record used by the feature branches (computed once per record).

    ``features_version``, the names of the default scorer's features and the sha256 of the
    encoder's weights are stored in the fitted pipeline (the ``prepare`` step's keyword
    arguments), so a model fitted on other views, on another set of the default's features or
    through other encoder weights is recognised as stale."""
    if (
        features_version != FEATURES_VERSION
        or tuple(rules_features) != tuple(DEFAULT_FEATURES)
        or encoder_sha256 != encoder.WEIGHTS_SHA256
    ):
        raise StaleModelError(_STALE)
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
        out.append(
            {
                "marked": f"{sent[:s0]} {TARGET_TOKEN} {sent[e0:]}",
                "masked": masked_sentence(sent, s0, e0),
                "clause": target_clause(sent, s0, e0),
                "window": " ".join(pos_tokens),
                "chars": " ".join(win_left + [TARGET_TOKEN.lower()] + win_right),
                # the default scorer's reading of the mention, in parts
                "lexicon": calibration_features(text, start, end),
                # the sentence and where the mention stands in it, for the embedding pools
                "sentence": (sent, s0, e0),
                # the whole record, for the encoder (as cross-validation measured it; the app's
                # records are one sentence)
                "record": (text, start, end),
            }
        )
    return out


def masked_sentence(sentence: str, start: int, end: int) -> str:
    """The sentence with the mention replaced by ``TGT`` and every other name (a run of
    capitalised words after a lower-case word or a comma) by ``ENT``: what is said around
    the mention, whoever the people are, so the words learnt are not the names of the
    training sentences' people."""
    left = _NAME_RE.sub(OTHER_TOKEN, sentence[:start])
    right = _NAME_RE.sub(OTHER_TOKEN, sentence[end:])
    return f"{left} {TARGET_TOKEN} {right}"


def target_clause(sentence: str, start: int, end: int) -> str:
    """The clause holding the mention, the mention replaced by ``TGT``: from the last clause
    edge before it (a comma, a colon, a bracket, "but", "and", "who", "that", "said" ...) to the
    first one after it."""
    lo = max((m.end() for m in _CLAUSE_EDGE_RE.finditer(sentence, 0, start)), default=0)
    edge = _CLAUSE_EDGE_RE.search(sentence, end)
    hi = edge.start() if edge else len(sentence)
    return f"{sentence[lo:start]} {TARGET_TOKEN} {sentence[end:hi]}"


def select_marked(prepared) -> list[str]:
    return [p["marked"] for p in prepared]


def select_masked(prepared) -> list[str]:
    return [p["masked"] for p in prepared]


def select_clause(prepared) -> list[str]:
    return [p["clause"] for p in prepared]


def select_window(prepared) -> list[str]:
    return [p["window"] for p in prepared]


def select_chars(prepared) -> list[str]:
    return [p["chars"] for p in prepared]


def select_lexicon(prepared) -> np.ndarray:
    return np.asarray([p["lexicon"] for p in prepared], dtype=float).reshape(len(prepared), -1)


def _pool(vectors: np.ndarray, where: np.ndarray, weights: np.ndarray) -> np.ndarray:
    if not where.any():  # no word to pool: unknown, not a zero vector
        return np.full(vectors.shape[1], np.nan, dtype=np.float32)
    w = weights[where]
    return (vectors[where] * w[:, None]).sum(axis=0) / w.sum()


def context_vectors(sentence: str, start: int, end: int) -> np.ndarray:
    """WordLlama pools of the words around ``sentence[start:end]``, the mention's own tokens
    and the other names' (as :func:`masked_sentence` finds them) left out (3 x 256): the words
    before it, each weighted ``exp(-(d - 1) / DECAY)`` by its distance ``d`` in words from the
    mention; the words after it, likewise; every word of the sentence but the names, evenly.
    The names' vectors say who the people are, not what is said of them (leaving them out:
    0.605 -> 0.622 for the context model alone, 5-fold CV on train). Tokens without a letter
    or a digit ("…", ":") are left out too, and a pool with no word is NaN, which the context
    model fills with its training mean: the author's voice in the app is a sentence with
    others' words masked as "…", and a context of masks alone is no evidence (pooled, the
    masks' vectors read as strongly negative; the cost on train: 5-fold CV 0.7046 -> 0.7030,
    mean of three fold seeds)."""
    return _context_pools([(sentence, start, end)])[0]


def _context_pools(items: Sequence[tuple[str, int, int]]) -> np.ndarray:
    out = np.full((len(items), 3 * embedding.MODEL_DIM), np.nan, dtype=np.float32)
    tokens = embedding.token_vectors([s for s, _, _ in items])
    for row, ((sent, start, end), (vectors, offsets)) in enumerate(zip(items, tokens, strict=True)):
        if not len(vectors):
            continue
        word_starts = [m.start() for m in _SPACE_RUN_RE.finditer(sent)] or [0]
        word = np.searchsorted(word_starts, offsets[:, 0], side="right") - 1
        first = np.searchsorted(word_starts, start, side="right") - 1
        last = np.searchsorted(word_starts, max(start, end - 1), side="right") - 1
        inside = (offsets[:, 0] < end) & (offsets[:, 1] > start)
        for name in _NAME_RE.finditer(sent):  # other people's names: never pooled either
            if name.end() <= start or name.start() >= end:
                inside |= (offsets[:, 0] < name.end()) & (offsets[:, 1] > name.start())
        inside |= np.array([_WORDLESS_RE.fullmatch(sent[a:b]) is not None for a, b in offsets])
        left = (offsets[:, 1] <= start) & ~inside
        right = (offsets[:, 0] >= end) & ~inside
        dist = np.where(left, first - word, word - last).clip(min=1)
        near = np.exp(-(dist - 1) / DECAY)
        out[row] = np.concatenate(
            [
                _pool(vectors, left, near),
                _pool(vectors, right, near),
                _pool(vectors, ~inside, np.ones(len(vectors))),
            ]
        )
    return out


def select_embedding(prepared) -> np.ndarray:
    """:func:`context_vectors` of each prepared record (batched)."""
    return _context_pools([p["sentence"] for p in prepared]).astype(float)


def select_encoder(prepared) -> np.ndarray:
    """:func:`stance.encoder.mention_features` of each prepared record (batched; loads the
    encoder at the first call). A record whose other people's words are masked as "…" (the
    author's voice, :mod:`stance.treatment`) still has the mention's own tokens, so no row is
    ever empty: no imputer."""
    return encoder.mention_features([p["record"] for p in prepared]).astype(float)


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


def _logistic(C: float) -> LogisticRegression:
    return LogisticRegression(
        C=C, class_weight="balanced", max_iter=3000, random_state=RANDOM_STATE
    )


def _dense_model(select, C: float, *, impute: bool = False) -> Pipeline:
    """Standardised columns, then logistic regression; ``impute``: NaN (a pool with no word,
    :func:`context_vectors`) becomes the column's training mean, so it weighs nothing."""
    steps = [("select", FunctionTransformer(select))]
    if impute:
        steps.append(("impute", SimpleImputer(strategy="mean", keep_empty_features=True)))
    return Pipeline([*steps, ("scale", StandardScaler()), ("clf", _logistic(C))])


def build_pipeline(
    *,
    C: float = 1.0,
    context_C: float = 0.001,
    rules_C: float = 0.1,
    encoder_C: float = 0.003,
    weights: tuple[float, float, float, float] = WEIGHTS,
    n_features: int = 2**18,
    chars: bool = True,
    window: bool = True,
    masked: bool = True,
    clause: bool = True,
) -> Pipeline:
    """The (unfitted) actor-sentiment pipeline; see the module docstring. ``weights`` are the
    text, context, rules and encoder models' shares of the vote (a zero leaves that model out:
    without the encoder, torch is never loaded)."""
    branches = [("marked", _text_branch(select_marked, n_features, ngram_range=(1, 2)))]
    if masked:
        # \w+ tokens, so the one-letter words between the placeholders count too
        branches.append(
            (
                "masked",
                _text_branch(
                    select_masked, n_features, ngram_range=(1, 2), token_pattern=r"\b\w+\b"
                ),
            )
        )
    if clause:
        branches.append(("clause", _text_branch(select_clause, n_features, ngram_range=(1, 2))))
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
    text = Pipeline(
        [
            ("features", FeatureUnion(branches)),
            # drop the hash buckets no training text filled: a third of the columns, and
            # logistic regression's time grows with them
            ("used", VarianceThreshold()),
            ("clf", _logistic(C)),
        ]
    )
    models = [
        ("text", text),
        ("context", _dense_model(select_embedding, context_C, impute=True)),
        ("rules", _dense_model(select_lexicon, rules_C)),
        ("encoder", _dense_model(select_encoder, encoder_C)),
    ]
    chosen = [(m, w) for m, w in zip(models, weights, strict=True) if w]
    return Pipeline(
        [
            (
                "prepare",
                FunctionTransformer(prepare, kw_args=_stamp()),
            ),
            (
                "vote",
                VotingClassifier(
                    [m for m, _ in chosen], voting="soft", weights=[float(w) for _, w in chosen]
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
    """Fit the pipeline on labelled records; metrics include a cross-validated macro-F1 on
    those same records (``cv`` stratified folds grouped by sentence, so that the targets of one
    sentence are never split between training and scoring; fixed random_state)."""
    records = list(records)
    recs, y = _xy(records)
    counts = Counter(y)
    if len(counts) < 2:
        raise ValueError("training needs at least two polarity classes")
    metrics: dict = {
        "n": len(recs),
        "class_counts": {p: counts.get(p, 0) for p in POLARITIES},
        "params": dict(params),
        "features_version": FEATURES_VERSION,
        "encoder_sha256": encoder.WEIGHTS_SHA256,
    }
    groups = [r["text"] for r in recs]
    folds = min(cv, min(counts.values()), len(set(groups)))
    if folds >= 2:
        # the views are computed once for every fold
        prepared = prepare(recs)
        skf = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=RANDOM_STATE)
        rest = Pipeline(build_pipeline(**params).steps[1:])
        pred = cross_val_predict(rest, prepared, y, cv=skf, groups=groups)
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


_STALE = (
    "this actor-sentiment model was trained on an older set of features (or through other "
    "encoder weights): retrain it "
    "(manage.py train_actor_sentiment --activate)"
)


class StaleModelError(ValueError):
    """A pipeline fitted on another layout of the features than :func:`prepare` gives now."""


def _stamp() -> dict:
    """What a fitted pipeline keeps of the views it was fitted on."""
    return {
        "features_version": FEATURES_VERSION,
        "rules_features": list(DEFAULT_FEATURES),
        "encoder_sha256": encoder.WEIGHTS_SHA256,
    }


def is_current(pipeline: Pipeline) -> bool:
    """Whether the fitted pipeline reads the features :func:`prepare` gives today: it was
    fitted with this :data:`FEATURES_VERSION`, with the default scorer's features named as
    they are now (:data:`stance.default_sentiment.DEFAULT_FEATURES`), through the encoder
    weights installed (:data:`stance.encoder.WEIGHTS_SHA256`), and its rules model reads
    that many columns."""
    steps = pipeline.named_steps
    prep = steps.get("prepare")
    if not isinstance(prep, FunctionTransformer) or not isinstance(
        steps.get("vote"), VotingClassifier
    ):
        return False
    stamp = prep.kw_args or {}
    if stamp.get("features_version") != FEATURES_VERSION:
        return False
    if tuple(stamp.get("rules_features") or ()) != tuple(DEFAULT_FEATURES):
        return False
    if stamp.get("encoder_sha256") != encoder.WEIGHTS_SHA256:
        return False
    rules = steps["vote"].named_estimators_.get("rules")
    if rules is None:
        return True
    return getattr(rules.named_steps["scale"], "n_features_in_", None) == len(DEFAULT_FEATURES)


def predict(pipeline: Pipeline, records: Iterable[dict]) -> list[tuple[str, float]]:
    """(polarity, score) per record: the likeliest polarity, and P(positive) - P(negative) in
    [-1, 1] if it is positive or negative, 0 if it is neutral (see the module docstring).

    Raises :class:`StaleModelError` for a model trained on an older layout of the features."""
    if not is_current(pipeline):
        raise StaleModelError(_STALE)
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
        if label == "neutral":
            score = 0.0
        out.append((str(label), round(float(max(-1.0, min(1.0, score))), 4)))
    return out
