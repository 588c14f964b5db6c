"""A small fixed history, made through the real services, then dated where the test needs it."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.ai.models import AIUsage
from apps.designs.models import Design
from apps.designs.services import design_create
from apps.orders.models import Order
from apps.orders.services import ItemInput, order_create
from apps.products.models import Product
from apps.tenants.models import User
from tests.conftest import dashboard_client
from tests.core.conftest import daphne, processes  # noqa: F401  (a real daphne for the browser test)
from tests.orders.factories import ADDRESS
from tests.products.factories import ProductFactory
from tests.sink import sink  # noqa: F401  (a local HTTP server that records requests)

TODAY = timezone.now().date()


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def days_ago(count: int) -> date:
    return TODAY - timedelta(days=count)


def order_on(
    day: date,
    *,
    total: str,
    email: str,
    status: str = Order.Status.PENDING,
    currency: str = "EUR",
    product: Product | None = None,
    quantity: int = 1,
    name: str | None = None,
) -> Order:
    """A shop order of one line worth `total`, placed on `day`, now in `status`."""
    product = product or ProductFactory(currency=currency)
    unit_price = Decimal(total) / quantity
    line = ItemInput(product=product, unit_price=unit_price, quantity=quantity)
    order = order_create(
        source=Order.Source.SHOPIFY,
        items=[line],
        currency=currency,
        customer={"email": email, "name": email.split("@")[0] if name is None else name},
        shipping_address=ADDRESS,
        external_ref=f"{email}-{day}-{total}",
    )
    Order.objects.filter(pk=order.pk).update(created_at=at(day), status=status)
    order.refresh_from_db()
    return order


def design_on(day: date, product: Product, *, style: str = "", widget: bool = True, **fields) -> Design:
    design = design_create(
        product=product.pk, prompt="a fox", style=style, shopper_session="s1" if widget else ""
    )
    Design.objects.filter(pk=design.pk).update(created_at=at(day), **fields)
    design.refresh_from_db()
    return design


def ai_cost_on(day: date, cost: str) -> None:
    usage = AIUsage.objects.create(provider="openai", operation="image", latency_ms=1000, cost=Decimal(cost))
    AIUsage.objects.filter(pk=usage.pk).update(created_at=at(day))


@pytest.fixture
def owner_client(tenant):
    return dashboard_client(tenant, User.objects.get(email="owner@alpha.test"))


@dataclass
class History:
    mug: Product
    poster: Product


@pytest.fixture
def history(tenant) -> History:
    """Over the last 7 days (period) and the 7 before (previous period):

    period:   orders 30.00 (ada), 50.00 (bob, ×2 units, mug), 20.00 refunded (ada), 99.00 cancelled (cy),
              15.00 USD (dan); designs: 4 (2 mug "watercolor" widget: one previewed+carted, one
              previewed; 1 poster widget in the default style; 1 mug from the dashboard); AI cost 0.30 + 0.20
    previous: orders 40.00 (ada); designs: 2; AI cost 0.10
    older:    an order 25.00 (eve) 40 days ago, one 10.00 (fay) 100 days ago
    """
    mug = ProductFactory(sku="MUG-A", name="Mug", currency="EUR", status=Product.Status.ACTIVE)
    poster = ProductFactory(sku="POSTER-A", name="Poster", currency="EUR", status=Product.Status.ACTIVE)
    order_on(days_ago(1), total="30.00", email="ada@example.com", status=Order.Status.PAID)
    order_on(days_ago(3), total="50.00", email="bob@example.com", product=mug, quantity=2)
    order_on(days_ago(4), total="20.00", email="ada@example.com", status=Order.Status.REFUNDED)
    order_on(days_ago(5), total="99.00", email="cy@example.com", status=Order.Status.CANCELLED)
    order_on(days_ago(6), total="15.00", email="dan@example.com", currency="USD")
    order_on(days_ago(9), total="40.00", email="ada@example.com", status=Order.Status.DELIVERED)
    order_on(days_ago(40), total="25.00", email="eve@example.com", status=Order.Status.DELIVERED)
    order_on(days_ago(100), total="10.00", email="fay@example.com", status=Order.Status.DELIVERED)
    now = timezone.now()
    design_on(days_ago(2), mug, style="watercolor", status="ready", preview_seen_at=now, added_to_cart_at=now)
    design_on(days_ago(2), mug, style="watercolor", status="ready", preview_seen_at=now)
    design_on(days_ago(0), poster, status="failed")
    design_on(days_ago(3), mug, widget=False, status="ready")
    design_on(days_ago(8), mug)
    design_on(days_ago(12), poster)
    ai_cost_on(days_ago(1), "0.30")
    ai_cost_on(days_ago(6), "0.20")
    ai_cost_on(days_ago(10), "0.10")
    return History(mug=mug, poster=poster)
