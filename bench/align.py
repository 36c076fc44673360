"""Echoes by meaning: how strongly the seed pieces' paragraphs match, and what it costs.

    .venv/bin/python bench/align.py [--runs 5]

For the two seed pieces (the Herald report and the Armstrong column, paragraphs as the lines
of the seed files) prints, for each column paragraph, its best report paragraph and the
similarity under (1) the character 3-5-gram TF-IDF the alignment used before and (2) the
WordLlama embedding with names cut out that it uses now, with the median of the best
similarities; then the median time to align the seed story and a synthetic story of four
60-paragraph pieces by each method (model load reported apart). Single core.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.metrics.pairwise import linear_kernel  # noqa: E402

from stance import align, embedding  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
REPORT, COLUMN = "000_745fa9721234e177.txt", "003_1ee4ff9fb25bb8ba.txt"


def paragraphs(name: str) -> list[str]:
    return [line.strip() for line in (SEEDS / name).read_text().splitlines() if line.strip()]


def char_ngram_best(report: list[str], column: list[str]) -> list[tuple[int, float]]:
    """The former method: character 3-5-gram TF-IDF within words, cosine."""
    matrix = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    matrix = matrix.fit_transform(report + column)
    sim = linear_kernel(matrix[len(report) :], matrix[: len(report)])
    return [(int(row.argmax()), float(row.max())) for row in sim]


def char_ngram_similarities(pieces: list[list[str]]) -> np.ndarray:
    """The former method's work for a whole story: fit on every paragraph, all pairs."""
    flat = [text for piece in pieces for text in piece]
    matrix = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    matrix = matrix.fit_transform(flat)
    return linear_kernel(matrix)


def meaning_best(report: list[str], column: list[str]) -> list[tuple[int, float]]:
    rows = align.align([report, column], threshold=-1.0)[1]
    return [(row[0].paragraph, row[0].similarity) if row else (-1, 0.0) for row in rows]


def shown(paragraphs: list[str], index: int, similarity: float) -> str:
    return repr(paragraphs[index][:40]) if similarity > 0 else "(too short to match)"


def synthetic(pieces: int = 4, length: int = 60) -> list[list[str]]:
    words = paragraphs(REPORT) + paragraphs(COLUMN)
    rng = np.random.default_rng(0)
    return [[words[int(k)] for k in rng.integers(0, len(words), length)] for _ in range(pieces)]


def median_seconds(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    report, column = paragraphs(REPORT), paragraphs(COLUMN)
    t0 = time.perf_counter()
    embedding._model()
    load = time.perf_counter() - t0
    before, after = char_ngram_best(report, column), meaning_best(report, column)
    print(f"seed: report {len(report)} paragraphs, column {len(column)}")
    print(f"{'char n-grams':>18s} {'by meaning':>14s}   column paragraph -> report paragraph")
    for text, (bp, bs), (ap, as_) in zip(column, before, after, strict=True):
        where = shown(report, ap, as_)
        print(f"  {bs:5.2f} -> {bp:2d}      {as_:5.2f} -> {ap:2d}    {text[:56]!r} -> {where}")
    for name, best in (("char n-grams", before), ("by meaning", after)):
        sims = [s for _p, s in best]
        above = sum(s >= (0.2 if name == "char n-grams" else align.DEFAULT_THRESHOLD) for s in sims)
        print(
            f"{name:>13s}: median best similarity {statistics.median(sims):.2f}, "
            f"max {max(sims):.2f}, {above}/{len(sims)} column paragraphs matched"
        )

    print(f"\nmodel load (once per process): {load:.2f}s")
    big = synthetic()
    for name, pieces in (("seed story (2 pieces)", [report, column]), ("4 x 60 paragraphs", big)):
        before = median_seconds(lambda p=pieces: char_ngram_similarities(p), args.runs)
        after = median_seconds(lambda p=pieces: align.align(p), args.runs)
        print(
            f"align {name:24s} median {after * 1000:7.1f} ms by meaning, "
            f"{before * 1000:7.1f} ms by char n-grams ({args.runs} runs, single core)"
        )


if __name__ == "__main__":
    main()
