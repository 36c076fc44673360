"""The editorial loop at newsroom scale, on a throwaway SQLite database.

    .venv/bin/python bench/loop.py [--paragraphs 50000] [--labels 10000] [--posts 30]

Prints: time to refresh stored predictions for every paragraph (the job that follows an
activation), time from "retrain" to a ready candidate with N editor labels (training with
cross-validation, the held-out comparison on editor labels, and the flip count), and
the server time of a label POST (median and p90 over several posts, Django test client).

The synthetic paragraphs reuse starter-corpus texts, so the accuracy figures it prints
only show the comparison ran; the times are the point.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
workdir = tempfile.mkdtemp(prefix="stance-loop-")
os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/loop.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402


def build(paragraph_count: int, label_count: int):
    from django.contrib.auth.models import Group

    from newsroom.models import Article, Outlet, Paragraph, Story
    from stance import pipeline
    from stance.models import Label
    from tests.factories import make_user

    rows = pipeline.read_labelled_tsv(settings.STANCE_STARTER_CORPUS)
    rng = random.Random(0)
    story = Story.objects.create(title="Loop bench", slug="loop-bench")
    outlet = Outlet.objects.create(name="Bench Times")
    per_article = 50
    articles = Article.objects.bulk_create(
        Article(story=story, outlet=outlet, headline=f"Bench {i}", content_hash=f"bench-{i}")
        for i in range(paragraph_count // per_article)
    )
    paragraphs, truth = [], []
    for article in articles:
        for position in range(1, per_article + 1):
            _, text, label = rows[rng.randrange(len(rows))]
            paragraphs.append(
                Paragraph(
                    article=article, position=position, text=f"{text} ({article.pk}.{position})"
                )
            )
            truth.append(label)
    Paragraph.objects.bulk_create(paragraphs, batch_size=5000)
    editor = make_user("bench-editor")
    editor.groups.add(Group.objects.get(name="Editors"))
    ids = list(Paragraph.objects.order_by("pk").values_list("pk", flat=True))
    chosen = rng.sample(range(len(ids)), label_count)
    Label.objects.bulk_create(
        (Label(paragraph_id=ids[i], editor=editor, label=truth[i]) for i in chosen), batch_size=5000
    )
    return editor


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--paragraphs", type=int, default=50_000)
    parser.add_argument("--labels", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=30)
    args = parser.parse_args()
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)

    from newsroom.models import Paragraph
    from stance import jobs
    from stance.models import Job, ModelVersion
    from stance.services.versions import model_train

    t0 = time.perf_counter()
    editor = build(args.paragraphs, args.labels)
    print(
        f"setup: {args.paragraphs} paragraphs, {args.labels} editor labels in "
        f"{time.perf_counter() - t0:.1f} s"
    )
    v1 = model_train(activate=True)

    t0 = time.perf_counter()
    job = jobs.predictions_refresh_start(version=v1, user=None)
    refresh = time.perf_counter() - t0
    assert job.status == Job.Status.DONE, job.error
    print(
        f"refresh predictions for {Paragraph.objects.count()} paragraphs: {refresh:.1f} s "
        f"({Paragraph.objects.count() / refresh:,.0f} paragraphs/s)"
    )

    t0 = time.perf_counter()
    job = jobs.candidate_train_start(user=None)
    retrain = time.perf_counter() - t0
    assert job.status == Job.Status.DONE, job.error
    candidate = ModelVersion.objects.without_artifact().get(pk=job.version_id)
    evaluation = candidate.metrics["editor_eval"]
    print(
        f"retrain -> ready candidate with {args.labels} editor labels: {retrain:.1f} s "
        f"(trained on {candidate.training_summary['n']}, held-out macro-F1 on editor labels "
        f"{evaluation['candidate']['macro_f1']:.3f} "
        f"vs active {evaluation['active']['macro_f1']:.3f}, "
        f"{candidate.training_summary['flips']['count']} flips)"
    )

    client = Client()
    client.force_login(editor)
    targets = list(Paragraph.objects.order_by("?").values_list("pk", flat=True)[: args.posts])
    times = []
    for i, pk in enumerate(targets):
        url = reverse("paragraph-label", args=[pk])
        started = time.perf_counter()
        response = client.post(
            url, {"label": "opinion" if i % 2 else "news"}, headers={"HX-Request": "true"}
        )
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    times.sort()
    print(
        f"label POST (htmx, {len(times)} posts): median {statistics.median(times) * 1000:.1f} ms, "
        f"p90 {times[int(0.9 * (len(times) - 1))] * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
