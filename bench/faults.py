"""Faults: kill task workers mid-job and restart PostgreSQL under load; nothing may be lost.

Starts the production set-up (bench/stack.py: a fresh PostgreSQL database, gunicorn,
two `manage.py task_worker` processes, DEBUG off) and runs three scenarios while an
editor labels paragraphs over HTTP throughout:

  a. kill -9 the worker running a retrain, in the middle of training
  b. kill -9 the worker running a prediction refresh, in the middle of it
  c. restart PostgreSQL (pg_ctlcluster ... restart) while a reader GETs pages, the
     editor posts labels and a refresh runs

After each: exactly one active classifier; no version left "training" and every ready
version's artifact whole (SHA-256 and a type-checked load); the interrupted job failed
with a reason (as the models page's job poll shows it) and its retry (the page's Retry
button, over HTTP) completed by a surviving worker; after (b) every paragraph has the
active version's prediction; after (c) the same gunicorn serving again and the workers
alive and taking tasks; at the end every label POST answered 2xx is stored exactly once.
A killed worker is restarted after its scenario, as a process supervisor would.

Prints one row per check (scenario, check, result, time to recover) and exits 1 on any
failure. The lease is short here (--lease, default 10 s; production's default is 90 s)
so detection takes seconds; detection takes about one lease in production too.

    .venv/bin/python bench/faults.py [--lease 10] [--cluster 15/main] [--down 0]
        [--postgres postgres://postgres@127.0.0.1:5432] [--worker-command task_worker]

Restarting PostgreSQL interrupts every other client of that cluster; --cluster and
--postgres point the run at a cluster of its own (`pg_createcluster 15 faults -p 5433`).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stack import POSTGRES, ProductionStack  # noqa: E402

JOB_TIMEOUT = 180  # seconds for any job to start or finish here


@dataclass
class Row:
    scenario: str
    check: str
    ok: bool
    detail: str = ""
    recover: float | None = None


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)

    def add(self, scenario, check, ok, detail="", recover=None) -> bool:
        self.rows.append(Row(scenario, check, bool(ok), detail, recover))
        mark = "ok" if ok else "FAILED"
        print(f"  [{mark}] {scenario}: {check} {detail}", flush=True)
        return bool(ok)

    def print(self) -> None:
        header = ("scenario", "check", "result", "time to recover")
        body = [
            (
                r.scenario,
                r.check,
                ("ok" if r.ok else "FAILED") + (f" ({r.detail})" if r.detail else ""),
                f"{r.recover:.1f} s" if r.recover is not None else "",
            )
            for r in self.rows
        ]
        widths = [max(len(str(row[i])) for row in [header, *body]) for i in range(4)]
        line = "  ".join(f"{{:<{w}}}" for w in widths)
        print()
        print(line.format(*header))
        print(line.format(*("-" * w for w in widths)))
        for row in body:
            print(line.format(*row))


# ---------------------------------------------------------------------------------------
# Load: an editor labelling, a reader reading


class Labeller(threading.Thread):
    """Posts labels (htmx, as the pages do), each with a unique note; records every answer."""

    def __init__(self, client, paragraphs: list[int], pause: float = 0.1):
        super().__init__(daemon=True)
        self.client, self.paragraphs, self.pause = client, paragraphs, pause
        self.answers: list[tuple[str, int, float]] = []  # (note, status, when)
        self.error = ""
        self.halt = threading.Event()

    def run(self) -> None:
        for n in itertools.count():
            if self.halt.is_set():
                return
            note = f"faults-{n}"
            try:
                status = self.client.post(
                    f"/paragraphs/{self.paragraphs[n % len(self.paragraphs)]}/label/",
                    {"label": "opinion" if n % 2 else "news", "note": note},
                    headers={"HX-Request": "true"},
                ).status
            except Exception as error:  # no answer at all counts as an error answer
                status, self.error = -1, repr(error)
            self.answers.append((note, status, time.monotonic()))
            time.sleep(self.pause)

    def stop(self) -> None:
        self.halt.set()
        self.join(timeout=60)


class Reader(threading.Thread):
    """GETs the app's pages in turn; records (status, when)."""

    def __init__(self, client, paths: list[str]):
        super().__init__(daemon=True)
        self.client, self.paths = client, paths
        self.answers: list[tuple[int, float]] = []
        self.error = ""
        self.halt = threading.Event()

    def run(self) -> None:
        for path in itertools.cycle(self.paths):
            if self.halt.is_set():
                return
            try:
                status = self.client.get(path).status
            except Exception as error:  # no answer at all counts as a failure
                status, self.error = -1, repr(error)
            self.answers.append((status, time.monotonic()))
            time.sleep(0.02)

    def stop(self) -> None:
        self.halt.set()
        self.join(timeout=60)


# ---------------------------------------------------------------------------------------
# Helpers (this process has Django set up against the stack's database)


def orm(fn, timeout: float = 60):
    """Run an ORM call; while the database is restarting, reconnect and try again."""
    from django.db import DatabaseError, connection

    deadline = time.monotonic() + timeout
    while True:
        try:
            return fn()
        except DatabaseError:
            connection.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def wait_for(condition, what: str, timeout: float = JOB_TIMEOUT, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = orm(condition)
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")


def job(pk: int):
    from stance.models import Job

    return Job.objects.select_related("version").get(pk=pk)


def latest_job(kind: str):
    from stance.models import Job

    return Job.objects.filter(kind=kind).order_by("-pk").first()


def runner_of(stack, a_job):
    """The worker process that took the job's task (worker ids are worker-<index>)."""
    from django_tasks_db.models import DBTaskResult

    worker_id = DBTaskResult.objects.get(pk=a_job.task_id).worker_ids[-1]
    return stack.workers[int(worker_id.removeprefix("worker-"))]


def versions_sound(report: Report, scenario: str) -> None:
    from stance import persistence
    from stance.models import ModelVersion

    def check():
        classifiers = ModelVersion.objects.classifiers()
        active = classifiers.filter(is_active=True).count()
        training = classifiers.filter(status=ModelVersion.Status.TRAINING).count()
        broken = []
        for version in classifiers.filter(status=ModelVersion.Status.READY):
            artifact = bytes(version.artifact or b"")
            try:
                assert hashlib.sha256(artifact).hexdigest() == version.artifact_sha256
                persistence.load(artifact)
            except Exception:
                broken.append(str(version))
        return active, training, broken

    active, training, broken = orm(check)
    report.add(scenario, "exactly one active classifier", active == 1, f"{active} active")
    report.add(scenario, "no version left training", training == 0, f"{training} training")
    report.add(
        scenario,
        "every ready version's artifact whole",
        not broken,
        ", ".join(broken) or "sha256 + load",
    )


def poll_until_failed_on_page(client, pk: int, timeout: float) -> str:
    """Poll the job's status partial as the models page does (every second) until it
    shows the failure; the page's text."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = client.get(f"/jobs/{pk}/?was=running")
        if answer.status == 200 and "Failed:" in answer.body:
            return answer.body
        time.sleep(1)
    raise TimeoutError(f"job {pk} never showed as failed")


def retry_over_http(client, failed_pk: int):
    from stance.models import Job

    answer = client.post(f"/jobs/{failed_pk}/retry/")
    if answer.status != 302:
        raise RuntimeError(f"retry answered HTTP {answer.status}")
    return orm(lambda: Job.objects.get(retry_of_id=failed_pk))


def wait_finished(pk: int):
    from stance.models import Job

    return wait_for(
        lambda: (j := job(pk)).status in (Job.Status.DONE, Job.Status.FAILED) and j,
        f"job {pk} to finish",
    )


def kill_mid_job(report, stack, lead, scenario, started, is_mid_way, check_after):
    """Start a job over HTTP, kill -9 its worker mid-way, then watch the lease and retry."""
    from stance.models import Job

    pk = started()
    wait_for(lambda: is_mid_way(job(pk)), f"job {pk} to be mid-way")
    runner = runner_of(stack, job(pk))
    killed_at = time.monotonic()
    stack.kill_worker(runner)
    killed = job(pk)
    report.add(scenario, "killed mid-way", True, f"at “{killed.message}”, {killed.percent}%")
    page = poll_until_failed_on_page(lead, pk, timeout=JOB_TIMEOUT)
    failed_at = time.monotonic()
    failed = job(pk)
    report.add(
        scenario,
        "job failed, with the reason, on the models page",
        failed.status == Job.Status.FAILED and "stopped" in failed.error and "Retry" in page,
        failed.error[:60] + "…",
        failed_at - killed_at,
    )
    check_after(failed)
    retry = retry_over_http(lead, pk)
    done = wait_finished(retry.pk)
    survivor = runner_of(stack, done) is not runner
    report.add(
        scenario,
        "retry (HTTP) completed by another worker",
        done.status == Job.Status.DONE and survivor,
        done.error[:60],
        time.monotonic() - killed_at,
    )
    stack.start_worker()  # the supervisor restarts the killed one
    return failed, done


# ---------------------------------------------------------------------------------------
# Scenarios


def scenario_train(report: Report, stack, lead) -> None:
    from stance.models import Job, ModelVersion

    scenario = "a. kill mid-train"
    before = orm(lambda: ModelVersion.objects.get(is_active=True, kind="classifier"))

    def started():
        lead.post("/models/retrain/")
        return latest_job(Job.Kind.TRAIN).pk

    def mid_way(j):
        return j.status == Job.Status.RUNNING and j.message.startswith("Training on")

    def after(failed):
        version = failed.version
        report.add(
            scenario,
            "its half-trained version failed, never selectable",
            version is not None and version.status == ModelVersion.Status.FAILED,
            str(version),
        )
        active = ModelVersion.objects.get(is_active=True, kind="classifier")
        report.add(scenario, "active version unchanged", active == before, str(active))

    _, done = kill_mid_job(report, stack, lead, scenario, started, mid_way, after)
    report.add(
        scenario,
        "retried candidate evaluated, not activated",
        done.version.status == "ready"
        and "editor_eval" in done.version.metrics
        and not done.version.is_active,
        str(done.version),
    )
    versions_sound(report, scenario)


def scenario_refresh(report: Report, stack, lead) -> None:
    from newsroom.models import Paragraph
    from stance.models import Job, ModelVersion, Prediction

    scenario = "b. kill mid-refresh"
    candidate = orm(
        lambda: (
            ModelVersion.objects.classifiers()
            .filter(status="ready", is_active=False)
            .latest("number")
        )
    )
    classifiable = Paragraph.objects.classifiable().count()

    def started():
        lead.post(f"/models/{candidate.pk}/activate/")
        return latest_job(Job.Kind.REFRESH).pk

    def mid_way(j):
        return j.status == Job.Status.RUNNING and 0 < j.progress < 0.5

    def after(failed):
        partial = Prediction.objects.filter(version=candidate).count()
        report.add(
            scenario,
            "killed with predictions part-written",
            0 < partial < classifiable,
            f"{partial} of {classifiable}",
        )

    kill_mid_job(report, stack, lead, scenario, started, mid_way, after)
    stored = Prediction.objects.filter(version=candidate).count()
    report.add(
        scenario,
        "after the retry every paragraph has the active version's prediction",
        stored == classifiable,
        f"{stored} of {classifiable}",
    )
    active = ModelVersion.objects.get(is_active=True, kind="classifier")
    report.add(scenario, "activated version still active", active == candidate, str(active))
    versions_sound(report, scenario)


def scenario_restart(report: Report, stack, lead, reader, labeller, cluster: str, down: float):
    from django.db import connections

    from stance.models import Job, ModelVersion

    scenario = "c. PostgreSQL restart"
    web_pid = stack.web.pid
    # A refresh in flight: roll back to the previous version (one more full refresh).
    previous = orm(
        lambda: (
            ModelVersion.objects.classifiers()
            .filter(status="ready", is_active=False)
            .latest("number")
        )
    )
    lead.post(f"/models/{previous.pk}/activate/")
    refresh = latest_job(Job.Kind.REFRESH)
    wait_for(
        lambda: (j := job(refresh.pk)).status == Job.Status.RUNNING and j.progress > 0,
        "the refresh to be running",
    )
    time.sleep(1)  # load before
    version, name = cluster.split("/")

    def pg_ctlcluster(action: str) -> subprocess.CompletedProcess:
        command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, action]
        return subprocess.run(command, capture_output=True, text=True)

    issued = time.monotonic()
    if down:  # an outage: stopped for `down` seconds
        outcome = pg_ctlcluster("stop")
        time.sleep(down)
        outcome = pg_ctlcluster("start") if outcome.returncode == 0 else outcome
        action = f"stop, {down:g} s down, start"
    else:
        outcome = pg_ctlcluster("restart")
        action = "restart"
    report.add(
        scenario,
        f"pg_ctlcluster {version} {name} {action}",
        outcome.returncode == 0,
        outcome.stderr.strip()[:60] or f"took {time.monotonic() - issued:.1f} s",
    )
    connections.close_all()  # this process's own connection died with the server
    time.sleep(5)  # load after

    gets = [(status, at) for status, at in reader.answers if at >= issued - 1]
    failed_gets = [at for status, at in gets if status != 200]
    posts = [(note, status, at) for note, status, at in labeller.answers if at >= issued - 1]
    failed_posts = [at for _, status, at in posts if status != 200]
    last_failure = max(failed_gets + failed_posts, default=issued)
    first_ok_after = min(
        (at for status, at in gets if status == 200 and at > last_failure), default=None
    )
    report.add(
        scenario,
        "the same gunicorn serves again (HTTP 200), no restart",
        first_ok_after is not None and stack.web.poll() is None and stack.web.pid == web_pid,
        f"{len(failed_gets)} of {len(gets)} GETs and {len(failed_posts)} of {len(posts)} "
        f"label POSTs failed during the outage",
        (first_ok_after - issued) if first_ok_after else None,
    )
    alive = [w for w in stack.workers if w.poll() is None]
    report.add(
        scenario,
        "task workers still running",
        len(alive) == stack.task_workers,
        f"{len(alive)} of {stack.task_workers} (of {len(stack.workers)} started)",
    )
    # The refresh the outage interrupted: failed (or, if it missed the outage, done).
    ended = wait_finished(refresh.pk)
    recovered = time.monotonic()
    if ended.status == Job.Status.FAILED:
        report.add(
            scenario,
            "interrupted refresh failed, with the reason",
            bool(ended.error),
            ended.error[:60] + "…",
            recovered - issued,
        )
        ended = wait_finished(retry_over_http(lead, refresh.pk).pk)
    report.add(
        scenario,
        "workers take tasks after the restart (refresh done)",
        ended.status == Job.Status.DONE,
        f"job {ended.pk}",
        time.monotonic() - issued,
    )
    versions_sound(report, scenario)


# ---------------------------------------------------------------------------------------


def seed_load(train_rows: int, paragraphs: int) -> list[int]:
    """Rows that make a retrain take seconds, paragraphs that make a refresh take seconds;
    the seed story's paragraphs (for the labeller)."""
    from newsroom.models import Article, Paragraph
    from newsroom.services import story_get_or_create
    from stance import selectors
    from stance.models import ModelVersion
    from stance.services.classification import paragraphs_classify
    from stance.services.training_sets import training_set_import

    texts = [(text, label) for _, text, label in selectors.training_rows_starter()]
    rows = ["id\ttext\tlabel"] + [
        f"f{i}\t{texts[i % len(texts)][0]} ({i})\t{texts[i % len(texts)][1]}"
        for i in range(train_rows)
    ]
    training_set_import(name="faults-bench.tsv", content="\n".join(rows) + "\n")
    seed = list(Article.objects.all())
    story_paragraphs = list(
        Paragraph.objects.classifiable()
        .filter(article__in=seed)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # A story of its own, so the seed story's pages (which the reader GETs) stay as they are.
    bulk = Article.objects.create(
        story=story_get_or_create(title="Archive"),
        outlet=seed[0].outlet,
        headline="Archive",
        content_hash="faults",
    )
    Paragraph.objects.bulk_create(
        (
            Paragraph(article=bulk, position=i, text=f"{texts[i % len(texts)][0]} ({i})")
            for i in range(paragraphs)
        ),
        batch_size=5000,
    )
    paragraphs_classify(
        paragraphs=Paragraph.objects.filter(article=bulk),
        version=ModelVersion.objects.get(is_active=True, kind="classifier"),
    )
    return story_paragraphs


def main() -> int:
    clusters = sorted(p.name for p in Path("/etc/postgresql").glob("*"))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lease", type=int, default=10, help="STANCE_JOB_LEASE_SECONDS")
    parser.add_argument(
        "--cluster", default=f"{clusters[-1] if clusters else '15'}/main", help="version/name"
    )
    parser.add_argument("--postgres", default=POSTGRES, help="server URL (no database)")
    parser.add_argument("--worker-command", default="task_worker")
    parser.add_argument(
        "--down", type=float, default=0, help="seconds stopped instead of a plain restart"
    )
    parser.add_argument("--train-rows", type=int, default=3000)
    parser.add_argument("--paragraphs", type=int, default=30000)
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()

    report = Report()
    stack = ProductionStack(
        database="stance_faults",
        port=args.port,
        task_workers=2,
        worker_command=args.worker_command,
        postgres=args.postgres,
    )
    stack.env["STANCE_JOB_LEASE_SECONDS"] = str(args.lease)
    version, name = args.cluster.split("/")
    started = time.monotonic()
    try:
        with stack:
            print(f"production set-up on {stack.base_url}, logs in {stack.log_dir}", flush=True)
            story_paragraphs = seed_load(args.train_rows, args.paragraphs)
            from django.contrib.auth import get_user_model

            from stance.models import Label

            lead = stack.client("datalead")
            labeller = Labeller(stack.client("editor"), story_paragraphs)
            labels_before = Label.objects.count()
            labeller.start()
            reader = Reader(
                stack.client("editor2"),
                ["/", "/stories/goff-carter/", "/stories/goff-carter/compare/", "/models/"],
            )
            reader.start()
            for run in (
                lambda: scenario_train(report, stack, lead),
                lambda: scenario_refresh(report, stack, lead),
                lambda: scenario_restart(
                    report, stack, lead, reader, labeller, args.cluster, args.down
                ),
            ):
                try:
                    run()
                except Exception as error:  # a scenario that could not finish is a failure
                    report.add("error", type(error).__name__, False, str(error)[:120])
            labeller.stop()
            reader.stop()

            editor = get_user_model().objects.get(username="editor")
            stored = {}
            for note in orm(
                lambda: list(Label.objects.filter(editor=editor).values_list("note", flat=True))
            ):
                stored[note] = stored.get(note, 0) + 1
            accepted = [note for note, status, _ in labeller.answers if status == 200]
            refused = [note for note, status, _ in labeller.answers if status != 200]
            lost = [note for note in accepted if stored.get(note) != 1]
            report.add(
                "all",
                "every label POST answered 2xx is stored, once",
                not lost,
                f"{len(accepted)} accepted, {len(lost)} lost; {len(refused)} answered an "
                f"error ({sum(1 for n in refused if n in stored)} of them stored anyway); "
                f"{Label.objects.count() - labels_before} labels stored in all",
            )
    finally:
        # Whatever happened, leave PostgreSQL running.
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "start"],
            capture_output=True,
        )
    report.print()
    failed = [row for row in report.rows if not row.ok]
    print(
        f"\n{len(report.rows) - len(failed)} of {len(report.rows)} checks passed in "
        f"{time.monotonic() - started:.0f} s (lease {args.lease} s, workers: "
        f"{args.worker_command}, cluster {args.cluster})"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
