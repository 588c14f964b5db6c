"""Requests and server errors per day, across the platform, for the operators' overview.

Each process counts in memory and adds its counts to Redis at most every FLUSH_SECONDS, in one
pipeline — the request path pays one Redis round trip per process and interval, not per
request. Days are UTC; Redis keeps them KEEP_DAYS. Redis unreachable: the counts wait for the
next flush (at most MAX_PENDING_DAYS kept), the request is never failed for it.
"""

import logging
import threading
import time
from collections import Counter
from datetime import date

from django.utils import timezone
from django_redis import get_redis_connection

logger = logging.getLogger(__name__)
FLUSH_SECONDS = 10.0
KEEP_DAYS = 40
MAX_PENDING_DAYS = 3
KINDS = ("requests", "errors")

_lock = threading.Lock()
_pending: Counter = Counter()
_flushed_at = time.monotonic()


def _key(day: date | str, kind: str) -> str:
    return f"luneo:traffic:{day}:{kind}"


def traffic_count(status: int) -> None:
    """Count one answered request (an error when `status` is 5xx)."""
    global _flushed_at
    day = timezone.now().date().isoformat()
    with _lock:
        _pending[(day, "requests")] += 1
        if status >= 500:
            _pending[(day, "errors")] += 1
        if time.monotonic() - _flushed_at < FLUSH_SECONDS:
            return
        _flushed_at = time.monotonic()
        counts = dict(_pending)
        _pending.clear()
    traffic_flush(counts)


def traffic_flush(counts: dict | None = None) -> None:
    """Add `counts` (or this process's pending counts) to Redis."""
    if counts is None:
        with _lock:
            counts = dict(_pending)
            _pending.clear()
    if not counts:
        return
    try:
        pipe = get_redis_connection("default").pipeline(transaction=False)
        for (day, kind), count in counts.items():
            pipe.incrby(_key(day, kind), count)
            pipe.expire(_key(day, kind), KEEP_DAYS * 86400)
        pipe.execute()
    except Exception:  # noqa: BLE001 — Redis down: keep the counts for the next flush
        logger.warning("traffic counts not flushed", exc_info=True)
        with _lock:
            _pending.update(counts)
            for day in sorted({day for day, _kind in _pending})[:-MAX_PENDING_DAYS]:
                for kind in KINDS:
                    _pending.pop((day, kind), None)


def traffic_day(day: date) -> dict[str, int]:
    """{"requests", "errors"} counted on `day` (flushed ones)."""
    values = get_redis_connection("default").mget([_key(day.isoformat(), kind) for kind in KINDS])
    return {kind: int(value or 0) for kind, value in zip(KINDS, values, strict=True)}
