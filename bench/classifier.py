"""Benchmark the news/opinion classifier against a plain TF-IDF + LogisticRegression baseline.

    .venv/bin/python bench/classifier.py            # the figures (a few minutes)
    .venv/bin/python bench/classifier.py --tune     # also the cross-validation tables behind
                                                    # the chosen design (several minutes)

Reads files only (no Django): the starter corpus (stance/corpus/starter.tsv), CheckThat! 2025
train/dev from ../shared/data, and the seed gold (stance/corpus/seed_gold.tsv, evaluation
only: never trained on). Dev is reported once, as
the final figure; every design choice was made by cross-validation on training data (--tune).

The classifier (stance.pipeline) reads three feature families: TF-IDF of the author-voice
words, the authorial-stance cues, and the meaning of the whole text (its WordLlama embedding,
64 leading dimensions; --tune's "no meaning" row is the design before it).

Sentences in context (stance.voice): CheckThat dev macro-F1 by sentence, Brier score and a
reliability table, and opinion shares by words over the PolNeAR dev articles (hard news) and the
two seed pieces, for the default (starter) model and the starter + CheckThat train model, each
with its own calibration, which train() chooses by cross-validation on the version's training
data (starter pieces by topic and register, CheckThat train; PolNeAR train articles as known
news for starter+train) and the app applies.
"""

from __future__ import annotations

import os

# single core for every figure, set before numpy/scipy load their BLAS
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import FunctionTransformer  # noqa: E402

from stance import embedding, persistence, voice  # noqa: E402
from stance import pipeline as sp  # noqa: E402
from stance.text import stem, stem_tokens  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "checkthat-2025-en"
CORPUS = ROOT / "stance" / "corpus"
GOLD = CORPUS / "seed_gold.tsv"
THROUGHPUT_RUNS = 5
RSS_PARAGRAPHS = 20_000


def baseline() -> Pipeline:
    """The plain baseline: default word TF-IDF + balanced logistic regression."""
    return Pipeline(
        [
            ("tfidf", TfidfVectorizer()),
            ("clf", LogisticRegression(class_weight="balanced", max_iter=1000)),
        ]
    )


def load(paths) -> tuple[list[str], list[str], list[str]]:
    rows = []
    for p in paths:
        rows.extend(sp.read_labelled_tsv(p))
    return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]


def starter_paths() -> list[Path]:
    return [CORPUS / "starter.tsv"]


def scores(y_true, y_pred) -> tuple[float, float]:
    macro = f1_score(y_true, y_pred, labels=list(sp.LABELS), average="macro")
    opinion = f1_score(y_true, y_pred, pos_label="opinion")
    return float(macro), float(opinion)


def throughput(predict, texts) -> float:
    """Texts per CPU second of this process (one core: BLAS is single-threaded here), so
    that other work on the machine does not count against it."""
    predict(texts[:50])  # warm up
    times = []
    for _ in range(THROUGHPUT_RUNS):
        t0 = time.process_time()
        predict(texts)
        times.append(time.process_time() - t0)
    return len(texts) / statistics.median(times)


_RSS_CHILD = """
import os, sys
for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[v] = "1"
def peak_kb():
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
sys.path.insert(0, sys.argv[1])
from stance import persistence
from stance import pipeline as sp
texts = [line.rstrip("\\n") for line in open(sys.argv[3], encoding="utf-8")]
before = peak_kb()
model = persistence.load(open(sys.argv[2], "rb").read())
preds = sp.predict(model, texts)
assert len(preds) == len(texts)
print(before, peak_kb())
"""


def peak_rss_mb(artifact: bytes, texts: list[str]) -> tuple[float, float]:
    """Peak RSS (MB) of a fresh process that loads the artifact and predicts ``texts`` in one
    call; also the RSS after imports, before loading, for reference."""
    with tempfile.TemporaryDirectory() as tmp:
        model_path = Path(tmp) / "model.skops"
        model_path.write_bytes(artifact)
        text_path = Path(tmp) / "texts.txt"
        text_path.write_text("\n".join(t.replace("\n", " ") for t in texts), encoding="utf-8")
        out = subprocess.run(
            [sys.executable, "-c", _RSS_CHILD, str(ROOT), str(model_path), str(text_path)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
    before_kb, peak_kb = int(out[-2]), int(out[-1])
    return peak_kb / 1024, before_kb / 1024


def repeat_to(texts: list[str], n: int) -> list[str]:
    return (texts * (n // len(texts) + 1))[:n]


# --------------------------------------------------------------------------------------------
# --tune: the cross-validation evidence behind the design (training data only, never dev)
# --------------------------------------------------------------------------------------------


def _cv_f1(make, x, y, seeds=(0, 1, 2)) -> float:
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    out = []
    for seed in seeds:
        cv = StratifiedKFold(5, shuffle=True, random_state=seed)
        out.append(f1_score(y, cross_val_predict(make(), x, y, cv=cv), average="macro"))
    return float(np.mean(out))


def _cv_checkthat_with_starter(make, s_x, s_y, t_x, t_y, seeds=(0, 1, 2)) -> float:
    """5-fold over CheckThat train; each fold trains on starter + the other folds and is scored
    on the held-out CheckThat fold: the validation for the starter+train model."""
    from sklearn.model_selection import StratifiedKFold

    t_x, t_y = np.array(t_x, dtype=object), np.array(t_y)
    out = []
    for seed in seeds:
        pred = np.empty(len(t_y), dtype=object)
        for tr, te in StratifiedKFold(5, shuffle=True, random_state=seed).split(t_x, t_y):
            model = make().fit(s_x + list(t_x[tr]), s_y + list(t_y[tr]))
            pred[te] = model.predict(list(t_x[te]))
        out.append(f1_score(t_y, list(pred), average="macro"))
    return float(np.mean(out))


def _transfer(make, tr_x, tr_y, te_x, te_y) -> float:
    return float(f1_score(te_y, make().fit(tr_x, tr_y).predict(te_x), average="macro"))


def _stems_and_bigrams(rows) -> list[list[str]]:
    """Snowball stems of the author-voice words plus their bigrams, pre-tokenised."""
    out = []
    for tokens in rows[:, 2].tolist():
        stems = [stem(t) for t in tokens]
        out.append(stems + [" ".join(pair) for pair in zip(stems, stems[1:], strict=False)])
    return out


def _author_meaning(rows):
    """The embedding of the author-voice words (placeholders left out), not the whole text."""
    words = [[t for t in row if not t.startswith("_")] for row in rows[:, 2].tolist()]
    return sp.as_csr(embedding.embed_chunks(words, sp.MEANING_DIMS))


def _with_char_ngrams() -> Pipeline:
    """The chosen pipeline plus character 2-5-grams of the raw text. Not kept: no consistent
    gain (+0.003 on CheckThat folds, -0.008 CheckThat -> starter) and it more than halves the
    throughput."""
    pipe = sp.build_pipeline()
    chars = Pipeline(
        [
            ("select", FunctionTransformer(sp.select_text, kw_args={"column": "raw"})),
            (
                "tfidf",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True
                ),
            ),
        ]
    )
    union = pipe.named_steps["features"]
    union.transformer_list.append(("chars", chars))
    union.transformer_weights = {**(union.transformer_weights or {}), "chars": 1.0}
    return pipe


def tune(s_x, s_y, t_x, t_y) -> None:
    both_x, both_y = s_x + t_x, s_y + t_y
    print("\n== --tune: macro-F1 by cross-validation on training data (dev untouched) ==")
    print("cvCT+S: 5-fold over CheckThat train, each fold trained with starter + other folds")
    print("S->CT: train on starter, score CheckThat train; CT->S: the reverse")
    print(f"{'config':52s} {'cvCT+S':>7s} {'S->CT':>6s} {'CT->S':>6s} {'cvBoth':>7s} {'cvS':>6s}")
    raw_words = {
        "features__words__select__kw_args": {"column": "raw"},
        "features__words__tfidf__analyzer": "word",
    }
    configs = {
        "baseline (TF-IDF words + LR)": baseline,
        "chosen": sp.build_pipeline,
        "words on raw text (not author voice)": lambda: sp.build_pipeline(**raw_words),
        "words on raw tokens": lambda: sp.build_pipeline(
            features__words__select__kw_args={"column": "raw_tokens"}
        ),
        "words 1-2-grams, author voice": lambda: sp.build_pipeline(
            features__words__select__kw_args={"column": "author"},
            features__words__tfidf__analyzer="word",
            features__words__tfidf__ngram_range=(1, 2),
        ),
        "words 1-2-grams, Snowball stems": lambda: sp.build_pipeline(
            features__words__select__kw_args={"column": "author"},
            features__words__tfidf__analyzer="word",
            features__words__tfidf__ngram_range=(1, 2),
            features__words__tfidf__tokenizer=stem_tokens,
            features__words__tfidf__token_pattern=None,
        ),
        "words 1-2-grams, stems, pre-tokenised": lambda: sp.build_pipeline(
            features__words__select=FunctionTransformer(_stems_and_bigrams)
        ),
        "+ char_wb 2-5 n-grams": _with_char_ngrams,
        "all cues (+names, numbers, dates, opens-with-quote)": lambda: sp.build_pipeline(
            features__cues__matrix__kw_args={"exclude": ()}
        ),
        "no voice cues": lambda: sp.build_pipeline(features__cues="drop"),
        "no meaning (embedding; the design before)": lambda: sp.build_pipeline(
            features__meaning="drop"
        ),
        "meaning, all 256 dimensions": lambda: sp.build_pipeline(
            features__meaning__kw_args={"dims": 256}
        ),
        "meaning of the author-voice words only": lambda: sp.build_pipeline(
            features__meaning=FunctionTransformer(_author_meaning)
        ),
        "voice cues only": lambda: sp.build_pipeline(
            features__words="drop", features__meaning="drop"
        ),
        "min_df=1": lambda: sp.build_pipeline(features__words__tfidf__min_df=1),
        "min_df=3": lambda: sp.build_pipeline(features__words__tfidf__min_df=3),
    }
    for c_value in (0.5, 2.0):
        configs[f"C={c_value}"] = lambda c=c_value: sp.build_pipeline(clf__C=c)
    for weight in (0.5, 2.0):
        configs[f"cue weight {weight}"] = lambda w=weight: sp.build_pipeline(
            features__transformer_weights={"words": 1.0, "cues": w, "meaning": 1.0}
        )
        configs[f"meaning weight {weight}"] = lambda w=weight: sp.build_pipeline(
            features__transformer_weights={"words": 1.0, "cues": 1.0, "meaning": w}
        )
    for name, make in configs.items():
        r = (
            _cv_checkthat_with_starter(make, s_x, s_y, t_x, t_y),
            _transfer(make, s_x, s_y, t_x, t_y),
            _transfer(make, t_x, t_y, s_x, s_y),
            _cv_f1(make, both_x, both_y),
            _cv_f1(make, s_x, s_y, seeds=(0, 1)),
        )
        print(f"{name:52s} " + " ".join(f"{v:6.3f} " for v in r), flush=True)
    calibration(both_x, both_y, t_x, t_y)


def calibration(both_x, both_y, t_x, t_y) -> None:
    from sklearn.base import clone
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.metrics import brier_score_loss, log_loss
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    def variants():
        yield "LR balanced (chosen)", sp.build_pipeline()
        for method in ("sigmoid", "isotonic"):
            pipe = sp.build_pipeline()
            inner = clone(pipe.steps[-1][1])
            pipe.steps[-1] = ("clf", CalibratedClassifierCV(inner, method=method, cv=3))
            yield f"LR balanced + {method}", pipe
        yield "LR unweighted", sp.build_pipeline(clf__class_weight=None)

    print("\n== --tune: calibration, 5-fold cross-validated probabilities ==")
    for data_name, x, y in (("starter+train", both_x, both_y), ("CheckThat train", t_x, t_y)):
        y01 = (np.array(y) == "opinion").astype(int)
        for name, pipe in variants():
            cv = StratifiedKFold(5, shuffle=True, random_state=0)
            p = cross_val_predict(pipe, x, y, cv=cv, method="predict_proba")[:, 1]
            bins = np.minimum((p * 10).astype(int), 9)
            ece = sum(
                (bins == b).mean() * abs(y01[bins == b].mean() - p[bins == b].mean())
                for b in range(10)
                if (bins == b).any()
            )
            macro = f1_score(y01, (p >= 0.5).astype(int), average="macro")
            print(
                f"{data_name:16s} {name:24s} Brier {brier_score_loss(y01, p):.4f}  "
                f"log loss {log_loss(y01, p):.4f}  ECE {ece:.3f}  macroF1@0.5 {macro:.3f}",
                flush=True,
            )


# --------------------------------------------------------------------------------------------
# Voice: sentences in context (stance.voice), on articles
# --------------------------------------------------------------------------------------------

POLNEAR = ROOT.parent / "shared" / "data" / "polnear"
SEEDS = ROOT / "newsroom" / "seed" / "goff-carter"
CALIBRATION_POLNEAR_ARTICLES = 300


def polnear_articles(split: str, limit: int | None = None) -> list[list[str]]:
    """PolNeAR's articles of a split (one per article, whatever the annotator), as paragraphs."""
    import json

    seen, out = set(), []
    path = POLNEAR / f"{split}.jsonl"
    if not path.exists():
        return []
    for line in path.open(encoding="utf-8"):
        row = json.loads(line)
        if row["article"] in seen:
            continue
        seen.add(row["article"])
        paragraphs = [p for p in row["text"].split("\n\n") if p.strip()]
        # PolNeAR prints the title as the first paragraph: the app stores it as the headline
        if paragraphs and paragraphs[0].rstrip(".") == row["title"].rstrip("."):
            paragraphs = paragraphs[1:]
        out.append(paragraphs)
    return out[:limit] if limit else out


def seed_pieces() -> dict[str, list[str]]:
    return {
        name: [p for p in (SEEDS / f"{name}.txt").read_text().split("\n") if p.strip()]
        for name in ("herald-report", "armstrong-column")
    }


def _voice_rows(model, articles, labels, weight):
    """Calibration inputs (zs, zp, zn, za), the sentence's label and a weight, for the author
    sentences of ``articles``; the group's weights sum to ``weight``."""
    feats: list = []
    voice.read_many(articles, lambda t: sp.predict_proba(model, t), features=feats)
    total = sum(f[3] for f in feats) or 1.0
    return [(f[4:], labels[f[0]][f[1]] == "opinion", f[3] * weight / total) for f in feats]


def calibration_data(starter_rows, ct_rows, *, with_checkthat: bool = False, seed: int = 0):
    """Out-of-sample calibration rows from training data only, one equal share per source:

    * the starter corpus read as pieces (its paragraphs grouped by topic and register, in
      reading order), each topic predicted by a model trained on the other topics (5 folds);
      a sentence takes its paragraph's label;
    * CheckThat train sentences, each a piece of one sentence, in 5 folds;
    * PolNeAR train articles (hard news: every sentence news), by the model of all the rows.

    ``with_checkthat``: the models also train on CheckThat train (the starter+train regime),
    each fold on the folds it does not predict.
    """
    import random
    from collections import defaultdict

    topics = sorted({r[0].split("-")[0] for r in starter_rows})
    random.Random(seed).shuffle(topics)
    ct = list(ct_rows)
    random.Random(seed).shuffle(ct)
    parts = {"starter": [], "checkthat": [], "polnear": []}
    for k in range(5):
        held = set(topics[k::5])
        ct_held, ct_rest = ct[k::5], [r for i, r in enumerate(ct) if i % 5 != k]
        rows = [r for r in starter_rows if r[0].split("-")[0] not in held]
        rows += ct_rest if with_checkthat else []
        model = sp.fit([r[1] for r in rows], [r[2] for r in rows])
        pieces = defaultdict(list)
        for r in starter_rows:
            if r[0].split("-")[0] in held:
                pieces[tuple(r[0].split("-")[:2])].append(r)
        pieces = list(pieces.values())
        parts["starter"] += _voice_rows(
            model, [[r[1] for r in p] for p in pieces], [[r[2] for r in p] for p in pieces], 0.2
        )
        parts["checkthat"] += _voice_rows(
            model, [[r[1]] for r in ct_held], [[r[2]] for r in ct_held], 0.2
        )
    rows = list(starter_rows) + (ct if with_checkthat else [])
    model = sp.fit([r[1] for r in rows], [r[2] for r in rows])
    pol = polnear_articles("train")
    random.Random(seed).shuffle(pol)
    pol = pol[:CALIBRATION_POLNEAR_ARTICLES]
    parts["polnear"] = _voice_rows(model, pol, [["news"] * len(a) for a in pol], 1.0)
    return parts


def tune_voice(starter_rows, ct_rows) -> voice.Calibration:
    """The default's calibration (DEFAULT_CALIBRATION: versions trained without known news keep
    it), fitted by stance.voice.fit_calibration on calibration_data's rows."""
    print("\n== --tune: the default's calibration, cross-validated on training data only ==")
    parts = calibration_data(starter_rows, ct_rows)
    print("rows: " + ", ".join(f"{k} {len(v)}" for k, v in parts.items()))
    rows = [r for part in parts.values() for r in part]
    cal = voice.fit_calibration([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])
    print(f"fitted: {cal}")
    print(f"in use: {voice.DEFAULT_CALIBRATION}")
    return cal


def reliability(y01, p, bins: int = 10) -> list[tuple[str, int, float, float]]:
    """(bin, count, mean predicted, observed opinion rate) per probability bin."""
    y01, p = np.asarray(y01), np.asarray(p)
    idx = np.minimum((p * bins).astype(int), bins - 1)
    return [
        (
            f"{b / bins:.1f}-{(b + 1) / bins:.1f}",
            int((idx == b).sum()),
            p[idx == b].mean(),
            y01[idx == b].mean(),
        )
        for b in range(bins)
        if (idx == b).any()
    ]


def voice_figures(name, model, calibration, d_x, d_y, pol, seeds) -> dict:
    """Sentence-level CheckThat dev scores, calibration, and opinion shares of articles;
    ``calibration`` None: the model's own."""
    from sklearn.metrics import brier_score_loss

    calibration = calibration or sp.calibration_of(model)

    def proba(texts):
        return sp.predict_proba(model, texts)

    read = voice.read_rows(d_x, proba, calibration=calibration)
    pred = [v.label for v in read]
    p = [v.p_calibrated for v in read]
    y01 = [int(y == "opinion") for y in d_y]
    macro, opinion = scores(d_y, pred)
    shares = [voice.opinion_share(v) for v in voice.read_many(pol, proba, calibration=calibration)]
    shares = [x for x in shares if x is not None]
    seed_shares = {
        k: voice.opinion_share(voice.read(v, proba, calibration=calibration))
        for k, v in seeds.items()
    }
    return {
        "name": name,
        "macro": macro,
        "opinion": opinion,
        "brier": brier_score_loss(y01, p),
        "table": reliability(y01, p),
        "pol_mean": statistics.mean(shares) if shares else float("nan"),
        "pol_median": statistics.median(shares) if shares else float("nan"),
        "pol_over_half": sum(x > 0.5 for x in shares),
        "pol_n": len(shares),
        "seeds": seed_shares,
    }


def print_voice(rows) -> None:
    print(
        "\n== Sentences in context (stance.voice): CheckThat dev by sentence, articles by words =="
    )
    print(
        f"{'model / calibration':34s} {'macroF1':>7s} {'opF1':>5s} {'Brier':>6s} "
        f"{'PolNeAR dev mean/median (>1/2)':>31s} {'seed report':>11s} {'column':>7s}"
    )
    for r in rows:
        pol = f"{r['pol_mean']:.3f} / {r['pol_median']:.3f} ({r['pol_over_half']}/{r['pol_n']})"
        print(
            f"{r['name']:34s} {r['macro']:7.3f} {r['opinion']:5.3f} {r['brier']:6.3f} "
            f"{pol:>31s} {r['seeds']['herald-report']:11.3f} {r['seeds']['armstrong-column']:7.3f}"
        )
    for r in rows:
        print(f"reliability, {r['name']} (bin: n, mean p, observed opinion rate):")
        print("  " + "; ".join(f"{b}: {n}, {mp:.2f}, {obs:.2f}" for b, n, mp, obs in r["table"]))


def print_cost(models, x, y, d_x, pol) -> None:
    """Throughput, retraining time, artifact size and memory of the starter+train model
    (trained on ``x``, ``y``), beside the plain baseline."""
    final = models["starter+train"].pipeline
    bench_texts = repeat_to(d_x, 3000)
    base = baseline().fit(x, y)
    # The classifier as stance.voice calls it: each sentence comes with the attribution read
    # once over its article (here the sentence is its own article), which the reading needs
    # anyway to tell attributed sentences from the author's. Also a plain text, read on its
    # own inside predict, and stance.attribution's own rate.
    attributed = [voice.attributed(t) for t in bench_texts]
    ours_tp = throughput(lambda t: sp.predict(final, t), attributed)
    base_tp = throughput(base.predict_proba, bench_texts)
    plain_tp = throughput(lambda t: sp.predict(final, t), bench_texts)
    attribution_tp = throughput(lambda t: [voice.attributed(x) for x in t], bench_texts)
    pol_sentences = sum(len(voice.segment(a)[i]) for a in pol for i in range(len(a)))
    t0 = time.process_time()
    sp.read_articles(final, pol)
    article_tp = pol_sentences / (time.process_time() - t0)

    big_x = repeat_to(x, 10_000)
    big_y = repeat_to(y, 10_000)
    t0, c0 = time.perf_counter(), time.process_time()
    sp.build_pipeline().fit(big_x, big_y)
    fit_10k, fit_10k_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    sp.train(big_x, big_y)
    train_10k, train_10k_cpu = time.perf_counter() - t0, time.process_time() - c0

    artifact = persistence.dump(final)
    rss, rss_before = peak_rss_mb(artifact, repeat_to(d_x, RSS_PARAGRAPHS))

    print("\n== cost (single core) ==")
    print(
        f"throughput, median of {THROUGHPUT_RUNS} x {len(bench_texts)} CheckThat dev sentences "
        "(attribution given, as stance.voice passes them): "
        f"ours {ours_tp:,.0f} sentences per CPU second, plain TF-IDF + LR {base_tp:,.0f} "
        f"(ours at {ours_tp / base_tp:.2f}x its rate)"
    )
    print(
        f"  the same sentences as plain text, attribution read inside predict: {plain_tp:,.0f}"
        f" per CPU second; stance.attribution alone (voice.attributed): {attribution_tp:,.0f}"
    )
    print(
        f"whole articles (splitting, attribution, context, classifier), PolNeAR dev: "
        f"{article_tp:,.0f} sentences per CPU second"
    )
    print(
        f"retraining on 10,000 labels: fit {fit_10k:.1f}s; train() (5-fold CV, then the fit) "
        f"{train_10k:.1f}s (CPU of this process: {fit_10k_cpu:.1f}s and {train_10k_cpu:.1f}s)"
    )
    print(f"artifact (skops) size: {len(artifact) / 1e6:.2f} MB")
    print(
        f"peak RSS predicting {RSS_PARAGRAPHS:,} paragraphs in one call: {rss:.0f} MB "
        f"(after imports, before loading: {rss_before:.0f} MB)"
    )
    print(f"params: {models['starter+train'].params}")
    print(f"sklearn {models['starter+train'].metrics['sklearn_version']}, numpy {np.__version__}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tune", action="store_true", help="also print the CV tables")
    args = parser.parse_args(argv)

    s_ids, s_x, s_y = load(starter_paths())
    _, t_x, t_y = load([DATA / "train.tsv"])
    _, d_x, d_y = load([DATA / "dev.tsv"])
    g_ids, g_x, g_y = load([GOLD]) if GOLD.exists() else ([], [], [])
    print(
        f"data: starter {len(s_x)} ({', '.join(p.name for p in starter_paths())}), "
        f"CheckThat train {len(t_x)}, dev {len(d_x)}, seed gold {len(g_x)}"
    )

    if args.tune:
        tune(s_x, s_y, t_x, t_y)
        starter_rows = [r for p in starter_paths() for r in sp.read_labelled_tsv(p)]
        tune_voice(starter_rows, sp.read_labelled_tsv(DATA / "train.tsv"))

    # Each version's calibration is chosen by train(), by cross-validation on its own training
    # data (starter pieces by topic and register, CheckThat train sentences) and, for
    # starter+train, PolNeAR train articles as known news. Dev and the seed pieces never.
    t_ids = [r[0] for r in sp.read_labelled_tsv(DATA / "train.tsv")]
    pol_train = polnear_articles("train")
    random.Random(0).shuffle(pol_train)
    regimes = {
        "starter": (s_x, s_y, s_ids, {"starter": len(s_x)}, ()),
        "starter+train": (
            s_x + t_x,
            s_y + t_y,
            s_ids + t_ids,
            {"starter": len(s_x), "CheckThat train": len(t_x)},
            pol_train[:CALIBRATION_POLNEAR_ARTICLES],
        ),
    }
    rows = []
    models = {}
    for regime, (x, y, ids, sources, news) in regimes.items():
        pieces = [sp.piece_key(i) for i in ids]
        result = sp.train(x, y, sources=sources, pieces=pieces, news_articles=news)
        models[regime] = result
        ours = [p.label for p in sp.predict(result.pipeline, d_x)]
        base = baseline().fit(x, y)
        base_dev = list(base.predict(d_x))
        gold_ours = [p.label for p in sp.predict(result.pipeline, g_x)] if g_x else []
        gold_base = list(base.predict(g_x)) if g_x else []
        rows.append((regime, "ours", *scores(d_y, ours), gold_ours, result))
        rows.append((regime, "baseline", *scores(d_y, base_dev), gold_base, None))

    print("\n== CheckThat dev (reported once; never used for choices) and seed gold ==")
    print(f"{'training set':15s} {'model':9s} {'macroF1':>8s} {'opinionF1':>10s} {'gold acc':>9s}")
    for regime, model, macro, opin, gold_pred, _ in rows:
        acc = (
            f"{sum(p == y for p, y in zip(gold_pred, g_y, strict=True))}/{len(g_y)}" if g_y else "-"
        )
        print(f"{regime:15s} {model:9s} {macro:8.3f} {opin:10.3f} {acc:>9s}")
    for regime, model, _, _, gold_pred, _ in rows:
        wrong = [f"{i} ({y}->{p})" for i, p, y in zip(g_ids, gold_pred, g_y, strict=True) if p != y]
        print(f"  gold wrong, {regime}/{model}: {', '.join(wrong) if wrong else 'none'}")

    print("\n== cross-validated (5-fold, training data only) ==")
    for regime, result in models.items():
        m = result.metrics
        print(
            f"{regime:15s} macroF1 {m['macro_f1']:.3f}  confusion [[nn, no], [on, oo]] "
            f"{m['confusion']}  n={m['n']}  train() incl. CV {result.seconds:.1f}s"
        )

    # sentences in context: each version with the calibration stored with it, which the app
    # applies: its own, fitted by train() when it had known news, else DEFAULT_CALIBRATION
    pol = polnear_articles("dev")
    seeds = seed_pieces()
    voice_rows = []
    for regime, result in models.items():
        own = sp.calibration_of(result.pipeline) != voice.DEFAULT_CALIBRATION
        name = f"{regime} / {'its own (CV)' if own else 'default'}"
        voice_rows.append(voice_figures(name, result.pipeline, None, d_x, d_y, pol, seeds))
    print_voice(voice_rows)
    for regime, result in models.items():
        print(f"{regime}'s own calibration: {sp.calibration_of(result.pipeline)}")

    print_cost(models, s_x + t_x, s_y + t_y, d_x, pol)


if __name__ == "__main__":
    main()
