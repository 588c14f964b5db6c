"""Benchmarks: `make bench` runs them all on throwaway embedded servers (`python -m bench`).

One alone: `make bench-provisioning`, or `python -m config.embedded exec --throwaway --
python -m bench provisioning`. They work in a database of their own (`<name>_bench`, dropped
after), never in the one `make run` uses. Figures are recorded in docs/performance.md.

`BENCH_SMOKE=1` (`make bench-smoke`) runs every benchmark with a handful of iterations and
enforces no timing target: it only proves that each still runs to the end.
"""

import os

SMOKE = os.environ.get("BENCH_SMOKE", "") not in ("", "0")


def iterations(full: int, smoke: int = 1) -> int:
    """How many times to repeat something: `full` in a measuring run, `smoke` under BENCH_SMOKE=1."""
    return smoke if SMOKE else full


def enforced(met: bool) -> bool:
    """A timing target's share of the exit status: none in a smoke run, whose figures mean nothing."""
    return met or SMOKE
