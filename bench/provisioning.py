"""Tenant provisioning: 50 workspaces through `tenant_provision`, the one service signup uses.

Target: median <= 1 s per workspace. The public schema is migrated first, untimed.
"""

import statistics
import time

from bench import enforced, iterations
from bench.stats import ms, percentile

COUNT = iterations(50, 2)
TARGET_MEDIAN_SECONDS = 1.0


def run(env: dict[str, str]) -> bool:
    from apps.accounts.services import tenant_provision

    timings = []
    for index in range(COUNT):
        slug = f"bench-{index:03d}"
        started = time.perf_counter()
        tenant_provision(slug=slug, name=f"Bench {index}", owner_email=f"owner@{slug}.test")
        timings.append(time.perf_counter() - started)
    median, p95 = statistics.median(timings), percentile(timings, 95)
    ok = median <= TARGET_MEDIAN_SECONDS
    print(  # noqa: T201
        f"tenant provisioning: {COUNT} workspaces, median {ms(median)}, p95 {ms(p95)}, "
        f"max {ms(max(timings))}, total {sum(timings):.1f} s "
        f"[target median <= {TARGET_MEDIAN_SECONDS:.0f} s: {'met' if ok else 'MISSED'}]",
        flush=True,
    )
    return enforced(ok)
