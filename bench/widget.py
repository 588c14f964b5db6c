"""The widget: `luneo.js` raw and gzip size, and time from script load to an interactive widget.

A workspace with the demo catalog; its brand allows the origin of a pretend merchant page
(http.server on loopback) that embeds the widget from gunicorn (config/gunicorn.py, the production
HTTP path). In headless Chromium the page inserts the `<script>` tag and measures, with
performance.now(), the time until the widget dispatches `luneo:ready` (configuration loaded,
brand applied, form usable). RUNS cold loads (a new browser context each: empty HTTP cache,
so script + config are fetched), then RUNS warm ones (one context: the script and the
configuration come from the browser's cache, as on a shopper's second product page).
Targets: gzip <= 15 KB; cold median <= 300 ms.
"""

import gzip

from bench import enforced, iterations
from bench.api import SERVER, _free_port, gunicorn
from bench.pipeline import _load_average
from bench.stats import ms, percentile
from tests.support.merchant import merchant

SLUG = "bench-widget"
SKU = "POSTER-A"  # from the demo catalog
RUNS = iterations(20, 2)
TARGET_GZIP_BYTES = 15 * 1024
TARGET_READY_SECONDS = 0.300
READY_TIMEOUT_MS = 10_000
# Inserts the widget's tag at t0 and records the time of `luneo:ready` in window.luneoReady (ms).
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bench shop</title></head>
<body><div data-luneo-product="%(sku)s"></div><script>
  document.addEventListener("luneo:ready", function () { window.luneoReady = performance.now() - t0; });
  document.addEventListener("luneo:error", function (e) { window.luneoError = JSON.stringify(e.detail); });
  var script = document.createElement("script");
  script.src = "%(script)s";
  script.dataset.luneoKey = "%(key)s";
  script.async = true;
  var t0 = performance.now();
  document.head.appendChild(script);
</script></body></html>"""


def _sizes() -> tuple[int, int]:
    from apps.storefront.script import WIDGET_SCRIPT

    body = WIDGET_SCRIPT.read_bytes()
    return len(body), len(gzip.compress(body, compresslevel=9))


def _shop(origin: str) -> str:
    """The workspace, its demo brand allowing `origin`, and a fresh publishable key (returned)."""
    from django.db import connections
    from django_tenants.utils import tenant_context

    from apps.accounts.services import tenant_provision
    from apps.brands.services import brand_publishable_key_create, brand_update
    from apps.products.services import catalog_seed_demo

    tenant = tenant_provision(slug=SLUG, name="Bench widget", owner_email=f"owner@{SLUG}.test")
    with tenant_context(tenant):
        brand = brand_update(brand=catalog_seed_demo(), allowed_origins=[origin])
        _key, raw = brand_publishable_key_create(brand=brand)
    connections.close_all()
    return raw


def _ready_seconds(page, url: str) -> float:
    page.goto(url)
    page.wait_for_function("window.luneoReady !== undefined || window.luneoError", timeout=READY_TIMEOUT_MS)
    error = page.evaluate("window.luneoError")
    if error:
        raise RuntimeError(f"the widget reported an error: {error}")
    return page.evaluate("window.luneoReady") / 1000


def _measure(url: str) -> tuple[list[float], list[float]]:
    from playwright.sync_api import sync_playwright

    from tests.support.browser import launch

    with sync_playwright() as playwright:
        browser = launch(playwright)
        _ready_seconds(browser.new_page(), url)  # warm-up: server processes, Chromium
        cold = []
        for _run in range(RUNS):
            context = browser.new_context()
            cold.append(_ready_seconds(context.new_page(), url))
            context.close()
        page = browser.new_page()
        warm = [_ready_seconds(page, url) for _run in range(RUNS + 1)][1:]  # the first fills the cache
        browser.close()
    return cold, warm


def _line(label: str, values: list[float]) -> str:
    median, p95 = percentile(values, 50), percentile(values, 95)
    return f"{label}: median {ms(median)}, p95 {ms(p95)}, max {ms(max(values))}"


def run(env: dict[str, str]) -> bool:
    raw, zipped = _sizes()
    ok_size = zipped <= TARGET_GZIP_BYTES
    print(  # noqa: T201
        f"luneo.js: {raw:,} bytes, {zipped:,} bytes gzip "
        f"[target <= {TARGET_GZIP_BYTES:,}: {'met' if ok_size else 'MISSED'}]",
        flush=True,
    )
    server_port, shop_port = _free_port(), _free_port()
    key = _shop(f"http://127.0.0.1:{shop_port}")
    script = f"http://127.0.0.1:{server_port}/widget/v1/luneo.js"
    with gunicorn(env, server_port), merchant(shop_port, PAGE % {"sku": SKU, "script": script, "key": key}):
        _load_average("before")
        cold, warm = _measure(f"http://127.0.0.1:{shop_port}/")
        _load_average("after")
    ok_ready = percentile(cold, 50) <= TARGET_READY_SECONDS
    print(_line(f"script load → luneo:ready, cold cache ({RUNS} runs)", cold), flush=True)  # noqa: T201
    print(_line(f"script load → luneo:ready, warm cache ({RUNS} runs)", warm), flush=True)  # noqa: T201
    print(  # noqa: T201
        f"widget interactive: cold median {ms(percentile(cold, 50))} "
        f"[target <= 300 ms: {'met' if ok_ready else 'MISSED'}] "
        f"(headless Chromium, {SERVER}, loopback)",
        flush=True,
    )
    return enforced(ok_size and ok_ready)
