"""Server time and query count of the compare view.

    .venv/bin/python bench/compare.py [--runs 15]

Builds a throwaway SQLite database, loads the seed story and a synthetic story of four
60-paragraph pieces, then requests each compare page through Django's test client
(no network, no browser) and prints the median, p90 and the number of SQL queries.
The first request of each page, which stores the framing analyses, is reported apart.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
workdir = tempfile.mkdtemp(prefix="stance-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

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
    from stance.services import articles_classify

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


def measure(client, url, runs):
    started = time.perf_counter()
    first = client.get(url)
    cold = time.perf_counter() - started
    assert first.status_code == 200, first.status_code
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200
    times.sort()
    return {
        "cold_ms": cold * 1000,
        "median_ms": statistics.median(times) * 1000,
        "p90_ms": times[int(0.9 * (len(times) - 1))] * 1000,
        "queries": len(queries),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)
    from django.contrib.auth import get_user_model

    from newsroom.models import Story

    user = get_user_model().objects.create_user("bench", password="x")
    client = Client()
    client.force_login(user)
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
    print(f"compare view, Django test client, SQLite, {args.runs} warm runs each")
    print(f"{'case':<40} {'cold ms':>8} {'median ms':>10} {'p90 ms':>8} {'queries':>8}")
    for name, story, pks in cases:
        url = (
            reverse("story-compare", args=[story.slug])
            + "?"
            + "&".join(f"pieces={pk}" for pk in pks)
        )
        r = measure(client, url, args.runs)
        print(
            f"{name:<40} {r['cold_ms']:>8.0f} {r['median_ms']:>10.1f} "
            f"{r['p90_ms']:>8.1f} {r['queries']:>8}"
        )


if __name__ == "__main__":
    main()
