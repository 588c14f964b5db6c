"""A small per-process cache with expiry, for hot reads that may be a few seconds stale.

Each process keeps its own entries (no network round trip); when full it starts afresh.
"""

import time
from typing import Any

MISSING = object()


class ProcessCache:
    def __init__(self, *, seconds: float, max_size: int = 10_000):
        self.seconds, self.max_size = seconds, max_size
        self._entries: dict[Any, tuple[float, Any]] = {}

    def get(self, key, default=MISSING):
        expires, value = self._entries.get(key, (0.0, MISSING))
        return value if expires > time.monotonic() else default

    def set(self, key, value) -> None:
        if len(self._entries) >= self.max_size:
            self._entries.clear()
        self._entries[key] = (time.monotonic() + self.seconds, value)

    def forget(self, key=MISSING) -> None:
        """Drop one entry, or all of them."""
        if key is MISSING:
            self._entries.clear()
        else:
            self._entries.pop(key, None)
