"""A task that only records that it ran, to count executions across worker processes."""

import os
import time

from django_tasks import task


@task()
def record_run(path: str, number: int) -> int:
    time.sleep(0.01)  # long enough that several workers are busy at once
    with open(path, "a") as out:  # O_APPEND: one short line is written whole
        out.write(f"{number} {os.getpid()}\n")
    return number
