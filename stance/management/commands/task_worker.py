"""`manage.py task_worker`: django-tasks-db's `db_worker`, fit for production.

Same options and the same task claiming (one row lock per task, SKIP LOCKED, so with
any number of workers each task runs once). Two additions:

- Losing the database (PostgreSQL restarting or down, a dropped connection) does not
  end the process, as it ends `db_worker` when a poll finds the database unreachable:
  the worker logs it, waits 1, 2, 4 ... 15 s and carries on. A task the outage
  interrupted fails; if it ran a job, the job is failed (as soon as the database is
  back, or else when its lease runs out) and can be retried.
- A reaper thread fails the jobs whose worker died (stance.jobs.jobs_reap) when the
  worker starts and every half lease, so they are failed and retryable even if nobody
  opens the models page (which reaps too).
"""

import logging
import os
import threading
import time

from django.conf import settings
from django.core.management.base import CommandError
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
    connections,
)
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from stance import jobs

logger = logging.getLogger("django_tasks_db")

MAX_BACKOFF_SECONDS = 15


class Worker(db_worker.Worker):
    def run(self) -> None:
        delay, last_failure = 1.0, 0.0
        while self.running:
            try:
                return super().run()  # returns only in --batch / --max-tasks mode
            except (OperationalError, InterfaceError) as error:
                now = time.monotonic()
                if now - last_failure > 60:  # a new outage, not the same one
                    delay = 1.0
                last_failure = now
                reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
                logger.warning(
                    "Worker %s lost the database (%s); trying again in %.0f s",
                    self.worker_id,
                    reason,
                    delay,
                )
                connections.close_all()
                time.sleep(delay)
                delay = min(2 * delay, MAX_BACKOFF_SECONDS)


def reap_forever(interval: float) -> None:
    while True:
        try:
            close_old_connections()  # health-checked again: survives a restart
            jobs.jobs_reap()
        except DatabaseError as error:  # down: the next round tries again
            logger.warning("Reaping jobs failed: %s", error)
            connection.close()
        time.sleep(interval)


class Command(db_worker.Command):
    help = (
        "Run a database background worker (db_worker) that survives database restarts "
        "and fails the jobs of workers that died."
    )

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options,
    ) -> None:
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":  # the child runs the worker
                worker.configure_signals()
                self._start_reaper()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            self._start_reaper()
            worker.run()

    def _start_reaper(self) -> None:
        interval = settings.STANCE_JOB_LEASE_SECONDS / 2
        threading.Thread(target=reap_forever, args=(interval,), name="reaper", daemon=True).start()
