"""How the per-article framing analysis grows with the article's length.

    .venv/bin/python bench/analysis_scaling.py [--sizes 250 500 1000 2000] [--runs 3]
        [--dump out.json]

Builds synthetic articles of N paragraphs from the two seed pieces (their paragraphs in
turn, every repeat varied by a numbered sentence so no two paragraphs are equal) and times
``stance.framing.analyse_article`` with the seed story's actors and the default frames:
the call the analysis task (``stance.services.analysis.articles_analyse``) makes per article, with
the rule-based scorer, without the database. Prints the median time per size and the time
per paragraph: a linear analysis keeps the latter flat.

``--dump`` writes every paragraph's analysis of the 500-paragraph article as JSON, to
check that a speed change leaves the output unchanged (compare two dumps with ``cmp``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stance import framing  # noqa: E402

SEED = ROOT / "newsroom" / "seed" / "goff-carter"
SEED_FILES = ("herald-report.txt", "armstrong-column.txt")


def seed_actors() -> list[framing.ActorSpec]:
    story = json.loads((SEED / "story.json").read_text(encoding="utf-8"))
    return [
        framing.ActorSpec(str(i), a["name"], tuple(a["aliases"]), a["kind"], a.get("pronoun", ""))
        for i, a in enumerate(story["actors"], 1)
    ]


def seed_paragraphs() -> list[str]:
    out = []
    for name in SEED_FILES:
        text = (SEED / name).read_text(encoding="utf-8")
        out += [p.strip() for p in text.split("\n") if p.strip()]
    return out


def synthetic_article(n: int) -> list[str]:
    """``n`` paragraphs: the seed paragraphs in turn, repeats marked as a later round."""
    seed = seed_paragraphs()
    out = []
    for i in range(n):
        para = seed[i % len(seed)]
        rnd = i // len(seed)
        out.append(para if rnd == 0 else f"{para} Round {rnd} of the row went on.")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 500, 1000, 2000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dump", type=Path, help="write the 500-paragraph analysis here")
    args = parser.parse_args()
    actors = seed_actors()
    framing.analyse_article(synthetic_article(20), actors)  # warm the compiled patterns
    print(f"{'paragraphs':>10} {'characters':>10} {'median s':>9} {'ms/paragraph':>13}")
    for n in args.sizes:
        paras = synthetic_article(n)
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            framing.analyse_article(paras, actors)
            times.append(time.perf_counter() - t0)
        med = statistics.median(times)
        chars = sum(map(len, paras))
        print(f"{n:>10} {chars:>10} {med:>9.2f} {1000 * med / n:>13.2f}")
    if args.dump:
        result = framing.analyse_article(synthetic_article(500), actors)
        args.dump.write_text(json.dumps([r.to_dict() for r in result], sort_keys=True))
        print(f"wrote {args.dump}")


if __name__ == "__main__":
    main()
