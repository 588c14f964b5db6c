"""Timing, percentiles and one-line summaries."""

import math
import time
from collections.abc import Callable


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def timed(call: Callable):
    """How long `call()` took in seconds, and what it returned."""
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def timings(call: Callable, runs: int, *, before: Callable | None = None) -> list[float]:
    """The seconds each of `runs` calls took; `before()` runs ahead of each call, untimed."""
    seconds = []
    for _ in range(runs):
        if before is not None:
            before()
        seconds.append(timed(call)[0])
    return seconds
