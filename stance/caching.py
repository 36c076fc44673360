"""Cache entries that many requests want at the same moment, computed once per process.

After a change (a label, an edit, an activation) every open page misses its entry at once:
one thread per process computes while the others wait for its result instead of computing
it again.
"""

import threading
import zlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")


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
