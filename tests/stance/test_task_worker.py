"""stance.management.commands.task_worker: a worker's CPU priority under Linux's autogroups."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from stance.management.commands.task_worker import lower_cpu_priority

ROOT = Path(__file__).resolve().parents[2]
AUTOGROUP = Path("/proc/self/autogroup")
needs_autogroups = pytest.mark.skipif(not AUTOGROUP.exists(), reason="no Linux autogroups")

# The child lowers its priority as a worker does and prints its nice value and autogroup's
# (a process in the root autogroup, as in some containers, reads the file empty: "-").
CHILD = (
    "import os, django; django.setup(); "
    "from stance.management.commands.task_worker import lower_cpu_priority; "
    "lower_cpu_priority(5); print(os.getpriority(os.PRIO_PROCESS, 0)); "
    "print((open('/proc/self/autogroup').read().split() or ['-'])[-1])"
)


def autogroup_nice() -> str:
    """This process's autogroup nice value; "-" in the root autogroup, which reads empty."""
    return (AUTOGROUP.read_text().split() or ["-"])[-1]


def child(**popen) -> tuple[int, str]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "newsroom.settings"},
        capture_output=True,
        text=True,
        check=True,
        **popen,
    ).stdout.split()
    return int(out[0]), out[1]


@needs_autogroups
def test_a_worker_leading_its_own_session_lowers_the_sessions_autogroup_too():
    # a session of its own is an autogroup of its own, which the CPU is shared by first
    nice, group = child(start_new_session=True)
    assert nice == min(19, os.getpriority(os.PRIO_PROCESS, 0) + 5)
    assert group == str(nice)


@needs_autogroups
def test_a_worker_in_anothers_session_leaves_the_session_as_it_is():
    before = autogroup_nice()
    nice, group = child()
    assert nice == min(19, os.getpriority(os.PRIO_PROCESS, 0) + 5)
    assert group == before


def test_no_lowering_leaves_the_priority_as_it_is():
    before = os.getpriority(os.PRIO_PROCESS, 0)
    lower_cpu_priority(0)
    assert os.getpriority(os.PRIO_PROCESS, 0) == before
