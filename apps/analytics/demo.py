"""Ninety days of history for the demo workspace, so its dashboard shows life on the first start.

Three samples per product go through the real pipeline here (the offline provider): one ends
ready, one is rejected by moderation, one fails as when its image provider is down. Each history
design repeats one of them, inputs (prompt, style, seed) and outcome (status, reason, spec), so a
ready one shows its sample's files (the same files, new rows). Its AI calls and its count in the
month's design quota are recorded at the time it was made. Shoppers' funnels, orders through the
order service with their past moves, customers and statuses follow fixed odds from a seeded
generator: the same data every time. Every order that was paid gets its production pack, built
here. Runs once per workspace (its orders carry `demo-` references).
"""

import random
import unicodedata
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from apps.ai.errors import TransientAIError
from apps.ai.moderation import finding_labels
from apps.ai.selectors import ai_usage_list
from apps.ai.services import ai_usage_history_record
from apps.billing.models import Limit
from apps.billing.services import usage_history_record
from apps.designs import tasks
from apps.designs.models import Design, DesignAsset, DesignReview
from apps.designs.services import design_create, design_fail
from apps.orders.models import Order
from apps.orders.services import ItemInput, order_create, order_history_import
from apps.orders.tasks import order_pack_build_task
from apps.products.models import Product

from .services import rollup_refresh

PIPELINE = (
    tasks.design_moderate_task,
    tasks.design_generate_task,
    tasks.design_composite_task,
    tasks.design_export_task,
)
# The samples' (prompt, style) by outcome: the n-th product takes the n-th of each (round robin).
# "hate" is the demo brand's blocked word, "gun" one of the offline moderation's.
SAMPLES = {
    Design.Status.READY: [("a fox in a misty forest", "illustration"), ("lighthouse at dawn", "watercolor")],
    Design.Status.REJECTED: [
        ("hate slogan on a brick wall", "pop-art"),
        ("cat astronaut with a gun", "photo"),
    ],
    Design.Status.FAILED: [("mountain sunrise", "minimal-line")],
}
# What a history design takes from its sample.
SAMPLE_FIELDS = (
    "prompt", "style", "seed", "status", "step", "progress", "warnings", "error_code", "error_message",
    "provider", "spec",
)  # fmt: skip
ASSET_FIELDS = ("view_id", "kind", "file", "content_type", "width", "height", "dpi", "bytes")
USAGE_FIELDS = ("provider", "model", "operation", "units", "tokens", "latency_ms", "cost", "ok", "error_code")
FIRST_NAMES = "Ada Léa Hugo Jade Louis Emma Nora Liam Chloé Inès Tom Zoé Yuki Wei Lina Sam Mia Noé".split()
LAST_NAMES = "Martin Bernard Dubois Laurent Moreau Girard Roux Fontaine Chen Li Garcia Müller Rossi".split()
CITIES = [
    ("Paris", "75011", "FR"), ("Lyon", "69002", "FR"), ("Bruxelles", "1000", "BE"), ("Genève", "1201", "CH"),
]  # fmt: skip
DESIGN_OUTCOMES = [(Design.Status.READY, 0.9), (Design.Status.FAILED, 0.04), (Design.Status.REJECTED, 0.06)]
# Share of orders in each final status by age: recent orders are still moving.
STATUS_BY_AGE = [
    (3, [(Order.Status.PENDING, 0.4), (Order.Status.PAID, 0.4), (Order.Status.IN_PRODUCTION, 0.2)]),
    (10, [(Order.Status.IN_PRODUCTION, 0.4), (Order.Status.SHIPPED, 0.5), (Order.Status.CANCELLED, 0.1)]),
    (10_000, [(Order.Status.DELIVERED, 0.88), (Order.Status.REFUNDED, 0.06), (Order.Status.CANCELLED, 0.06)]),
]
PATHS = {
    Order.Status.PENDING: [],
    Order.Status.PAID: [Order.Status.PAID],
    Order.Status.IN_PRODUCTION: [Order.Status.PAID, Order.Status.IN_PRODUCTION],
    Order.Status.SHIPPED: [Order.Status.PAID, Order.Status.IN_PRODUCTION, Order.Status.SHIPPED],
    Order.Status.DELIVERED: [
        Order.Status.PAID,
        Order.Status.IN_PRODUCTION,
        Order.Status.SHIPPED,
        Order.Status.DELIVERED,
    ],
    Order.Status.CANCELLED: [Order.Status.CANCELLED],
    Order.Status.REFUNDED: [Order.Status.PAID, Order.Status.REFUNDED],
}


def _sample(product: Product, status: str, prompt: str, style: str) -> Design:
    """A design of `product` taken through the pipeline here until it ends in `status`: ready,
    rejected by moderation, or failed after it, as the pipeline fails a design whose image provider
    stays unavailable through the retries."""
    design = design_create(product=product.pk, prompt=prompt, style=style)
    moderate, *steps = PIPELINE
    moderate.apply(args=[design.pk], throw=True)
    if status == Design.Status.FAILED:
        error = TransientAIError()
        return design_fail(design=design, code=error.code, message=error.message)
    for task in steps if status == Design.Status.READY else ():
        task.apply(args=[design.pk], throw=True)
    design.refresh_from_db()
    return design


def _pick(rng: random.Random, weighted: list[tuple[str, float]]) -> str:
    return rng.choices([value for value, _weight in weighted], [weight for _value, weight in weighted])[0]


def _history_designs(
    rng: random.Random, samples: dict[int, dict[str, Design]], days: int
) -> list[tuple[Design, Design]]:
    """(design, the sample it repeats) for each day's designs."""
    now = timezone.now()
    pairs = []
    for age in range(days):
        for _ in range(rng.randint(2, 5) + (days - age) // 25):  # the shop grows
            created = now - timedelta(days=age, minutes=rng.randint(1, 1380))
            status = _pick(rng, DESIGN_OUTCOMES)
            sample = samples[rng.choice(list(samples))][status]
            from_widget = rng.random() < 0.8
            seen = status == Design.Status.READY and from_widget and rng.random() < 0.95
            carted = seen and rng.random() < 0.45
            design = Design(
                product_id=sample.product_id,
                **{name: getattr(sample, name) for name in SAMPLE_FIELDS},
                shopper_session=f"demo-{rng.randrange(10**9)}" if from_widget else "",
                preview_seen_at=created + timedelta(seconds=20) if seen else None,
                added_to_cart_at=created + timedelta(minutes=2) if carted else None,
                created_at=created,
            )
            pairs.append((design, sample))
    Design.objects.bulk_create([design for design, _sample in pairs])
    return pairs


def _rejection_reason(design: Design) -> str:
    """What moderation found, for the operators (the brand's blocked word, or the category)."""
    findings = finding_labels((design.spec or {}).get("moderation") or [])
    return design.error_message or "; ".join(findings) or gettext("flagged by moderation")


def _rejections_review(pairs: list[tuple[Design, Design]]) -> None:
    """Rejected history designs carry their reason, each with its `flagged` review on its day: the
    operators' moderation console lists and counts them."""
    rejected = [design for design, _sample in pairs if design.status == Design.Status.REJECTED]
    for design in rejected:
        design.error_message = _rejection_reason(design)
    Design.objects.bulk_update(rejected, ["error_message"])
    DesignReview.objects.bulk_create(
        DesignReview(
            design=design,
            action=DesignReview.Action.FLAGGED,
            reason=design.error_message,
            created_at=design.created_at + timedelta(seconds=5),
        )
        for design in rejected
    )


def _assets_share(pairs: list[tuple[Design, Design]]) -> None:
    """Ready history designs show their sample's files (the same files, new rows)."""
    files = {}
    for sample in {sample for _design, sample in pairs if sample.status == Design.Status.READY}:
        files[sample] = list(sample.assets.values(*ASSET_FIELDS))
    DesignAsset.objects.bulk_create(
        DesignAsset(design=design, **fields, created_at=design.created_at)
        for design, sample in pairs
        for fields in files.get(sample, ())
    )


def _usage_record(pairs: list[tuple[Design, Design]]) -> None:
    """Each history design made its sample's AI calls, as long after its creation, and counts in
    its month's design quota."""
    calls = {}
    for sample in {sample for _design, sample in pairs}:
        calls[sample] = [
            ({name: row[name] for name in USAGE_FIELDS}, row["created_at"] - sample.created_at)
            for row in ai_usage_list(design_id=sample.pk).values(*USAGE_FIELDS, "created_at")
        ]
    ai_usage_history_record(
        calls=[
            {**call, "design_id": design.pk, "created_at": design.created_at + delay}
            for design, sample in pairs
            for call, delay in calls[sample]
        ]
    )
    moments = [design.created_at for design, _sample in pairs]
    usage_history_record(tenant=connection.tenant, metric=Limit.DESIGNS, moments=moments)


def _order(rng: random.Random, design: Design, customers: list[dict]) -> Order:
    customer = rng.choice(customers)
    city, postal_code, country = customer["city"]
    order = order_create(
        source=Order.Source.WIDGET,
        items=[ItemInput(design=design.public_id, quantity=rng.choice([1, 1, 1, 2, 3]))],
        customer={"email": customer["email"], "name": customer["name"]},
        shipping_address={
            "name": customer["name"],
            "line1": f"{rng.randint(1, 120)} rue des Lilas",
            "city": city,
            "postal_code": postal_code,
            "country": country,
        },
        shopper_session=design.shopper_session,
        external_ref=f"demo-{design.pk}",
    )
    ordered_at = design.added_to_cart_at + timedelta(minutes=rng.randint(1, 15))
    age = (timezone.now() - ordered_at).days
    status = _pick(rng, next(odds for limit, odds in STATUS_BY_AGE if age < limit))
    moves = list(_moves(status, ordered_at))
    return order_history_import(order=order, created_at=ordered_at, moves=moves, actor="demo")


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _moves(status: str, start: datetime) -> Iterator[tuple[str, datetime]]:
    moment = start
    for step in PATHS[status]:
        moment += timedelta(hours=20)
        yield step, moment


@transaction.atomic
def demo_history_seed(*, days: int = 90, seed: int = 2026) -> int:
    """Fill the workspace with `days` of designs, funnels, customers and orders, once.

    Returns the number of demo orders the workspace has (made now or by an earlier run).
    """
    existing = Order.objects.filter(external_ref__startswith="demo-").count()
    if existing:
        return existing
    rng = random.Random(seed)
    products = list(Product.objects.filter(status=Product.Status.ACTIVE).order_by("pk"))
    if not products:
        return 0
    samples = {
        product.pk: {
            status: _sample(product, status, *inputs[index % len(inputs)])
            for status, inputs in SAMPLES.items()
        }
        for index, product in enumerate(products)
    }
    pairs = _history_designs(rng, samples, days)
    _rejections_review(pairs)
    _assets_share(pairs)
    _usage_record(pairs)
    customers = [
        {
            "name": f"{first} {last}",
            "email": _ascii(f"{first}.{last}@example.com").lower(),
            "city": rng.choice(CITIES),
        }
        for first, last in {(rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)) for _ in range(60)}
    ]
    customers.sort(key=lambda customer: customer["email"])
    designs = [design for design, _sample in pairs]
    carted = sorted((d for d in designs if d.added_to_cart_at is not None), key=lambda d: d.added_to_cart_at)
    orders = [_order(rng, design, customers) for design in carted if rng.random() < 0.6]
    for order in orders:
        if order.pack_status == Order.PackStatus.BUILDING:  # paid: built as the worker would
            order_pack_build_task.apply(args=[order.pk], throw=True)
    today = timezone.now().date()
    rollup_refresh(start=today - timedelta(days=days + 1), end=today - timedelta(days=1))
    return len(orders)
