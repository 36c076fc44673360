"""Server time and query count of the compare view.

    .venv/bin/python bench/compare.py [--runs 15]

Builds a throwaway SQLite database, loads the seed story and a synthetic story of four
60-paragraph pieces, then requests each compare page through Django's test client
(no network, no browser) and prints the median, p90 and the number of SQL queries.
The first request of each page, which queues the framing analyses (run inline by the
immediate task backend here), is reported apart.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from seeded import seeded_editor_client  # noqa: E402  (sets Django up)

SENTENCES = [
    "The harbour board voted 6-3 on Tuesday to close the northern wharf for repairs.",
    '"This is a disgrace and the board knows it," said Ana Roe, the mayor.',
    "Board chair Tom Hale said the decision was overdue and the wharf was unsafe.",
    "Frankly, the board has treated the fishing fleet with contempt for a decade.",
    "Repairs are expected to cost $14 million and take eighteen months.",
    "Surely it is time Mr Hale admitted he got the timing badly wrong?",
    "According to the fishing co-operative, 40 boats will have to moor elsewhere.",
    "Ms Roe told reporters she would ask the minister to intervene.",
]


def synthetic_story():
    from newsroom import ingest
    from newsroom.services import (
        ArticleDraft,
        actor_set,
        article_upload,
        outlet_get_or_create,
        story_get_or_create,
    )
    from stance.services.classification import articles_classify

    story = story_get_or_create(title="Harbour wharf closure (bench)")
    actor_set(story=story, name="Ana Roe", pronoun="she", aliases=["Ms Roe", "the mayor"])
    actor_set(story=story, name="Tom Hale", pronoun="he", aliases=["Mr Hale", "Board chair"])
    outlet = outlet_get_or_create(name="Bench Gazette")
    drafts = []
    for piece in range(4):
        paragraphs = [
            f"{SENTENCES[(i + piece) % len(SENTENCES)]} (Piece {piece}, paragraph {i}.)"
            for i in range(60)
        ]
        drafts.append(
            ArticleDraft(
                document=ingest.ingest_text("\n\n".join(paragraphs)),
                source=f"piece-{piece}",
                headline=f"Bench piece {piece}",
            )
        )
    articles = article_upload(story=story, outlet=outlet, drafts=drafts)
    articles_classify(articles=articles)
    return story, articles


def timed(client, url, runs, before=None):
    """Median and p90 ms of `runs` requests, each after `before()`, and the last one's queries."""
    times = []
    for _ in range(runs):
        if before:
            before()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    times.sort()
    return statistics.median(times) * 1000, times[int(0.9 * (len(times) - 1))] * 1000, len(queries)


def measure(client, url, runs, pks):
    """The first request (queues the analyses), then the three ways a request is served."""
    from django.core.cache import cache

    from newsroom.models import Paragraph
    from stance.services.labels import label_create

    started = time.perf_counter()
    assert client.get(url).status_code == 200
    cold = (time.perf_counter() - started) * 1000
    paragraphs = iter(
        list(Paragraph.objects.filter(article__in=pks, kind="paragraph").order_by("?")) * runs
    )
    labeller = client.user

    def a_label():
        label_create(paragraph=next(paragraphs), editor=labeller, label="opinion")

    return {
        "cold": (cold, cold, None),
        "cached": timed(client, url, runs),
        "after a label": timed(client, url, runs, before=a_label),
        "computed": timed(client, url, runs, before=cache.clear),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    from newsroom.models import Story

    client = seeded_editor_client()
    seed = Story.objects.get(slug="goff-carter")
    big, articles = synthetic_story()
    cases = [
        (
            "seed story (2 pieces, 63 paragraphs)",
            seed,
            list(seed.articles.values_list("pk", flat=True)),
        ),
        ("4 pieces x 60 paragraphs", big, [a.pk for a in articles]),
        ("2 pieces x 60 paragraphs", big, [a.pk for a in articles[:2]]),
    ]
    print(f"compare view, Django test client, SQLite, {args.runs} runs each")
    print("  cached: the page's content served from the cache (the steady state)")
    print("  after a label: the cached comparison rendered with the new verdicts")
    print("  computed: nothing cached (the first view after an activation or an edit)")
    print(f"{'case':<38} {'served':<14} {'median ms':>10} {'p90 ms':>8} {'queries':>8}")
    for name, story, pks in cases:
        url = (
            reverse("story-compare", args=[story.slug])
            + "?"
            + "&".join(f"pieces={pk}" for pk in pks)
        )
        for served, (median, p90, queries) in measure(client, url, args.runs, pks).items():
            print(
                f"{name:<38} {served:<14} {median:>10.1f} {p90:>8.1f} "
                f"{queries if queries is not None else '':>8}"
            )
            name = ""
    framing_benchmark(args.runs)


def framing_benchmark(runs):
    """Framing analysis of one 60-paragraph article (what the first view of a piece costs)."""
    from newsroom.models import Article, Story
    from stance import framing
    from stance.selectors import framing_inputs

    seed = Story.objects.get(slug="goff-carter")
    report = Article.objects.get(story=seed, genre="news")
    texts = list(report.paragraphs.order_by("position").values_list("text", flat=True))
    article = (texts * 2)[:60]
    actors, frames, _ = framing_inputs(seed.pk)
    framing.analyse_article(article, actors, frames)  # warm the per-actor-set pattern cache
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        framing.analyse_article(article, actors, frames)
        times.append(time.perf_counter() - started)
    print(f"framing analysis, 60 paragraphs: median {statistics.median(times) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
