"""A history dated where a test needs it: orders, designs and AI costs made through the services."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from apps.ai.models import AIUsage
from apps.designs.models import Design
from apps.designs.services import design_create
from apps.orders.models import Order
from apps.orders.services import ItemInput, order_create
from apps.products.models import Product
from tests.support.factories.orders import ADDRESS
from tests.support.factories.products import ProductFactory

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
