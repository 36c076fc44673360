"""Server time, size and query count of the article page for a very long article.

    .venv/bin/python bench/article_page.py [--paragraphs 20000] [--runs 9]

Builds a throwaway SQLite database with the seed story, then one article of
--paragraphs paragraphs (the seed report's paragraphs repeated, with their predictions
and analyses), and requests its pages through Django's test client (no
network, no browser): the first page, a page in the middle, the last page, and the
next paragraphs as htmx loads them. Prints the median and p90 ms, the bytes and the
SQL queries of each, and then the same first page while the article's analysis is
stale (what an editor sees after an actor edit: "analysis pending", nothing computed
in the request). The target: well under a second for every page.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from seeded import seeded_editor_client  # noqa: E402  (sets Django up)

# The queued analysis is taken by nobody: the page must answer without it.
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def long_article(paragraphs: int):
    """The seed report's paragraphs repeated to `paragraphs`, stored with the seed
    paragraphs' predictions and fresh analyses copied (classifying and analysing 20,000
    paragraphs for real takes minutes and is not what this measures)."""
    from newsroom.models import Article, Paragraph
    from stance.models import ParagraphAnalysis, Prediction
    from stance.selectors import framing_inputs

    seed = Article.objects.get(story__slug="goff-carter", genre="news")
    originals = list(seed.paragraphs.order_by("position").select_related("analysis"))
    predictions = {p.paragraph_id: p for p in Prediction.objects.filter(paragraph__article=seed)}
    article = Article.objects.create(
        story=seed.story,
        outlet=seed.outlet,
        headline=f"A report of {paragraphs} paragraphs (bench)",
        genre=seed.genre,
        source_filename="bench.txt",
        content_hash="bench-" + str(paragraphs),
    )
    copies = Paragraph.objects.bulk_create(
        [
            Paragraph(
                article=article,
                position=i + 1,
                text=originals[i % len(originals)].text,
                kind=originals[i % len(originals)].kind,
            )
            for i in range(paragraphs)
        ],
        batch_size=2000,
    )
    if not copies[0].pk:  # a backend that returns no ids from bulk_create
        copies = list(article.paragraphs.order_by("position"))
    signature = framing_inputs(seed.story_id)[2]
    pairs = [(copy, originals[i % len(originals)]) for i, copy in enumerate(copies)]
    ParagraphAnalysis.objects.bulk_create(
        [
            ParagraphAnalysis(paragraph=copy, signature=signature, data=original.analysis.data)
            for copy, original in pairs
        ],
        batch_size=2000,
    )
    Prediction.objects.bulk_create(
        [
            Prediction(
                paragraph=copy,
                version_id=predictions[original.pk].version_id,
                label=predictions[original.pk].label,
                p_opinion=predictions[original.pk].p_opinion,
                sentences=predictions[original.pk].sentences,
            )
            for copy, original in pairs
            if original.pk in predictions
        ],
        batch_size=2000,
    )
    return article


def timed(client, url, runs, headers=None):
    """Median and p90 ms of `runs` requests, the last one's size in bytes and queries."""
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, headers=headers or {})
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    times.sort()
    return (
        statistics.median(times) * 1000,
        times[int(0.9 * (len(times) - 1))] * 1000,
        len(response.content),
        len(queries),
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--paragraphs", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    from newsroom.views import ARTICLE_PAGE_PARAGRAPHS

    client = seeded_editor_client()
    article = long_article(args.paragraphs)
    url = article.get_absolute_url()
    last = -(-args.paragraphs // ARTICLE_PAGE_PARAGRAPHS)
    cases = [
        ("first page", url, None),
        ("middle page", f"{url}?page={last // 2}", None),
        ("last page", f"{url}?page={last}", None),
        ("next paragraphs (htmx)", f"{url}?page=2", {"HX-Request": "true"}),
    ]
    print(
        f"article page, {args.paragraphs} paragraphs ({ARTICLE_PAGE_PARAGRAPHS} a page), "
        f"Django test client, SQLite, {args.runs} runs each"
    )
    print(f"{'case':<28} {'median ms':>10} {'p90 ms':>8} {'KB':>7} {'queries':>8}")
    for name, page_url, headers in cases:
        median, p90, size, queries = timed(client, page_url, args.runs, headers)
        print(f"{name:<28} {median:>10.1f} {p90:>8.1f} {size / 1024:>7.0f} {queries:>8}")
    stale_article(article)
    with override_settings(TASKS=DUMMY_TASKS):
        median, p90, size, queries = timed(client, url, args.runs)
    print(
        f"{'first page, analysis stale':<28} {median:>10.1f} {p90:>8.1f} {size / 1024:>7.0f} "
        f"{queries:>8}"
    )


def stale_article(article):
    """Make the article's stored analyses stale, as an actor edit does."""
    from newsroom.services import actor_set

    actor_set(story=article.story, name="Bench Person", pronoun="they", aliases=[])


if __name__ == "__main__":
    main()
