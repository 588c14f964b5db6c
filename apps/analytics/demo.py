"""Ninety days of history for the demo workspace, so its dashboard shows life on the first start.

Each product gets one design rendered for real by the offline provider (the pipeline run in this
process); the history's designs share those files. Shoppers' funnels, orders through the order
service, customers and statuses follow fixed odds from a seeded generator: the same data every
time. Runs once per workspace (its orders carry `demo-` references).
"""

import random
import unicodedata
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from apps.ai.styles import STYLES
from apps.designs import tasks
from apps.designs.models import Design, DesignAsset
from apps.designs.services import design_create
from apps.orders.models import Order, OrderStatusChange
from apps.orders.services import ItemInput, order_create
from apps.products.models import Product

from .services import rollup_refresh

PIPELINE = (
    tasks.design_moderate_task,
    tasks.design_generate_task,
    tasks.design_composite_task,
    tasks.design_export_task,
)
FIRST_NAMES = "Ada Léa Hugo Jade Louis Emma Nora Liam Chloé Inès Tom Zoé Yuki Wei Lina Sam Mia Noé".split()
LAST_NAMES = "Martin Bernard Dubois Laurent Moreau Girard Roux Fontaine Chen Li Garcia Müller Rossi".split()
CITIES = [
    ("Paris", "75011", "FR"), ("Lyon", "69002", "FR"), ("Bruxelles", "1000", "BE"), ("Genève", "1201", "CH"),
]  # fmt: skip
PROMPTS = [
    "a fox in a misty forest", "lighthouse at dawn", "geometric koi pond", "mountain sunrise",
    "retro cassette with flowers", "cat astronaut", "lavender field in Provence", "city skyline at night",
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


def _sample(product: Product) -> Design:
    """One design of `product` taken through the whole pipeline here, by the offline provider."""
    design = design_create(product=product.pk, prompt=f"{PROMPTS[0]}, demo of {product.name}")
    for task in PIPELINE:
        task.apply(args=[design.pk], throw=True)
    design.refresh_from_db()
    return design


def _pick(rng: random.Random, weighted: list[tuple[str, float]]) -> str:
    return rng.choices([value for value, _weight in weighted], [weight for _value, weight in weighted])[0]


def _history_designs(rng: random.Random, products: list[Product], days: int) -> list[Design]:
    now = timezone.now()
    designs = []
    for age in range(days):
        for _ in range(rng.randint(2, 5) + (days - age) // 25):  # the shop grows
            created = now - timedelta(days=age, minutes=rng.randint(1, 1380))
            status = _pick(rng, DESIGN_OUTCOMES)
            from_widget = rng.random() < 0.8
            seen = status == Design.Status.READY and from_widget and rng.random() < 0.95
            carted = seen and rng.random() < 0.45
            designs.append(
                Design(
                    product=rng.choice(products),
                    prompt=rng.choice(PROMPTS),
                    style=rng.choice(list(STYLES)),
                    status=status,
                    step=status,
                    progress=100 if status == Design.Status.READY else 0,
                    provider="offline",
                    seed=rng.randrange(2**31),
                    shopper_session=f"demo-{rng.randrange(10**9)}" if from_widget else "",
                    preview_seen_at=created + timedelta(seconds=20) if seen else None,
                    added_to_cart_at=created + timedelta(minutes=2) if carted else None,
                    created_at=created,
                )
            )
    return Design.objects.bulk_create(designs)


def _assets_share(designs: list[Design], samples: dict[int, Design]) -> None:
    """Ready history designs show their product's sample files (the same files, new rows)."""
    rows = []
    for design in designs:
        if design.status != Design.Status.READY:
            continue
        for asset in samples[design.product_id].assets.all():
            asset.pk, asset.design = None, design
            rows.append(asset)
    DesignAsset.objects.bulk_create(rows)


def _order(rng: random.Random, design: Design, customers: list[dict]) -> None:
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
    changes = [
        OrderStatusChange(order=order, from_status=before, to_status=after, actor="demo", created_at=moment)
        for before, after, moment in _moves(status, ordered_at)
    ]
    OrderStatusChange.objects.bulk_create(changes)
    order.history.filter(from_status="").update(created_at=ordered_at)
    Order.objects.filter(pk=order.pk).update(status=status, created_at=ordered_at)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _moves(status: str, start):
    previous, moment = Order.Status.PENDING, start
    for step in PATHS[status]:
        moment += timedelta(hours=20)
        yield previous, step, moment
        previous = step


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
    samples = {product.pk: _sample(product) for product in products}
    designs = _history_designs(rng, products, days)
    _assets_share(designs, samples)
    customers = [
        {
            "name": f"{first} {last}",
            "email": _ascii(f"{first}.{last}@example.com").lower(),
            "city": rng.choice(CITIES),
        }
        for first, last in {(rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)) for _ in range(60)}
    ]
    customers.sort(key=lambda customer: customer["email"])
    carted = sorted((d for d in designs if d.added_to_cart_at is not None), key=lambda d: d.added_to_cart_at)
    ordered = [design for design in carted if rng.random() < 0.6]
    for design in ordered:
        _order(rng, design, customers)
    today = timezone.now().date()
    rollup_refresh(start=today - timedelta(days=days + 1), end=today - timedelta(days=1))
    return len(ordered)
