"""A customer's design drawn on another product, as a campaign's "Their designs" block does it at
send time: the first time (composited on the other product's mockup and kept) and afterwards (read
from the kept asset), against the design's own preview step on its product in the same run.

The demo catalog's poster and mug; designs made on the poster through the pipeline's steps in this
process with the offline provider, then drawn on the mug. Prints the median and p95 of each.
BENCH_SMOKE=1: 3 designs.
"""

import tempfile

from django.test import override_settings

from bench import iterations
from bench.stats import ms, percentile, timed

SLUG = "bench-rebuy"
DESIGNS = iterations(20, 3)


def _ready(poster_id: int, n: int, own: list[float]):
    """A design through the pipeline's steps; the composite step (its own previews) timed."""
    from apps.designs import pipeline
    from apps.designs.services import design_create

    design = design_create(product=poster_id, prompt=f"A lighthouse at dawn, number {n}")
    design = pipeline.step_moderate(design, None)
    design = pipeline.step_generate(design, None)
    seconds, design = timed(lambda: pipeline.step_composite(design, None))
    own.append(seconds)
    return pipeline.step_export(design, None)


def run(env: dict[str, str]) -> bool:
    from django_tenants.utils import tenant_context

    from apps.accounts.services import tenant_provision
    from apps.designs.models import DesignAsset
    from apps.designs.pipeline import design_preview_elsewhere
    from apps.products.models import Product
    from apps.products.services import catalog_seed_demo

    with (
        tempfile.TemporaryDirectory(prefix="luneo-bench-media-") as media,
        override_settings(MEDIA_ROOT=media),
    ):
        tenant = tenant_provision(slug=SLUG, name="Bench rebuy", owner_email=f"owner@{SLUG}.test")
        with tenant_context(tenant):
            catalog_seed_demo()
            poster, mug = Product.objects.get(sku="POSTER-A"), Product.objects.get(sku="MUG-11")
            own: list[float] = []
            designs = [_ready(poster.pk, n, own) for n in range(DESIGNS)]
            first = [timed(lambda d=design: design_preview_elsewhere(d, mug))[0] for design in designs]
            kept = [timed(lambda d=design: design_preview_elsewhere(d, mug))[0] for design in designs]
            drawn = DesignAsset.objects.filter(kind=DesignAsset.Kind.ELSEWHERE).count()
    own_p50, first_p50, kept_p50 = (percentile(values, 50) for values in (own, first, kept))
    print(  # noqa: T201
        f"rebuy: {DESIGNS} designs made on the poster, drawn on the mug ({drawn} kept)\n"
        f"  first time (drawn and kept): p50 {ms(first_p50)}, p95 {ms(percentile(first, 95))}\n"
        f"  afterwards (read the kept one): p50 {ms(kept_p50)}, p95 {ms(percentile(kept, 95))}\n"
        f"  baseline, the design's own preview step on the poster: p50 {ms(own_p50)}; "
        f"drawing elsewhere takes {first_p50 / own_p50:.2f}× of it, "
        f"reading it back {kept_p50 / own_p50:.3f}×",
        flush=True,
    )
    return drawn == DESIGNS  # one kept drawing per design: a second call never draws again
