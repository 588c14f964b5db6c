"""What the plan check costs design creation: `design_create` with and without it, in one run.

A workspace on Pro (the quota is never reached, so every call does the full check: entitlements
plus the atomic month-counter upsert) with the demo catalog. Rounds alternate 100 creations with
the check and 100 without it (`design_quota_consume` replaced by a no-op for those), so drift in
the machine's load falls on both alike. Each creation runs in a transaction that is rolled back:
its after-commit pushes (channel layer, Celery) are left out, as they are the same either way and
only add noise. Target: the check adds <= 2 ms at p99.
"""

import time
from unittest import mock

from bench import enforced, iterations
from bench.stats import ms, percentile

SLUG = "bench-billing"
ROUNDS = iterations(10)
PER_ROUND = iterations(100, 5)
WARMUP = iterations(50, 2)
TARGET_ADDED_P99_SECONDS = 0.002


def _no_check() -> None:
    """Stands in for the plan check in the "without" rounds."""


def _create_timed(design_create, product_id: int) -> float:
    from django.db import transaction

    started = time.perf_counter()
    with transaction.atomic():
        design_create(product=product_id, prompt="a fox in a misty forest")
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def run(env: dict[str, str]) -> bool:
    from django.db import connection

    from apps.accounts.services import tenant_provision
    from apps.billing.entitlements import design_quota_consume
    from apps.designs import services
    from apps.products.models import Product
    from apps.products.services import catalog_seed_demo

    tenant = tenant_provision(slug=SLUG, name="Bench billing", owner_email=f"owner@{SLUG}.test", plan="pro")
    connection.set_tenant(tenant)
    catalog_seed_demo()
    product_id = Product.objects.order_by("pk").values_list("pk", flat=True).first()
    for _ in range(WARMUP):
        _create_timed(services.design_create, product_id)
    timings: dict[str, list[float]] = {"with": [], "without": []}
    check: list[float] = []
    for _ in range(ROUNDS):
        timings["with"] += [_create_timed(services.design_create, product_id) for _ in range(PER_ROUND)]
        with mock.patch.object(services, "design_quota_consume", _no_check):
            timings["without"] += [
                _create_timed(services.design_create, product_id) for _ in range(PER_ROUND)
            ]
        for _ in range(PER_ROUND):
            started = time.perf_counter()
            design_quota_consume(tenant)
            check.append(time.perf_counter() - started)
    connection.set_schema_to_public()
    added = percentile(timings["with"], 99) - percentile(timings["without"], 99)
    ok = added <= TARGET_ADDED_P99_SECONDS
    for name, values in timings.items():
        print(  # noqa: T201
            f"design_create {name} the plan check: {len(values)} calls, p50 {ms(percentile(values, 50))}, "
            f"p99 {ms(percentile(values, 99))}",
            flush=True,
        )
    print(  # noqa: T201
        f"the check alone (entitlements + month counter upsert): p50 {ms(percentile(check, 50))}, "
        f"p99 {ms(percentile(check, 99))}; added to design_create at p99: {ms(added)} "
        f"[target <= {ms(TARGET_ADDED_P99_SECONDS)}: {'met' if ok else 'MISSED'}]",
        flush=True,
    )
    return enforced(ok)
