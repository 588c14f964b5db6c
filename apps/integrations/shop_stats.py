"""What sold on the connected Shopify shop, read from Shopify's own Admin API (every order of the
shop, not only those that reached Luneo through webhooks).

The copilot asks it; an answer is kept 5 minutes per workspace and period so that asking again
does not call Shopify again. Shopify sums an order in the shop's currency (`currency`,
`total_price`); a product's revenue is its lines' price × quantity, before discounts.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.db import connection

from apps.core.dates import day_start

from . import shopify
from .base import money, text
from .errors import ShopUnreachable, WebhookInvalid
from .models import Integration
from .selectors import integration_credentials, integration_live

CACHE_SECONDS = 300
ORDER_PAGES = 20  # 5,000 orders at 250 a page (about 10 s at Shopify's rate): more is `truncated`
BEST_SELLERS = 10


@dataclass
class ProductSales:
    title: str
    sku: str
    units: int = 0
    revenue: Decimal = Decimal("0.00")
    designed_units: int = 0  # units whose line carries a Luneo design


@dataclass
class ShopSales:
    currency: str
    orders: int  # cancelled ones left out, as from every figure here
    cancelled: int
    revenue: Decimal
    units: int
    designed_units: int
    products: list[ProductSales]  # the best sellers: most units, then most revenue
    truncated: bool  # the page guard stopped the reading: the figures cover the first orders only


def shopify_sales_key(integration: Integration, start: date, end: date) -> str:
    """The cache key of a period's figures: the workspace's schema and the connection (a shop
    connected again, maybe another one, starts afresh) are part of it."""
    connected = f"{integration.pk}.{int(integration.updated_at.timestamp())}"
    return f"{connection.schema_name}:integrations:shopify_sales:{connected}:{start}:{end}"


def shopify_sales(*, start: date, end: date) -> ShopSales:
    """The connected Shopify shop's sales from `start` to `end` (whole days, included), cached 5 minutes.

    404 `integration_not_found` when Shopify is not connected (checked before the cache, so a
    disconnected shop's figures are never shown); CredentialsInvalid or ShopUnreachable when
    Shopify refuses or fails (nothing cached).
    """
    integration = integration_live(kind=shopify.KIND)
    key = shopify_sales_key(integration, start, end)
    found = cache.get(key)
    if found is None:
        credentials, _secret = integration_credentials(integration=integration)
        low, high = day_start(start), day_start(end + timedelta(days=1)) - timedelta(seconds=1)
        with shopify.Client(integration.shop_url, credentials) as client:
            pages = client.order_pages(low, high, limit=ORDER_PAGES)
            orders = [order for page in pages for order in page]
        found = sales_sum(orders, truncated=pages.truncated)
        cache.set(key, found, CACHE_SECONDS)
    return found


def sales_sum(orders: list[dict], *, truncated: bool) -> ShopSales:
    """The figures of Shopify orders (dicts as `/orders.json` lists them)."""
    currencies: Counter[str] = Counter()
    products: dict[str, ProductSales] = {}
    cancelled, revenue = 0, Decimal("0.00")
    for order in orders:
        if order.get("cancelled_at"):
            cancelled += 1
            continue
        currencies[text(order.get("currency")).upper()] += 1
        revenue += _amount(order.get("total_price"))
        for item in order.get("line_items") or []:
            _line_add(products, item)
    ranked = sorted(products.values(), key=lambda row: (-row.units, -row.revenue, row.title))
    return ShopSales(
        currency=currencies.most_common(1)[0][0] if currencies else "",
        orders=sum(currencies.values()),
        cancelled=cancelled,
        revenue=revenue,
        units=sum(row.units for row in products.values()),
        designed_units=sum(row.designed_units for row in products.values()),
        products=ranked[:BEST_SELLERS],
        truncated=truncated,
    )


def _line_add(products: dict[str, ProductSales], item: dict) -> None:
    """Count one line item under its product (a product's variants are one best seller)."""
    title, sku = text(item.get("title") or item.get("name")), text(item.get("sku"))
    key = text(item.get("product_id")) or sku or title
    row = products.setdefault(key, ProductSales(title=title, sku=sku))
    units = _units(item.get("quantity"))
    row.units += units
    row.revenue += _amount(item.get("price")) * units
    row.sku = row.sku or sku
    if shopify.line_design(item):
        row.designed_units += units


def _amount(value) -> Decimal:
    """`money`, but an amount Shopify's API sends that is not one means an odd answer, not a bad
    webhook: ShopUnreachable."""
    try:
        return money(value if value is not None else 0)
    except WebhookInvalid as exc:
        raise ShopUnreachable(details={"reason": "unexpected_answer"}) from exc


def _units(value) -> int:
    try:
        return max(int(value or 0), 0)
    except (TypeError, ValueError) as exc:
        raise ShopUnreachable(details={"reason": "unexpected_answer"}) from exc
