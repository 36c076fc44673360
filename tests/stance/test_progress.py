"""Progress you can see: `make run` runs background work in a task worker, so a retrain
answers at once and the models page polls the job's progress bar."""

import re
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from stance import jobs
from stance.models import Job

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_make_run_starts_a_task_worker_beside_the_server():
    recipe = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    worker = next(line for line in recipe.splitlines() if "task_worker" in line)
    server = next(line for line in recipe.splitlines() if "runserver" in line)
    assert "TASKS_BACKEND=database" in worker and "TASKS_BACKEND=database" in server
    assert "kill" in recipe  # the worker stops with the server
    # one cache for both, so what the worker works out ("Why?", alignments) reaches the pages
    shared = re.search(r"CACHE_URL=(file:///\S+)", worker)
    assert shared and f"CACHE_URL={shared[1]} " in server


def test_with_a_worker_a_retrain_answers_at_once_with_a_progress_bar(
    active_classifier, data_lead, client, settings
):
    settings.TASKS = DATABASE_TASKS
    client.force_login(data_lead)
    page = client.post(reverse("model-retrain"), headers={"HX-Request": "true"}).content.decode()
    job = Job.objects.get(kind=Job.Kind.TRAIN)
    assert job.status == Job.Status.QUEUED  # the request did not train
    assert "<progress" in page and "Waiting for a worker" in page
    assert 'hx-trigger="every 1s"' in page  # the card polls its job

    jobs.candidate_train(job=job)  # what the worker runs (tests/faults run real workers)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.version.status == "ready"
    partial = client.get(reverse("job-status", args=[job.pk]) + "?was=running")
    assert "jobFinished" in partial["HX-Trigger"]
