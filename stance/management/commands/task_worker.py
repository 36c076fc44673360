"""`manage.py task_worker`: django-tasks-db's `db_worker`, as it is, kept alive and reaping.

It takes `db_worker`'s options and runs its `handle()` unchanged (same task claiming: a
row lock with SKIP LOCKED, so with any number of workers each task runs once), with two
things around it rather than inside it:

- Losing the database (PostgreSQL restarting or down, a dropped connection) ends
  `db_worker` with the error; here the worker logs it, waits 1, 2, 4 ... 15 s and
  starts `db_worker` again with the same options and worker id. A task the outage
  interrupted fails; if it ran a job, the job is failed (as soon as the database is
  back, or else when its lease runs out) and can be retried. With --reload (the default
  when DEBUG is on) the autoreloader runs the worker in a thread of its own, so a lost
  database stops it until the next code change, as with `db_worker`: production runs
  with DEBUG off.
- A reaper thread (stance.jobs.jobs_reap_forever) fails the jobs whose worker died,
  when the worker starts and every half lease, so they are failed and retryable even if
  nobody opens the models page (which reaps too).

It also lowers its own CPU priority by TASK_WORKER_NICE (10): a 300,000-character
analysis or a retrain on the app servers' machine then takes the CPU they leave, instead
of stalling their pages (on a quiet machine it runs as fast as before). See
lower_cpu_priority for Linux's autogroups, where a nice value alone does not do that.
"""

import contextlib
import logging
import os
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.management.commands import db_worker

from stance import jobs

logger = logging.getLogger("django_tasks_db")

MAX_BACKOFF_SECONDS = 15

AUTOGROUP = Path("/proc/self/autogroup")


def lower_cpu_priority(nice: int) -> None:
    """Lower this process's CPU priority by `nice` (os.nice), and, when it leads a session
    of its own, its session's too.

    Linux with autogroup scheduling (kernel.sched_autogroup_enabled, on by default in most
    distributions) shares the CPU between sessions first and applies a nice value only
    among the processes of one session: a worker started in a session of its own (setsid,
    a supervisor, the load bench's stack) at nice 10 still took as much CPU as all the app
    server's processes together. Its session's autogroup gets the same nice value (which
    an unprivileged process may raise). A worker sharing its session with others (`make
    run`'s) leaves the session as it is: its own nice value ranks it among them.
    """
    if nice <= 0 or not hasattr(os, "nice"):
        return
    niceness = os.nice(nice)
    if os.getsid(0) != os.getpid():
        return
    with contextlib.suppress(OSError):  # no autogroups (another kernel): nice is enough
        AUTOGROUP.write_text(str(niceness))


class Command(db_worker.Command):
    help = (
        "Run a database background worker (db_worker) that survives database restarts "
        "and fails the jobs of workers that died."
    )

    def handle(self, *args, **options) -> None:
        lower_cpu_priority(settings.TASK_WORKER_NICE)
        interval = settings.STANCE_JOB_LEASE_SECONDS / 2
        threading.Thread(
            target=jobs.jobs_reap_forever, args=(interval,), name="reaper", daemon=True
        ).start()
        delay, last_failure = 1.0, 0.0
        while True:
            try:
                return super().handle(*args, **options)
            except (OperationalError, InterfaceError) as error:
                now = time.monotonic()
                if now - last_failure > 60:  # a new outage, not the same one
                    delay = 1.0
                last_failure = now
                reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
                logger.warning(
                    "Worker %s lost the database (%s); trying again in %.0f s",
                    options.get("worker_id"),
                    reason,
                    delay,
                )
                connections.close_all()
                time.sleep(delay)
                delay = min(2 * delay, MAX_BACKOFF_SECONDS)
