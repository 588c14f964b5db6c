"""Soak: mixed traffic at a steady rate for a long time; nothing may fail, grow or leak.

gunicorn (config/gunicorn.py, one sync worker per core) and a Celery worker (2 processes,
queues ai and default) on the bench's own servers; open-loop load at RATE requests/s
(latency counted from when each request was due), cycling through MIX: the widget's
configuration (publishable key, Origin), API lists (`GET /api/v1/designs`, `/api/v1/products`),
dashboard pages as the logged-in owner (home, designs) and `POST /api/v1/designs` (0.5 a second;
the worker takes each design to ready).

Targets: no error (every GET 200, every POST 202, no socket error; every design ready at the end);
p50/p99 reported per kind; RSS of every server process (gunicorn, Celery, Redis) flat within
±10 %: its floor (least size sampled) in the second half of the run against the first, sampled
SAMPLES times after the warm-up. A Celery pool process is 70 MB larger while drawing an image
than between two: two single samples compare what it was doing, the floors what it keeps.
PostgreSQL connections (pg_stat_activity) and Redis clients not growing (the last sample at
most 2 above the one at half-time: a process opens some clients on its first request of a kind,
which may come after the warm-up).

`BENCH_SOAK_SECONDS` (default 600) sets the duration; `BENCH_SMOKE=1` runs 6 seconds, at a tenth
of the rate, and enforces no error only.
"""

import json
import logging
import os
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import psutil

from bench import SMOKE, enforced
from bench.api import _free_port, gunicorn
from bench.chaos import _wait_ready, worker
from bench.load import _Connection, _request_bytes
from bench.stats import ms, percentile
from bench.storefront import ORIGIN

SLUG = "bench-soak"
SECONDS = 6.0 if SMOKE else float(os.environ.get("BENCH_SOAK_SECONDS", "600"))
RATE = 10.0 if SMOKE else 100.0  # requests/s, all kinds together
CONCURRENCY = 32
WARMUP_SECONDS = min(30.0, SECONDS / 5)
SAMPLES = 20
TARGET_RSS_DRIFT = 0.10
CONNECTION_SLACK = 2
LATE_SECONDS = 30.0  # requests still unsent this long after the end are not sent: counted as errors
# 200 slots: 119 widget config, 70 API lists, 10 dashboard pages, 1 design (0.5/s at 100 req/s).
MIX = ["widget"] * 119 + ["api_designs", "api_products"] * 35 + ["home", "designs_page"] * 5 + ["post_design"]
MIX = [MIX[(index * 7) % len(MIX)] for index in range(len(MIX))]  # interleaved (7 is prime to 200)


def _say(line: str) -> None:
    print(line, flush=True)  # noqa: T201


def _setup():
    """The workspace, its keys and an owner's session: the requests of each kind, as bytes."""
    from django.db import connections
    from django.test import Client
    from django_tenants.utils import tenant_context

    from apps.accounts.services import tenant_provision
    from apps.brands.services import brand_publishable_key_create, brand_update
    from apps.products.models import Product
    from apps.products.services import catalog_seed_demo
    from apps.tenants.models import User
    from apps.tenants.services import api_key_create

    tenant = tenant_provision(slug=SLUG, name="Bench soak", owner_email=f"owner@{SLUG}.test")
    with tenant_context(tenant):
        brand = brand_update(brand=catalog_seed_demo(), allowed_origins=[ORIGIN])
        _key, publishable = brand_publishable_key_create(brand=brand)
        product_id = Product.objects.get(sku="POSTER-A").pk
        scopes = ["designs:write", "designs:read", "products:read", "catalog:read"]
        _key, secret = api_key_create(tenant=tenant, name="soak", scopes=scopes)
    client = Client(HTTP_HOST=f"{SLUG}.localhost")
    client.force_login(User.objects.get(email=f"owner@{SLUG}.test"))
    session = client.cookies["sessionid"].value
    connections.close_all()
    bearer = {"Authorization": f"Bearer {secret}"}
    page = {"Cookie": f"sessionid={session}"}
    body = json.dumps({"product": product_id, "prompt": "a fox in a misty forest"}).encode()
    host, dashboard = "localhost", f"{SLUG}.localhost"
    widget = f"/api/v1/widget/config?key={publishable}&product=POSTER-A&locale=fr"
    return {
        "widget": (_request_bytes(widget, host, {"Origin": ORIGIN}, "GET", b""), 200),
        "api_designs": (_request_bytes("/api/v1/designs", host, bearer, "GET", b""), 200),
        "api_products": (_request_bytes("/api/v1/products", host, bearer, "GET", b""), 200),
        "home": (_request_bytes("/", dashboard, page, "GET", b""), 200),
        "designs_page": (_request_bytes("/designs/", dashboard, page, "GET", b""), 200),
        "post_design": (
            _request_bytes(
                "/api/v1/designs", host, {**bearer, "Content-Type": "application/json"}, "POST", body
            ),
            202,
        ),
    }


def _traffic(port: int, requests: dict, seconds: float) -> dict:
    """Open-loop mixed load: per kind, latencies and unexpected answers; plus socket errors."""
    lock = threading.Lock()
    taken = [0]
    latencies = {kind: [] for kind in requests}
    wrong: dict[str, dict[int, int]] = {kind: {} for kind in requests}
    errors = [0]
    begin = time.perf_counter()

    def client() -> None:
        connection = None
        while True:
            with lock:
                index, taken[0] = taken[0], taken[0] + 1
            due = begin + index / RATE
            if due - begin >= seconds or time.perf_counter() - begin > seconds + LATE_SECONDS:
                break  # the end, or the server so far behind that the rest is not sent
            kind = MIX[index % len(MIX)]
            request, expected = requests[kind]
            time.sleep(max(0.0, due - time.perf_counter()))
            try:
                connection = connection or _Connection(port)
                status, keep_alive = connection.exchange(request)
            except OSError:
                status, keep_alive = 0, False
            elapsed = time.perf_counter() - due
            with lock:
                if not status:
                    errors[0] += 1
                else:
                    latencies[kind].append(elapsed)
                    if status != expected:
                        wrong[kind][status] = wrong[kind].get(status, 0) + 1
            if not keep_alive and connection is not None:
                connection.close()
                connection = None
        if connection is not None:
            connection.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "latencies": latencies,
        "wrong": wrong,
        "errors": errors[0],
        "elapsed": time.perf_counter() - begin,
    }


def _server_processes(roots: list[int]) -> dict[int, str]:
    """pid → name of the root processes and their children (gunicorn, Celery) and Redis."""
    found = {}
    for root in roots:
        try:
            process = psutil.Process(root)
        except psutil.NoSuchProcess:
            continue
        for each in [process, *process.children(recursive=True)]:
            found[each.pid] = f"{' '.join(each.cmdline()[1:4])[:60]} ({each.pid})"
    redis_pid = Path(urlsplit(os.environ["REDIS_URL"]).path).parent / "redis.pid"
    if redis_pid.exists():
        pid = int(redis_pid.read_text().strip())
        found[pid] = f"redis-server ({pid})"
    return found


def _rss(pids: dict[int, str]) -> dict[int, int]:
    sizes = {}
    for pid in pids:
        try:
            sizes[pid] = psutil.Process(pid).memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return sizes


def _connections() -> tuple[int, int]:
    """(PostgreSQL backends on the bench's database, Redis clients), the counting ones excluded."""
    import psycopg
    import redis

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        query = (
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        postgres = conn.execute(query).fetchone()[0]
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    try:
        clients = int(client.info("clients")["connected_clients"]) - 1
    finally:
        client.close()
    return postgres, clients


def _sampler(roots: list[int], stop: threading.Event, out: dict) -> None:
    """RSS and connections from the end of the warm-up, SAMPLES times over the run."""
    begin = time.monotonic()
    interval = max(1.0, (SECONDS - WARMUP_SECONDS) / SAMPLES)
    stop.wait(WARMUP_SECONDS)
    out["pids"] = _server_processes(roots)
    out["rss"], out["connections"] = [], []
    while True:
        out["rss"].append(_rss(out["pids"]))
        out["connections"].append((round(time.monotonic() - begin), *_connections()))
        if stop.wait(interval):
            return


def _rss_drift(sizes: list[int]) -> float | None:
    """The floor of the second half of the samples against the first's; None without two samples."""
    half = len(sizes) // 2
    return min(sizes[half:]) / min(sizes[:half]) - 1 if half else None


def run(env: dict[str, str]) -> bool:
    from django.test.utils import override_settings
    from django_tenants.utils import tenant_context

    from apps.designs.models import Design
    from apps.tenants.models import Tenant

    logging.getLogger("luneo.request").setLevel(logging.WARNING)
    one, five, _fifteen = os.getloadavg()
    _say(f"load average before: {one:.2f} (1 min), {five:.2f} (5 min)")
    with tempfile.TemporaryDirectory(prefix="luneo-bench-media-") as media:
        env = {**env, "MEDIA_ROOT": media}
        with override_settings(MEDIA_ROOT=media):
            requests = _setup()
            port = _free_port()
            stop, samples = threading.Event(), {}
            with worker(env, 2) as celery, gunicorn(env, port) as web:
                roots = [web.pid, celery.pid]
                sampler = threading.Thread(target=_sampler, args=(roots, stop, samples), daemon=True)
                sampler.start()
                result = _traffic(port, requests, SECONDS)
                stop.set()
                sampler.join()
                with tenant_context(Tenant.objects.get(schema_name=SLUG)):
                    pks = set(Design.objects.values_list("pk", flat=True))
                    statuses = _wait_ready(pks)
    one, five, _fifteen = os.getloadavg()
    _say(f"load average after: {one:.2f} (1 min), {five:.2f} (5 min)")
    latencies, wrong, errors = result["latencies"], result["wrong"], result["errors"]
    total = sum(len(values) for values in latencies.values())
    unsent = round(SECONDS * RATE) - total - errors
    errors += max(0, unsent)
    everything = [value for values in latencies.values() for value in values]
    _say(
        f"soak: {SECONDS:.0f} s at {RATE:.0f} req/s: {total} answers ({total / result['elapsed']:.1f}/s), "
        f"p50 {ms(percentile(everything, 50))}, p99 {ms(percentile(everything, 99))}, "
        f"socket errors and unsent {errors}"
    )
    for kind, values in latencies.items():
        _say(
            f"  {kind:<13} {len(values):>6} answers, p50 {ms(percentile(values, 50))}, "
            f"p99 {ms(percentile(values, 99))}, unexpected {wrong[kind] or 'none'}"
        )
    not_ready = sum(1 for status in statuses.values() if status != Design.Status.READY)
    _say(f"  designs: {len(statuses)} created, {len(statuses) - not_ready} ready, {not_ready} not ready")
    drifts = []
    for pid, name in samples.get("pids", {}).items():
        sizes = [sample[pid] for sample in samples["rss"] if pid in sample]
        drift = _rss_drift(sizes) if len(sizes) == len(samples["rss"]) else None
        if drift is None:
            drifts.append(1.0)  # gone, or too short a run: not shown flat
            _say(f"  RSS {name}: {len(sizes)} of {len(samples['rss'])} samples (process gone)")
            continue
        drifts.append(abs(drift))
        low, high = min(sizes) / 2**20, max(sizes) / 2**20
        _say(f"  RSS {name}: floor {drift:+.1%} from the first half to the second; {low:.1f}–{high:.1f} MB")
    series = samples.get("connections", [])
    _say("  connections (s, PostgreSQL, Redis): " + ", ".join(f"({t}, {pg}, {rd})" for t, pg, rd in series))
    first, last = series[len(series) // 2], series[-1]  # from half-time: lazily opened ones are in
    no_growth = last[1] <= first[1] + CONNECTION_SLACK and last[2] <= first[2] + CONNECTION_SLACK
    clean = errors == 0 and not any(wrong.values()) and not_ready == 0
    flat = bool(drifts) and max(drifts) <= TARGET_RSS_DRIFT
    _say(
        f"{'PASS' if clean and enforced(flat and no_growth) else 'FAIL'} soak: errors "
        f"{errors + sum(sum(v.values()) for v in wrong.values()) + not_ready} "
        f"[target 0: {'met' if clean else 'MISSED'}]; RSS drift max {max(drifts, default=0):.1%} "
        f"[target ±{TARGET_RSS_DRIFT:.0%}: {'met' if flat else 'MISSED'}]; "
        f"connections {first[1:]} → {last[1:]} [no growth: {'met' if no_growth else 'MISSED'}]"
    )
    return clean and enforced(flat and no_growth)  # a few seconds say nothing about growth
