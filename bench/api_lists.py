"""One page of `GET /api/v1/designs` as designs pile up: at 1,000 designs, then at 20,000.

The demo catalog's poster, one design taken through the pipeline here (offline provider), then
copies of it (its spec, layout and files: new rows) made in bulk, spread over the past year, until
the workspace holds 1,000 designs, then 20,000. At each size: 30 reads of the first page (50
designs, newest first, with their signed asset links) and of the page after it (its cursor), through
Django's test client with a secret key. Target: the first page's median at 20,000 designs at most
1.5 × its median at 1,000 (a page costs the same however many rows the workspace holds; medians,
not p95, as other work on the machine moves the tail).
BENCH_SMOKE=1: 100 then 400 designs, 3 reads each, no target.
"""

import logging
import tempfile
from datetime import timedelta

from django.test import override_settings

from bench import enforced, iterations
from bench.stats import ms, percentile, timings

SLUG = "bench-api-lists"
SIZES = (iterations(1_000, 100), iterations(20_000, 400))
RUNS = iterations(30, 3)
BATCH = 2_000
TARGET_RATIO = 1.5
PATH = "/api/v1/designs"


def _sample(poster_id: int):
    """A ready design of the poster, through the pipeline's steps in this process."""
    from apps.designs import pipeline
    from apps.designs.services import design_create

    design = design_create(product=poster_id, prompt="A lighthouse at dawn")
    for step in (
        pipeline.step_moderate,
        pipeline.step_generate,
        pipeline.step_composite,
        pipeline.step_export,
    ):
        design = step(design, None)
    return design


def _grow(sample, total: int) -> None:
    """Copies of `sample` (its fields and files) until the workspace holds `total` designs, each
    older than the last (one every 25 minutes back from the sample's creation)."""
    from django.db import connection

    from apps.designs.models import Design, DesignAsset

    fields = ("product_id", "variant_id", "prompt", "style", "text_layers", "layout", "status", "spec")
    fields += ("step", "progress", "warnings", "provider", "seed")
    values = {name: getattr(sample, name) for name in fields}
    assets = list(
        sample.assets.values("view_id", "kind", "file", "content_type", "width", "height", "dpi", "bytes")
    )
    have = Design.objects.count()
    while have < total:
        count = min(BATCH, total - have)
        designs = Design.objects.bulk_create(
            Design(**values, created_at=sample.created_at - timedelta(minutes=25 * (have + n)))
            for n in range(count)
        )
        DesignAsset.objects.bulk_create(
            DesignAsset(design=design, **asset, created_at=design.created_at)
            for design in designs
            for asset in assets
        )
        have += count
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner's statistics, as autovacuum would keep them


def _page(client, path: str, **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def run(env: dict[str, str]) -> bool:
    from django.db import connection
    from django.test import Client

    from apps.accounts.services import tenant_provision
    from apps.products.models import Product
    from apps.products.services import catalog_seed_demo
    from apps.tenants.services import api_key_create

    logging.getLogger("luneo.request").setLevel(logging.WARNING)  # one line per request otherwise
    with (
        tempfile.TemporaryDirectory(prefix="luneo-bench-media-") as media,
        override_settings(MEDIA_ROOT=media),
    ):
        tenant = tenant_provision(
            slug=SLUG, name="Bench API lists", owner_email=f"owner@{SLUG}.test", plan="pro"
        )
        _key, raw = api_key_create(tenant=tenant, name="bench", scopes=["designs:read"])
        client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {raw}")
        connection.set_tenant(tenant)
        catalog_seed_demo()
        sample = _sample(Product.objects.get(sku="POSTER-A").pk)
        firsts = {}
        for size in SIZES:
            connection.set_tenant(tenant)
            _grow(sample, size)
            connection.set_schema_to_public()
            first = _page(client, PATH)  # warm: the key, the workspace
            cursor = first["next"].split("cursor=", 1)[1]
            assert len(first["results"]) == 50
            firsts[size] = timings(lambda: _page(client, PATH), RUNS)
            nexts = timings(lambda cursor=cursor: _page(client, PATH, cursor=cursor), RUNS)
            print(  # noqa: T201
                f"  {size:>6} designs: first page p50 {ms(percentile(firsts[size], 50))}, "
                f"p95 {ms(percentile(firsts[size], 95))}; next page p50 {ms(percentile(nexts, 50))}, "
                f"p95 {ms(percentile(nexts, 95))}",
                flush=True,
            )
    small, large = (percentile(firsts[size], 50) for size in SIZES)
    ratio = large / small
    ok = ratio <= TARGET_RATIO
    print(  # noqa: T201
        f"api_lists: first page p50 {ms(large)} at {SIZES[1]} designs / {ms(small)} at {SIZES[0]} = "
        f"{ratio:.2f} [target <= {TARGET_RATIO}: {'met' if ok else 'MISSED'}]",
        flush=True,
    )
    return enforced(ok)
