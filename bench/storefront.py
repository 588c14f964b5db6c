"""`GET /api/v1/widget/config` at a steady 200 requests/s against a bare Django JSON view.

The production HTTP path: gunicorn with its production settings (config/gunicorn.py), on
loopback, in the same run, open-loop (requests are sent when due, whatever the server's pace).
The request carries the demo brand's publishable key and an allowed Origin, as the widget on a
merchant's page does. Targets: config p99 <= 25 ms and <= 1.3x the bare view's p99 (every
middleware; the bare view on an API path is printed too).
"""

import json

from bench import enforced, iterations
from bench.api import BARE, BARE_API, SERVER, _free_port, _get, _summary, gunicorn
from bench.load import Load, generate
from bench.stats import ms, percentile

SLUG = "bench-storefront"
ORIGIN = "https://shop.example"
RATE = 200  # requests/s
REQUESTS = iterations(3000, 50)  # per round and target: 15 s at RATE
ROUNDS = iterations(2)
WARMUP_REQUESTS = iterations(400, 20)
CONCURRENCY = 16
TARGET_P99_SECONDS = 0.025
TARGET_RATIO = 1.3
CONFIG = "GET /api/v1/widget/config (publishable key, Origin)"


def _publishable_key() -> str:
    from django_tenants.utils import tenant_context

    from apps.accounts.services import tenant_provision
    from apps.brands.services import brand_publishable_key_create
    from apps.products.services import catalog_seed_demo

    tenant = tenant_provision(slug=SLUG, name="Bench storefront", owner_email=f"owner@{SLUG}.test")
    with tenant_context(tenant):
        _key, raw = brand_publishable_key_create(brand=catalog_seed_demo())
    return raw


def _load(port: int, path: str, headers: dict[str, str], requests: int) -> Load:
    return generate(
        port=port, path=path, headers=headers, requests=requests, concurrency=CONCURRENCY, rate=RATE
    )


def run(env: dict[str, str]) -> bool:
    from django.db import connections

    key = _publishable_key()
    connections.close_all()
    config_path = f"/api/v1/widget/config?key={key}&product=POSTER-A&locale=fr"
    headers = {"Origin": ORIGIN}
    targets = [
        (BARE, "/bench/bare", {}),
        (BARE_API, "/api/v1/bench/bare", {}),
        (CONFIG, config_path, headers),
    ]
    port = _free_port()
    with gunicorn(env, port):
        status, body = _get(port, config_path, headers)
        if status != 200 or json.loads(body)["product"]["sku"] != "POSTER-A":
            raise RuntimeError(f"widget config answered {status}: {body[:200]!r}")
        for _label, path, target_headers in targets:
            _load(port, path, target_headers, WARMUP_REQUESTS)
        loads = {label: Load() for label, _path, _headers in targets}
        for _round in range(ROUNDS):
            for label, path, target_headers in targets:
                loads[label].add(_load(port, path, target_headers, REQUESTS))
    for label, load in loads.items():
        print(_summary(label, load), flush=True)  # noqa: T201
    config_p99, bare_p99 = percentile(loads[CONFIG].latencies, 99), percentile(loads[BARE].latencies, 99)
    ratio = config_p99 / bare_p99
    api_ratio = config_p99 / percentile(loads[BARE_API].latencies, 99)
    ok_p99, ok_ratio = config_p99 <= TARGET_P99_SECONDS, ratio <= TARGET_RATIO
    clean = all(set(load.statuses) == {200} and not load.errors for load in loads.values())
    print(  # noqa: T201
        f"/api/v1/widget/config p99 {ms(config_p99)} = {ratio:.2f}x the bare view "
        f"({api_ratio:.2f}x on an API path) "
        f"[target p99 <= 25 ms: {'met' if ok_p99 else 'MISSED'}; "
        f"<= {TARGET_RATIO}x bare: {'met' if ok_ratio else 'MISSED'}; "
        f"all 200: {'yes' if clean else 'NO'}] ({SERVER}, {RATE} req/s open loop, loopback)",
        flush=True,
    )
    return enforced(ok_p99 and ok_ratio) and clean
