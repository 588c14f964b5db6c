"""Where a loaded server's CPU goes: CPU seconds by group of processes, read with psutil.

With clients in a closed loop the machine is saturated, so a request's latency is set by the
machine time it costs: `closed_loop_floor` turns one into the other (Little's law).
"""

import os
from collections import Counter
from collections.abc import Callable

import psutil

GROUPS = ("web", "PostgreSQL", "Redis", "load generator")


def _group(process: psutil.Process, web: set[int]) -> str | None:
    name = process.info["name"] or ""
    if process.pid in web:
        return "web"
    if process.pid == os.getpid():
        return "load generator"  # the benchmark's own process: its client threads
    if name.startswith("postgres"):
        return "PostgreSQL"
    if name.startswith("redis-server"):
        return "Redis"
    return None


def _cpu_seconds(web_pid: int) -> Counter:
    """CPU seconds (user + system) spent so far by each of GROUPS; web is `web_pid` and its children."""
    web = {web_pid, *(child.pid for child in psutil.Process(web_pid).children(recursive=True))}
    totals = Counter()
    for process in psutil.process_iter(["name", "cpu_times"]):
        group, times = _group(process, web), process.info["cpu_times"]
        if group and times:
            totals[group] += times.user + times.system
    return totals


def cpu_spent(web_pid: int, spent: Counter, call: Callable, *args):
    """Run `call(*args)` and add the CPU seconds each group spent meanwhile to `spent`; return its result."""
    before = _cpu_seconds(web_pid)
    result = call(*args)
    after = _cpu_seconds(web_pid)
    spent.update({group: after[group] - before[group] for group in GROUPS})
    return result


def machine_time(spent: Counter, requests: int) -> float:
    """CPU seconds a request cost, all groups together."""
    return sum(spent[group] for group in GROUPS) / requests


def closed_loop_floor(spent: Counter, requests: int, clients: int) -> str:
    """The machine time a request cost, by group, and the latency it sets for `clients` in a closed loop.

    `cores` cores serve at most cores ÷ (CPU a request) requests a second, so `clients` that each
    send again when answered wait at least clients × (CPU a request) ÷ cores.
    """
    total, cores = machine_time(spent, requests), os.cpu_count() or 1
    parts = ", ".join(f"{group} {spent[group] / requests * 1000:.2f} ms" for group in GROUPS)
    return (
        f"machine time a request: {parts}; {total * 1000:.2f} ms in all, so {cores} cores serve at most "
        f"{cores / total:,.0f} a second and {clients} clients in a closed loop wait at least "
        f"{clients * total / cores * 1000:.1f} ms each"
    )
