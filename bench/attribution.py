"""Attribution on PolNeAR (held-out US hard news): content, sources, throughput.

    .venv/bin/python bench/attribution.py [--split dev] [--limit N] [--errors N]

Prints, for the default open attribution (stance.attribution):

* content: precision, recall and F1 over word tokens inside any attributed content;
* source accuracy: of gold attributions with a source, the share whose best-overlapping
  predicted attribution (sharing at least half the gold content's words; of those sharing
  as many, the one with the fewest words outside it: a nested attribution over the one
  around it) has a source that shares a word with the gold source; the same for direct
  quotes (gold content opening with a quotation mark);
* throughput in words per second (median of 5 runs over the split), and the time of one
  300,000-character paragraph.

PolNeAR stays in ../shared/data; nothing is trained on it.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stance.attribution import attribute_text  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "polnear"
WORD_RE = re.compile(r"\w+")
QUOTES = "\"\u201c\u2018'"


def word_starts(text: str, spans) -> set[int]:
    starts = set()
    for s, e in spans:
        for m in WORD_RE.finditer(text[s:e]):
            starts.add(s + m.start())
    return starts


def evaluate(articles, show_errors: int = 0):
    tp = fp = fn = 0
    src_total = src_ok = direct_total = direct_ok = 0
    errors = []
    for art in articles:
        text = art["text"]
        predicted = attribute_text(text)
        gold_words = set()
        for g in art["attributions"]:
            gold_words |= word_starts(text, g["content"])
        pred_words = set()
        pred_sets = []
        for a in predicted:
            ws = word_starts(text, a.content)
            pred_words |= ws
            pred_sets.append((ws, word_starts(text, a.source), a))
        tp += len(gold_words & pred_words)
        fp += len(pred_words - gold_words)
        fn += len(gold_words - pred_words)
        for g in art["attributions"]:
            if not g["source"]:
                continue
            gw = word_starts(text, g["content"])
            if not gw:
                continue
            gs = {text[s:e].lower() for s, e in _words(text, g["source"])}
            direct = text[g["content"][0][0] : g["content"][0][0] + 1] in QUOTES
            best, best_key = None, (0, 0)
            for ws, ss, a in pred_sets:
                key = (len(gw & ws), -len(ws - gw))  # ties: the tightest (a nested one)
                if key[0] and key > best_key:
                    best, best_key = (ss, a), key
            best_overlap = best_key[0]
            ok = False
            if best is not None and best_overlap * 2 >= len(gw):
                ps = {text[s:e].lower() for s, e in _words(text, best[1].source)}
                ok = bool(gs & ps)
            src_total += 1
            src_ok += ok
            if direct:
                direct_total += 1
                direct_ok += ok
            if not ok and len(errors) < show_errors:
                errors.append(
                    (
                        " | ".join(text[s:e] for s, e in g["source"]),
                        " | ".join(text[s:e] for s, e in g["content"])[:120],
                        best and " | ".join(text[s:e] for s, e in best[1].source),
                    )
                )
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "content_precision": p,
        "content_recall": r,
        "content_f1": f1,
        "source_accuracy": src_ok / src_total if src_total else 0.0,
        "source_accuracy_direct": direct_ok / direct_total if direct_total else 0.0,
        "gold_with_source": src_total,
        "gold_direct": direct_total,
    }, errors


def _words(text, spans):
    out = []
    for s, e in spans:
        out.extend((s + m.start(), s + m.end()) for m in WORD_RE.finditer(text[s:e]))
    return out


def throughput(articles) -> float:
    """Words per CPU second (process time: the figure holds on a busy machine)."""
    words = sum(len(WORD_RE.findall(a["text"])) for a in articles)
    runs = []
    for _ in range(5):
        t0 = time.process_time()
        for a in articles:
            attribute_text(a["text"])
        runs.append(time.process_time() - t0)
    return words / statistics.median(runs)


def thousand_word_ms(articles) -> float:
    """Median CPU milliseconds for the dev articles cut or joined to 1,000 words."""
    texts = []
    for a in articles[:40]:
        words = a["text"].split(" ")
        while len(words) < 1000:
            words = words + words
        texts.append(" ".join(words[:1000]))
    times = []
    for text in texts:
        t0 = time.process_time()
        attribute_text(text)
        times.append((time.process_time() - t0) * 1000)
    return statistics.median(times)


def long_paragraph_seconds() -> float:
    sentence = (
        'The council said the decision was final, and "we will not revisit it," '
        "Mr Smith told reporters on Monday. "
    )
    text = (sentence * (300_000 // len(sentence) + 1))[:300_000]
    t0 = time.process_time()
    attribute_text(text)
    return time.process_time() - t0


def long_paragraph_analysis_seconds() -> float:
    """The whole stored analysis (attribution, mentions, treatment, loaded terms, frames) of
    one 300,000-character paragraph, as a task worker runs it."""
    from stance import framing

    sentence = (
        'The council said the decision was final, and "we will not revisit it," Mr Smith '
        "told reporters on Monday. Critics called the plan a disgraceful waste. "
    )
    text = (sentence * (300_000 // len(sentence) + 1))[:300_000]
    actors = [framing.ActorSpec("1", "John Smith", ("Mr Smith", "Smith"), "person", "he")]
    t0 = time.process_time()
    framing.analyse_article([text], actors)
    return time.process_time() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="dev")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--errors", type=int, default=0)
    args = parser.parse_args()
    path = DATA / f"{args.split}.jsonl"
    articles = [json.loads(line) for line in path.open(encoding="utf-8")]
    if args.limit:
        articles = articles[: args.limit]
    metrics, errors = evaluate(articles, args.errors)
    print(f"PolNeAR {args.split}: {len(articles)} annotated articles")
    print(
        "content tokens   P {content_precision:.3f}  R {content_recall:.3f}  "
        "F1 {content_f1:.3f}".format(**metrics)
    )
    print(
        "source accuracy  {source_accuracy:.3f} of {gold_with_source} gold attributions "
        "with a source; direct quotes {source_accuracy_direct:.3f} of {gold_direct}".format(
            **metrics
        )
    )
    for src, content, pred in errors:
        print(f"  MISS source={src!r} pred={pred!r} content={content!r}")
    print(f"throughput       {throughput(articles):,.0f} words per CPU second (median of 5 runs)")
    print(f"1,000-word article: {thousand_word_ms(articles):.1f} ms CPU (median of 40)")
    print(f"300,000-character paragraph: {long_paragraph_seconds():.2f} s CPU")
    print(
        "300,000-character paragraph, whole analysis (framing): "
        f"{long_paragraph_analysis_seconds():.2f} s CPU"
    )


if __name__ == "__main__":
    main()
