"""Tenant provisioning: workspaces through `tenant_provision`, the one service signup uses.

- Warm (the target): TENANT_SPARE_SCHEMAS=3 spares cloned ahead from the template; each signup
  renames one (apps/tenants/template.py). What production's worker does after each signup, the
  refill (one clone, ~0.3-1 s), runs here between signups, untimed: the timed part is the signup
  alone (spare taken and renamed, tenant, domain, owner, subscription, the refill task queued).
- Cold: no spare, each schema cloned from the template at signup (a burst of signups faster than
  the refill, or the pool turned off).

The template is built first, untimed, with the public schema. Target: warm median <= 150 ms
(p95 reported). The machine's load average (1, 5, 15 min) is printed: other work may share it.
"""

import statistics
import time
from pathlib import Path

from bench import enforced, iterations
from bench.stats import ms, percentile

COUNT = iterations(50, 2)
COLD_COUNT = iterations(20, 2)
SPARES = 3
TARGET_MEDIAN_SECONDS = 0.150


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _signups(prefix: str, count: int, *, between=None) -> list[float]:
    from apps.accounts.services import tenant_provision

    timings = []
    for index in range(count):
        if between is not None:
            between()
        slug = f"{prefix}-{index:03d}"
        started = time.perf_counter()
        tenant_provision(slug=slug, name=f"Bench {index}", owner_email=f"owner@{slug}.test")
        timings.append(time.perf_counter() - started)
    return timings


def _summary(label: str, timings: list[float]) -> str:
    return (
        f"tenant provisioning, {label}: {len(timings)} workspaces, median {ms(statistics.median(timings))}, "
        f"p95 {ms(percentile(timings, 95))}, max {ms(max(timings))}"
    )


def run(env: dict[str, str]) -> bool:
    from django.core.management import call_command
    from django.test import override_settings

    from apps.tenants.models import SpareSchema
    from apps.tenants.template import spares_drop, spares_refill
    from config.celery import app

    call_command("tenant_template", verbosity=0)
    print(f"load average before: {load_average()}", flush=True)  # noqa: T201
    with override_settings(TENANT_SPARE_SCHEMAS=SPARES):
        spares_refill()
        refills = []  # how many spares each refill cloned: 1 after each signup, if it took one
        warm = _signups("bench-warm", COUNT, between=lambda: refills.append(spares_refill()))
        taken = refills[1:] == [1] * (COUNT - 1) and SpareSchema.objects.count() == SPARES - 1
        spares_drop()
    app.control.purge()  # the refills the signups queued: no worker runs here
    cold = _signups("bench-cold", COLD_COUNT)
    median = statistics.median(warm)
    ok = median <= TARGET_MEDIAN_SECONDS and taken
    print(  # noqa: T201
        f"{_summary('warm (a spare renamed)', warm)} "
        f"[target median <= {ms(TARGET_MEDIAN_SECONDS)}: {'met' if ok else 'MISSED'}]\n"
        f"{_summary('cold (template cloned)', cold)}\n"
        f"load average after: {load_average()}",
        flush=True,
    )
    return enforced(ok)
