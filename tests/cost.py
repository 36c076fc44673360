"""Helpers for tests that compare what a step costs at two sizes (pure, no Django)."""

import contextlib
import signal
import time
from pathlib import Path

SEED = Path(__file__).resolve().parents[1] / "newsroom" / "seed" / "goff-carter"


def long_paragraph(size: int) -> str:
    """One paragraph of `size` characters: the seed story's two pieces run together again
    and again (quotations, reported speech, names, pronouns), with no blank line."""
    text = " ".join(
        line.strip()
        for name in ("herald-report.txt", "armstrong-column.txt")
        for line in (SEED / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    )
    return ((text + " ") * (size // (len(text) + 1) + 1))[:size]


class OverBudget(AssertionError):
    pass


def cpu_seconds(call, budget: float | None = None) -> float:
    """The CPU time of call(), the better of two runs (another process on the machine
    slows one). With a `budget` (CPU seconds), a run still going past it is stopped with
    OverBudget, so a step that grew quadratic fails at once instead of running for hours."""
    best = float("inf")
    for _ in range(2):
        started = time.process_time()
        if budget is None:
            call()
        else:
            with _cpu_limit(budget):
                call()
        best = min(best, time.process_time() - started)
    return best


@contextlib.contextmanager
def _cpu_limit(seconds: float):
    def over(signum, frame):
        raise OverBudget(f"still running after {seconds:.2f} CPU seconds")

    previous = signal.signal(signal.SIGPROF, over)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def linear(step, small: int, large: int, slack: float = 2.5) -> tuple[float, float]:
    """CPU seconds of step(text) on long_paragraph(small) and long_paragraph(large). Fails
    when the large costs more than `slack` times its share of length (plus half a second for
    noise): a linear step passes, a quadratic one (large/small times worse again) cannot."""
    small_text, large_text = long_paragraph(small), long_paragraph(large)
    small_s = cpu_seconds(lambda: step(small_text))
    budget = slack * (large / small) * small_s + 0.5
    large_s = cpu_seconds(lambda: step(large_text), budget=budget)
    assert large_s < budget, f"{small:,} characters {small_s:.2f} s, {large:,} {large_s:.2f} s"
    return small_s, large_s
