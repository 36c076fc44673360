"""Benchmark the news/opinion classifier against a plain TF-IDF + LogisticRegression baseline.

    .venv/bin/python bench/classifier.py            # the figures (about a minute)
    .venv/bin/python bench/classifier.py --tune     # also the cross-validation tables behind
                                                    # the chosen design (several minutes)

Reads TSV files only (no Django): the starter corpus (stance/corpus/starter.tsv, or the
part_*.tsv files until it exists), CheckThat! 2025 train/dev from ../shared/data, and the seed
gold (stance/corpus/seed_gold.tsv, evaluation only: never trained on). Dev is reported once, as
the final figure; every design choice was made by cross-validation on training data (--tune).
"""

from __future__ import annotations

import os

# single core for every figure, set before numpy/scipy load their BLAS
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
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

from stance import pipeline as sp  # noqa: E402
from stance.text import stem_tokens  # noqa: E402

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
    return sp.default_data_paths(CORPUS)


def scores(y_true, y_pred) -> tuple[float, float]:
    macro = f1_score(y_true, y_pred, labels=list(sp.LABELS), average="macro")
    opinion = f1_score(y_true, y_pred, pos_label="opinion")
    return float(macro), float(opinion)


def throughput(predict, texts) -> float:
    predict(texts[:50])  # warm up
    times = []
    for _ in range(THROUGHPUT_RUNS):
        t0 = time.perf_counter()
        predict(texts)
        times.append(time.perf_counter() - t0)
    return len(texts) / statistics.median(times)


_RSS_CHILD = """
import os, resource, sys
for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[v] = "1"
sys.path.insert(0, sys.argv[1])
from stance import pipeline as sp
texts = [line.rstrip("\\n") for line in open(sys.argv[3], encoding="utf-8")]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
model = sp.load(open(sys.argv[2], "rb").read())
preds = sp.predict(model, texts)
assert len(preds) == len(texts)
print(before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
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
        "words 1-2-grams, stems, pre-tokenised (stems12)": lambda: sp.build_pipeline(
            features__words__select__kw_args={"column": "stems12"}
        ),
        "+ char_wb 2-5 n-grams": lambda: sp.build_pipeline(features__chars=sp.char_branch()),
        "all cues (+names, numbers, dates, opens-with-quote)": lambda: sp.build_pipeline(
            features__cues__matrix__kw_args={"exclude": ()}
        ),
        "no voice cues (words only)": lambda: sp.build_pipeline(features__cues="drop"),
        "voice cues only": lambda: sp.build_pipeline(features__words="drop"),
        "min_df=1": lambda: sp.build_pipeline(features__words__tfidf__min_df=1),
        "min_df=3": lambda: sp.build_pipeline(features__words__tfidf__min_df=3),
    }
    for c_value in (0.5, 2.0):
        configs[f"C={c_value}"] = lambda c=c_value: sp.build_pipeline(clf__C=c)
    for weight in (0.5, 2.0):
        configs[f"cue weight {weight}"] = lambda w=weight: sp.build_pipeline(
            features__transformer_weights={"words": 1.0, "cues": w}
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

    regimes = {"starter": (s_x, s_y), "starter+train": (s_x + t_x, s_y + t_y)}
    rows = []
    models = {}
    for regime, (x, y) in regimes.items():
        result = sp.train(x, y, sources={regime: len(x)})
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

    final = models["starter+train"].pipeline
    bench_texts = repeat_to(d_x, 3000)
    base = baseline().fit(s_x + t_x, s_y + t_y)
    ours_tp = throughput(lambda t: sp.predict(final, t), bench_texts)
    base_tp = throughput(base.predict_proba, bench_texts)

    big_x = repeat_to(s_x + t_x, 10_000)
    big_y = repeat_to(s_y + t_y, 10_000)
    t0 = time.perf_counter()
    sp.build_pipeline().fit(big_x, big_y)
    fit_10k = time.perf_counter() - t0
    t0 = time.perf_counter()
    sp.train(big_x, big_y)
    train_10k = time.perf_counter() - t0

    artifact = sp.dump(final)
    rss, rss_before = peak_rss_mb(artifact, repeat_to(d_x, RSS_PARAGRAPHS))

    print("\n== cost (single core) ==")
    print(
        f"throughput, median of {THROUGHPUT_RUNS} x {len(bench_texts)} dev paragraphs: "
        f"ours {ours_tp:,.0f}/s, baseline {base_tp:,.0f}/s "
        f"(ours {base_tp / ours_tp:.2f}x slower)"
    )
    print(
        f"training on 10,000 paragraphs: fit {fit_10k:.1f}s; train() with 5-fold CV "
        f"{train_10k:.1f}s"
    )
    print(f"artifact (skops) size: {len(artifact) / 1e6:.2f} MB")
    print(
        f"peak RSS predicting {RSS_PARAGRAPHS:,} paragraphs in one call: {rss:.0f} MB "
        f"(after imports, before loading: {rss_before:.0f} MB)"
    )
    print(f"params: {models['starter+train'].params}")
    print(f"sklearn {models['starter+train'].metrics['sklearn_version']}, numpy {np.__version__}")


if __name__ == "__main__":
    main()
