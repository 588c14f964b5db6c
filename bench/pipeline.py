"""The design pipeline end to end, with real Celery workers, and `POST /api/v1/designs` under load.

A workspace with the demo catalog (its 250 × 200 mm poster, one view, 300 DPI) and the offline
AI provider. Designs go through `design_create`, as the API and the dashboard make them; worker
processes (`celery -A config worker -Q ai,default`) run moderate → generate → composite →
export. Per design: the time from `design_create` to its preview asset existing and to `ready`
(the database polled every 50 ms). As many designs in flight as worker processes (1, then 2),
so the figures are a design's latency, not time spent waiting behind other designs.

Then `POST /api/v1/designs` under gunicorn (config/gunicorn.py, 16 clients, loopback), with no
worker running: each answer is a row plus a queued task; the queue is purged afterwards. 16
clients that each send again as soon as answered keep the server saturated, so their latency is
16 ÷ the throughput (Little's law); the same POST at OPEN_RATE requests a second, arriving on a
schedule as a shop's shoppers do, shows a request's own latency (printed, no target). The CPU
a create costs, by process (bench/cpu.py), is printed with the closed loop's floor it sets.
Targets: preview p95 <= 1.5 s, ready p95 <= 4 s, POST p99 <= 30 ms (16 clients).
"""

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from bench import SMOKE, enforced, iterations
from bench.api import SERVER, _free_port, _summary, gunicorn
from bench.cpu import closed_loop_floor, cpu_spent, machine_time
from bench.load import Load, generate
from bench.stats import ms, percentile

BASE_DIR = Path(__file__).resolve().parent.parent
SLUG = "bench-pipeline"
DESIGNS = iterations(12, 2)  # timed, per worker count
WORKER_COUNTS = (1,) if SMOKE else (1, 2)
POLL_SECONDS = 0.05
DESIGN_TIMEOUT_SECONDS = 60
REQUESTS = iterations(1000, 30)  # per round
ROUNDS = iterations(3)
WARMUP_REQUESTS = iterations(300, 10)
CONCURRENCY = 16
OPEN_RATE = 100  # requests a second
OPEN_REQUESTS = iterations(1500, 20)
TARGET_PREVIEW_SECONDS = 1.5
TARGET_READY_SECONDS = 4.0
TARGET_POST_P99_SECONDS = 0.030
BARE_PATH = "/bench/bare"  # the baseline: a bare Django JSON view, every middleware (bench/urls.py)
BARE_LABEL = "GET /bench/bare (bare JSON view, full middleware)"
POST_LABEL = "POST /api/v1/designs (secret key, DRF, row + queued task)"
PROMPTS = ["a fox in a misty forest", "lighthouse at dawn", "geometric koi pond", "mountain sunrise"]


@contextlib.contextmanager
def workers(env: dict[str, str], concurrency: int) -> Iterator[None]:
    """A Celery worker with `concurrency` prefork processes on the pipeline's queues."""
    log = tempfile.NamedTemporaryFile(prefix="luneo-bench-worker-", suffix=".log", delete=False)
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "ai,default",
        "--concurrency", str(concurrency), "--hostname", f"bench-pipeline-{concurrency}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "WARNING",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        Path(log.name).unlink(missing_ok=True)


def _create(product_id: int, index: int) -> tuple[int, float]:
    from apps.designs.services import design_create

    started = time.perf_counter()
    design = design_create(product=product_id, prompt=PROMPTS[index % len(PROMPTS)])
    return design.pk, started


def _push(product_id: int, count: int, in_flight: int) -> tuple[list[float], list[float], int]:
    """`count` designs, `in_flight` at a time; their preview and ready latencies and failures."""
    from apps.designs.models import Design, DesignAsset

    previews, readies, failures = [], [], 0
    pending: dict[int, float] = {}
    previewed: set[int] = set()
    created = 0
    deadline = time.monotonic() + DESIGN_TIMEOUT_SECONDS * count
    while created < count or pending:
        while created < count and len(pending) < in_flight:
            pk, started = _create(product_id, created)
            pending[pk] = started
            created += 1
        time.sleep(POLL_SECONDS)
        now = time.perf_counter()
        with_preview = DesignAsset.objects.filter(
            design__in=pending, kind=DesignAsset.Kind.PREVIEW_JPG
        ).values_list("design_id", flat=True)
        for pk in set(with_preview) - previewed:
            previewed.add(pk)
            previews.append(now - pending[pk])
        for pk, status in Design.objects.filter(pk__in=pending).values_list("pk", "status"):
            if status == Design.Status.READY:
                readies.append(now - pending.pop(pk))
            elif status in (Design.Status.FAILED, Design.Status.REJECTED):
                failures += 1
                pending.pop(pk)
        if time.monotonic() > deadline:
            raise RuntimeError(f"designs {sorted(pending)} not ready in time; is the worker running?")
    return previews, readies, failures


def _pipeline(env: dict[str, str], product_id: int, concurrency: int) -> bool:
    with workers(env, concurrency):
        _push(product_id, concurrency, concurrency)  # warm-up: worker processes up, fonts loaded
        started = time.perf_counter()
        previews, readies, failures = _push(product_id, DESIGNS, concurrency)
        elapsed = time.perf_counter() - started
    preview_p95, ready_p95 = percentile(previews, 95), percentile(readies, 95)
    ok_preview, ok_ready = preview_p95 <= TARGET_PREVIEW_SECONDS, ready_p95 <= TARGET_READY_SECONDS
    print(  # noqa: T201
        f"pipeline, {concurrency} worker process(es), {DESIGNS} designs ({concurrency} in flight): "
        f"preview p50 {ms(percentile(previews, 50))} p95 {ms(preview_p95)}; "
        f"ready p50 {ms(percentile(readies, 50))} p95 {ms(ready_p95)}; "
        f"{DESIGNS / elapsed * 60:.0f} designs/min, failures {failures} "
        f"[preview <= {TARGET_PREVIEW_SECONDS} s: {'met' if ok_preview else 'MISSED'}; "
        f"ready <= {TARGET_READY_SECONDS:.0f} s: {'met' if ok_ready else 'MISSED'}]",
        flush=True,
    )
    return enforced(ok_preview and ok_ready) and not failures


def _post_load(env: dict[str, str], secret: str, product_id: int) -> bool:
    from config.celery import app

    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    body = json.dumps({"product": product_id, "prompt": PROMPTS[0]}).encode()
    port = _free_port()

    def post(requests: int, rate: float | None = None) -> Load:
        return generate(
            port=port,
            path="/api/v1/designs",
            headers=headers,
            method="POST",
            body=body,
            requests=requests,
            concurrency=CONCURRENCY,
            rate=rate,
        )

    def bare(requests: int) -> Load:
        return generate(port=port, path=BARE_PATH, requests=requests, concurrency=CONCURRENCY)

    try:
        with gunicorn(env, port) as web:
            post(WARMUP_REQUESTS)
            bare(WARMUP_REQUESTS)
            loads = {send: Load() for send in (bare, post)}
            spent = {send: Counter() for send in (bare, post)}
            for _round in range(ROUNDS):  # interleaved, so that a slow moment hits both alike
                for send, load in loads.items():
                    load.add(cpu_spent(web.pid, spent[send], send, REQUESTS))
            scheduled = post(OPEN_REQUESTS, rate=OPEN_RATE)
    finally:
        app.control.purge()  # the queued pipelines: no worker will ever run them
    load, baseline = loads[post], loads[bare]
    p99, bare_p99 = percentile(load.latencies, 99), percentile(baseline.latencies, 99)
    ok = p99 <= TARGET_POST_P99_SECONDS
    expected = ((load, 202), (scheduled, 202), (baseline, 200))
    clean = all(set(run.statuses) == {status} and not run.errors for run, status in expected)
    for label, send in ((BARE_LABEL, bare), (POST_LABEL, post)):
        print(_summary(label, loads[send]), flush=True)  # noqa: T201
        print(f"  {closed_loop_floor(spent[send], len(loads[send].latencies), CONCURRENCY)}", flush=True)  # noqa: T201
    print(_summary(f"POST /api/v1/designs at {OPEN_RATE} req/s, open loop", scheduled), flush=True)  # noqa: T201
    cost = machine_time(spent[post], len(load.latencies)) / machine_time(spent[bare], len(baseline.latencies))
    print(  # noqa: T201
        f"POST /api/v1/designs p99 {ms(p99)} = {p99 / bare_p99:.2f}x the bare view's; a create costs "
        f"{cost:.2f}x the bare view's machine time "
        f"[target <= 30 ms: {'met' if ok else 'MISSED'}; all 202: {'yes' if clean else 'NO'}] "
        f"({SERVER}, {CONCURRENCY} clients, loopback)",
        flush=True,
    )
    return enforced(ok) and clean


def _load_average(moment: str) -> None:
    one, five, _fifteen = os.getloadavg()
    print(f"load average {moment}: {one:.2f} (1 min), {five:.2f} (5 min)", flush=True)  # noqa: T201


def run(env: dict[str, str]) -> bool:
    from django.db import connections
    from django.test.utils import override_settings
    from django_tenants.utils import tenant_context

    from apps.accounts.services import tenant_provision
    from apps.products.models import Product
    from apps.products.services import catalog_seed_demo
    from apps.tenants.services import api_key_create

    _load_average("before")
    with tempfile.TemporaryDirectory(prefix="luneo-bench-media-") as media:
        env = {**env, "MEDIA_ROOT": media}
        with override_settings(MEDIA_ROOT=media):
            tenant = tenant_provision(slug=SLUG, name="Bench pipeline", owner_email=f"owner@{SLUG}.test")
            with tenant_context(tenant):
                catalog_seed_demo()
                product_id = Product.objects.get(sku="POSTER-A").pk
                _key, secret = api_key_create(tenant=tenant, name="bench", scopes=["designs:write"])
                connections.close_all()
                results = [_pipeline(env, product_id, count) for count in WORKER_COUNTS]
            results.append(_post_load(env, secret, product_id))
    _load_average("after")
    return all(results)
