"""Cache entries that many requests want at the same moment, computed once.

After a change (a label, an edit, an activation) every open page misses its entry at once:
one thread per process computes while the others wait for its result instead of computing
it again (ComputedOnce); a page is rendered by one caller in all processes while the
others show its latest rendering (RenderedOnce).
"""

import hashlib
import threading
import time
import zlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core import checks
from django.core.cache import cache

T = TypeVar("T")


def digest(parts) -> str:
    """A cache key's fingerprint of `parts` (their repr): the state a cached entry shows."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


class ComputedOnce:
    """One pool of locks per kind of entry. An entry computed while another kind's lock is
    held (a page that renders a comparison) must take its lock from another pool, or two
    threads could each wait for the other's lock."""

    def __init__(self, locks: int = 32):
        self._locks = [threading.Lock() for _ in range(locks)]

    def __call__(self, key: str, compute: Callable[[], tuple[T, int]]) -> T:
        """The cached value under `key`; on a miss, `compute()`'s value, kept for the seconds
        it gives with it."""
        found = cache.get(key)
        if found is None:
            with self._locks[zlib.crc32(key.encode()) % len(self._locks)]:
                found = cache.get(key)
                if found is None:
                    found, seconds = compute()
                    cache.set(key, found, seconds)
        return found


class RenderedOnce:
    """Pages that every open browser asks for again after each change, rendered by one
    caller at a time in all processes (a `cache.add` lock in the shared cache).

    While one caller renders the page of a new state, the others are given the latest
    rendering of the same page (kept under `latest_key`, whatever its state), flagged as
    not current, instead of waiting: a page never stalls behind a render, and a change
    costs one render, not one per process. Without an earlier rendering they wait for the first
    rendering of any of its states.
    """

    def __init__(self, lock_seconds: int = 30, latest_seconds: int = 300):
        self.lock_seconds = lock_seconds
        self.latest_seconds = latest_seconds

    def __call__(
        self,
        key: str,
        latest_key: str,
        compute: Callable[[], tuple[T, int]],
        *,
        latest_ok: bool = True,
    ) -> tuple[T, bool]:
        """(the value under `key`, True); on a miss, `compute()`'s value (kept for the
        seconds it gives), or while another caller computes it, (the latest value, False)."""
        found = cache.get(key)
        if found is not None:
            return found, True
        lock = f"{key}:rendering"
        owned = cache.add(lock, 1, self.lock_seconds)
        if not owned:
            found, current = self._wait(key, latest_key if latest_ok else None, lock)
            if found is not None:
                return found, current
        try:  # the renderer, or a waiter whose renderer gave up
            found, seconds = compute()
            cache.set(key, found, seconds)
            cache.set(latest_key, found, max(seconds, self.latest_seconds))
        finally:
            if owned:
                cache.delete(lock)
        return found, True

    def _wait(self, key: str, latest_key: str | None, lock: str) -> tuple[T | None, bool]:
        """(the value, True) once the caller holding `lock` has stored it, or as soon as
        there is one, (the latest value, False) (the first rendering of a page that keeps
        changing is shown as soon as any of its states is done); (None, True) if the
        caller gave up."""
        keys = [key] if latest_key is None else [key, latest_key]
        deadline = time.monotonic() + self.lock_seconds
        while True:
            found = cache.get_many(keys)
            if key in found:
                return found[key], True
            if latest_key in found:
                return found[latest_key], False
            if time.monotonic() > deadline or cache.get(lock) is None:
                return None, True
            time.sleep(0.05)


LOCAL_CACHE_WARNING = (
    "TASKS_BACKEND=database runs tasks in task_worker processes, but CACHE_URL gives each "
    "process a memory cache of its own: the alignments and explanations the workers work "
    "out never reach the pages, which keep showing them pending."
)
LOCAL_CACHE_HINT = (
    "Share one cache between the app server and its workers: CACHE_URL=redis://HOST:PORT/DB, "
    "or CACHE_URL=file:///FOLDER on one machine (what `make run` does)."
)


def check_shared_cache(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """System check: task workers hand results to the pages through the cache, so with
    worker processes it must be one cache for all."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.TASKS_BACKEND != "database" or not backend.endswith("LocMemCache"):
        return []
    return [checks.Warning(LOCAL_CACHE_WARNING, hint=LOCAL_CACHE_HINT, id="stance.W001")]
