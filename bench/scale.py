"""1,000 workspaces: provisioning rate, one migration across all, API overhead, beat fan-out.

- Provisioning: COUNT workspaces through `tenant_provision` (cloned from the template schema,
  built first, untimed); the rate in workspaces per second.
- Migration: a tenant app's one no-op migration (bench/scale_app, installed by
  BENCH_SCALE_MIGRATION=1) applied to every schema by `migrate_schemas --tenant
  --executor=multiprocessing` (TENANT_MULTIPROCESSING_MAX_PROCESSES=2). Target <= 5 min.
- API: `GET /api/v1/me` with a secret key, in-process (Django's test client), median of REQUESTS
  with 1 workspace and with COUNT. Target: <= 1.1x.
- Beat: the per-workspace jobs' work for every workspace (the analytics rollup, the webhooks
  sweep), run in-process one schema after the other as one worker would, against their interval.

BENCH_SMOKE=1: 20 workspaces, no target enforced.
"""

import logging
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import SMOKE, enforced, iterations
from bench.stats import ms, percentile

COUNT = iterations(1000, 20)
REQUESTS = iterations(300, 20)
TARGET_MIGRATION_SECONDS = 300
TARGET_API_RATIO = 1.1
BASE_DIR = Path(__file__).resolve().parent.parent
JOBS = {  # task, interval in seconds (apps/core/schedules.py)
    "analytics rollup": ("apps.analytics.tasks.rollup_catch_up_task", 15 * 60),
    "webhooks sweep": ("apps.webhooks.tasks.deliveries_sweep_task", 5 * 60),
}


def _api_median(client, headers: dict[str, str]) -> float:
    from django.db import connection

    for _ in range(max(REQUESTS // 10, 2)):  # warm-up
        client.get("/api/v1/me", **headers)
    timings = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get("/api/v1/me", **headers)
        timings.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"/api/v1/me answered {response.status_code}: {response.content[:200]!r}")
    connection.set_schema_to_public()  # the request left its workspace's schema active
    return statistics.median(timings)


def _fan_out(task_name: str) -> float:
    """Seconds for one worker to run the job in every active workspace."""
    from django.utils.module_loading import import_string
    from django_tenants.utils import schema_context

    from apps.core.tasks import schemas_active

    task = import_string(task_name)
    started = time.perf_counter()
    for schema in schemas_active():
        with schema_context(schema):
            task.apply()
    return time.perf_counter() - started


def run(env: dict[str, str]) -> bool:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from apps.accounts.services import tenant_provision
    from apps.tenants.services import api_key_create
    from apps.tenants.template import template_refresh

    load = os.getloadavg
    logging.getLogger("celery.app.trace").setLevel(logging.WARNING)  # a line per task and workspace
    call_command("tenant_template", verbosity=0)
    first = tenant_provision(slug="scale-0000", name="Scale 0", owner_email="owner@scale-0000.test")
    _, raw = api_key_create(tenant=first, name="bench", scopes=["account:read"])
    connection.set_schema_to_public()
    client = Client(HTTP_HOST="127.0.0.1")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    api_one = _api_median(client, headers)
    beat_one = {label: _fan_out(task) for label, (task, _) in JOBS.items()}

    timings = []
    started = time.perf_counter()
    for index in range(1, COUNT):
        slug = f"scale-{index:04d}"
        begun = time.perf_counter()
        tenant_provision(slug=slug, name=f"Scale {index}", owner_email=f"owner@{slug}.test")
        timings.append(time.perf_counter() - begun)
    provisioning = time.perf_counter() - started
    print(  # noqa: T201
        f"provisioning: {COUNT - 1} workspaces in {provisioning:.0f} s = {(COUNT - 1) / provisioning:.1f}/s, "
        f"median {ms(statistics.median(timings))}, p95 {ms(percentile(timings, 95))} "
        f"(load average {load()[0]:.1f})",
        flush=True,
    )

    connection.set_schema_to_public()
    api_many = _api_median(client, headers)
    ratio = api_many / api_one
    print(  # noqa: T201
        f"GET /api/v1/me median: {ms(api_one)} with 1 workspace, {ms(api_many)} with {COUNT} = {ratio:.2f}x "
        f"[target <= {TARGET_API_RATIO}x: {'met' if ratio <= TARGET_API_RATIO else 'MISSED'}] "
        f"(load average {load()[0]:.1f})",
        flush=True,
    )
    for label, (task, interval) in JOBS.items():
        seconds = _fan_out(task)
        print(  # noqa: T201
            f"beat {label}: {beat_one[label] * 1000:.0f} ms for 1 workspace, {seconds:.1f} s for {COUNT} "
            f"on one worker = {seconds / interval:.1%} of its {interval // 60} min interval "
            f"(load average {load()[0]:.1f})",
            flush=True,
        )

    command = [sys.executable, "manage.py", "migrate_schemas", "--tenant", "--executor=multiprocessing"]
    migration_env = {**env, "BENCH_SCALE_MIGRATION": "1", "TENANT_MULTIPROCESSING_MAX_PROCESSES": "2"}
    started = time.perf_counter()
    subprocess.run(command + ["-v", "0"], cwd=BASE_DIR, env=migration_env, check=True)
    migration = time.perf_counter() - started
    ok_migration = migration <= TARGET_MIGRATION_SECONDS
    print(  # noqa: T201
        f"one new migration across {COUNT} workspaces (2 processes, template rebuilt after): "
        f"{migration:.0f} s [target <= {TARGET_MIGRATION_SECONDS // 60} min: "
        f"{'met' if ok_migration else 'MISSED'}] (load average {load()[0]:.1f})",
        flush=True,
    )
    template_refresh()  # back to this process's migrations, for the benchmarks after this one
    return enforced(ok_migration and ratio <= TARGET_API_RATIO) or SMOKE
