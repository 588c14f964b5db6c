"""`GET /api/v1/me` under load against a bare Django JSON view, both served the same way.

The production HTTP path: gunicorn with its production settings (config/gunicorn.py), one sync
worker per core, on loopback, in the same run.
The request carries a real secret key made by `manage.py create_api_key`.
Targets: /api/v1/me p99 <= 15 ms and <= 1.3x the bare view's p99 (the bare view on a page's
path, every middleware). The bare view on an API path (the middleware API calls run) is printed
too: /me over it is what DRF, the key and the rate limit add.
"""

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from bench import enforced, iterations
from bench.load import Load, generate
from bench.stats import ms, percentile

# config/gunicorn.py as in production, but one worker per core: here the servers share the cores
# with PostgreSQL, Redis, Celery and the load generator, and 5 workers on 2 cores served 25 % fewer
# requests than 2 (docs/performance.md). WEB_CONCURRENCY overrides, as in production.
WEB_WORKERS = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 1)
SERVER = f"gunicorn, {WEB_WORKERS} sync workers"

BASE_DIR = Path(__file__).resolve().parent.parent
SLUG = "bench-api"
REQUESTS = iterations(4000, 50)  # per round and target
ROUNDS = iterations(3)
WARMUP_REQUESTS = iterations(500, 20)
CONCURRENCY = 16
TARGET_P99_SECONDS = 0.015
TARGET_RATIO = 1.3
FLOOR = "GET /healthz     (answered by the first middleware)"
BARE = "GET /bench/bare  (bare JSON view, full middleware)  "
BARE_API = "GET /api/v1/bench/bare (bare view, API middleware) "
ME = "GET /api/v1/me   (secret key, DRF, rate limit)      "
TARGETS = [
    (FLOOR, "/healthz", False),
    (BARE, "/bench/bare", False),
    (BARE_API, "/api/v1/bench/bare", False),
    (ME, "/api/v1/me", True),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _secret_key(env: dict[str, str]) -> str:
    command = [sys.executable, "manage.py", "create_api_key", SLUG, "--scopes", "account:read"]
    result = subprocess.run(command, cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True)
    return result.stdout.strip().splitlines()[-1]


def _get(port: int, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Host": "localhost", **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read()
    except OSError:
        return 0, b""


@contextlib.contextmanager
def gunicorn(env: dict[str, str], port: int) -> Iterator[subprocess.Popen]:
    """gunicorn serving `port` (its arbiter's process), once it answers /healthz."""
    log = tempfile.NamedTemporaryFile(prefix="luneo-bench-gunicorn-", suffix=".log", delete=False)
    command = [
        sys.executable, "-m", "gunicorn", "-c", "python:config.gunicorn", "config.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(WEB_WORKERS),
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while _get(port, "/healthz", {})[0] != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not serve /healthz; see {log.name}")
            time.sleep(0.2)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
        Path(log.name).unlink(missing_ok=True)


def _load(port: int, path: str, headers: dict[str, str], requests: int) -> Load:
    return generate(port=port, path=path, headers=headers, requests=requests, concurrency=CONCURRENCY)


def _summary(label: str, load: Load) -> str:
    return (
        f"{label}: {len(load.latencies)} requests, {load.throughput:,.0f} req/s, "
        f"p50 {ms(percentile(load.latencies, 50))}, p99 {ms(percentile(load.latencies, 99))}, "
        f"statuses {load.statuses}, errors {load.errors}"
    )


def run(env: dict[str, str]) -> bool:
    from django.db import connections

    from apps.accounts.services import tenant_provision

    tenant_provision(slug=SLUG, name="Bench API", owner_email=f"owner@{SLUG}.test")
    connections.close_all()
    auth = {"Authorization": f"Bearer {_secret_key(env)}"}
    port = _free_port()
    with gunicorn(env, port):
        status, body = _get(port, "/api/v1/me", auth)
        if status != 200 or json.loads(body)["tenant"]["slug"] != SLUG:
            raise RuntimeError(f"/api/v1/me answered {status}: {body[:200]!r}")
        for _label, path, with_key in TARGETS:
            _load(port, path, auth if with_key else {}, WARMUP_REQUESTS)
        loads = {label: Load() for label, _path, _with_key in TARGETS}
        for _round in range(ROUNDS):  # interleaved, so that a slow moment hits every target alike
            for label, path, with_key in TARGETS:
                loads[label].add(_load(port, path, auth if with_key else {}, REQUESTS))
    for label, load in loads.items():
        print(_summary(label, load), flush=True)  # noqa: T201
    bare, me = loads[BARE], loads[ME]
    me_p99, bare_p99 = percentile(me.latencies, 99), percentile(bare.latencies, 99)
    ratio = me_p99 / bare_p99
    api_ratio = me_p99 / percentile(loads[BARE_API].latencies, 99)
    ok_p99, ok_ratio = me_p99 <= TARGET_P99_SECONDS, ratio <= TARGET_RATIO
    clean = all(set(load.statuses) == {200} and not load.errors for load in loads.values())
    print(  # noqa: T201
        f"/api/v1/me p99 {ms(me_p99)} = {ratio:.2f}x the bare view ({api_ratio:.2f}x on an API path) "
        f"[target p99 <= 15 ms: {'met' if ok_p99 else 'MISSED'}; "
        f"<= {TARGET_RATIO}x bare: {'met' if ok_ratio else 'MISSED'}; "
        f"all 200: {'yes' if clean else 'NO'}] ({SERVER}, {CONCURRENCY} clients, loopback)",
        flush=True,
    )
    return enforced(ok_p99 and ok_ratio) and clean
