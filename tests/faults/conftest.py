"""Fault tests: real `manage.py task_worker` processes against the test database.

The worker tests need PostgreSQL (row locks; SQLite's in-memory test database is not
shared with other processes) and skip on SQLite. They run with a short lease
(LEASE_SECONDS) so a killed worker's job is failed within seconds.
"""

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from stance.models import ModelVersion

REPO = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 4
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def wait_for(condition, *, timeout: float, what: str, interval: float = 0.05):
    """Poll `condition` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Workers:
    """Starts `manage.py task_worker` processes on the test database; kills them at the end."""

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.procs: dict[str, subprocess.Popen] = {}  # by worker id
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "TASKS_BACKEND": "database",
            "STANCE_JOB_LEASE_SECONDS": str(LEASE_SECONDS),
            "PYTHONUNBUFFERED": "1",
        }

    def start(self, count: int = 1) -> list[str]:
        """Start `count` workers (they import in parallel); their worker ids."""
        started = []
        for _ in range(count):
            worker_id = f"worker-{len(self.procs)}"
            with open(self.tmp_path / f"{worker_id}.log", "w") as log:
                self.procs[worker_id] = subprocess.Popen(
                    [
                        sys.executable,
                        "manage.py",
                        "task_worker",
                        "--no-reload",
                        "--interval=0.2",
                        f"--worker-id={worker_id}",
                    ],
                    cwd=REPO,
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            started.append(worker_id)
        return started

    def kill(self, worker_id: str) -> None:
        """SIGKILL: the worker gets no chance to record anything."""
        proc = self.procs[worker_id]
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)

    def alive(self, worker_id: str) -> bool:
        return self.procs[worker_id].poll() is None

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text()[-3000:]}"
            for path in sorted(self.tmp_path.glob("worker-*.log"))
        )

    def stop_all(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                proc.wait(timeout=10)
        # Their server sessions end with them; wait, so the test database can be flushed.
        with connection.cursor() as cursor:
            for _ in range(100):
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                if cursor.fetchone()[0] == 0:
                    break
                time.sleep(0.05)


@pytest.fixture
def workers(transactional_db, settings, tmp_path):
    """Worker processes on the test database; this process enqueues into it too."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: worker processes share the test database and claim tasks "
            "with row locks (run with DATABASE_URL=postgres://...)"
        )
    settings.TASKS = DATABASE_BACKEND
    settings.STANCE_JOB_LEASE_SECONDS = LEASE_SECONDS
    pool = Workers(tmp_path)
    yield pool
    pool.stop_all()


class LabelWriter(threading.Thread):
    """An editor labelling paragraphs (through the service the pages use) until stopped."""

    def __init__(self, paragraphs, editor):
        super().__init__(daemon=True)
        self.paragraphs, self.editor = paragraphs, editor
        self.created: list[int] = []
        self.errors: list[Exception] = []
        self.halt = threading.Event()

    def run(self) -> None:
        from stance.services.labels import label_create

        try:
            i = 0
            while not self.halt.is_set():
                paragraph = self.paragraphs[i % len(self.paragraphs)]
                value = "opinion" if i % 2 else "news"
                label = label_create(paragraph=paragraph, editor=self.editor, label=value)
                self.created.append(label.pk)
                i += 1
                time.sleep(0.05)
        except Exception as error:  # reported by the test
            self.errors.append(error)
        finally:
            connection.close()

    def stop(self) -> list[int]:
        self.halt.set()
        self.join(timeout=10)
        assert self.errors == []
        return self.created


def assert_versions_sound(kind: str = ModelVersion.Kind.CLASSIFIER) -> ModelVersion:
    """One active version; no version is training; every ready one has its whole artifact."""
    from stance import persistence

    versions = ModelVersion.objects.filter(kind=kind)
    assert versions.filter(is_active=True).count() == 1
    assert not versions.filter(status=ModelVersion.Status.TRAINING).exists()
    for version in versions.filter(status=ModelVersion.Status.READY):
        artifact = bytes(version.artifact or b"")
        assert artifact and hashlib.sha256(artifact).hexdigest() == version.artifact_sha256
        persistence.load(artifact)  # loads (skops, type-checked)
    return versions.get(is_active=True)
