"""Shopify: the Admin REST API with a custom app's access token; `orders/create` webhooks.

Webhooks are signed with the app's API secret key (or, for webhooks made in the shop's admin,
the key shown under Settings → Notifications → Webhooks): that is the webhook secret.
"""

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from apps.core.hygiene import one_line

from .base import (
    DESIGN_KEYS,
    MAX_PAGES,
    ShopClient,
    ShopLine,
    ShopOrder,
    WebhookHeaders,
    add_error,
    field,
    money,
    text,
)
from .base import shop_url_clean as _url_clean
from .models import Integration

KIND = Integration.Kind.SHOPIFY
API_VERSION = "2024-10"
TOKEN_PREFIXES = ("shpat_", "shpca_", "shppa_")  # custom app, and older private apps
ORDER_FIELDS = "id,created_at,currency,total_price,financial_status,cancelled_at,line_items"
WEBHOOK = WebhookHeaders(
    signature="X-Shopify-Hmac-Sha256",
    delivery="X-Shopify-Webhook-Id",
    topic="X-Shopify-Topic",
    order_topic="orders/create",
)


def shop_url_clean(value: str) -> str:
    """The shop's origin: `mystore` and `mystore.myshopify.com` both mean https://mystore.myshopify.com."""
    value = text(value)
    if value and "." not in value and "/" not in value and ":" not in value:
        value = f"{value}.myshopify.com"
    return _url_clean(value, keep_path=False)


def credentials_clean(credentials: dict, errors: dict) -> tuple[dict, str]:
    """(what the client needs, the webhook secret), adding field errors to `errors`."""
    token = text(credentials.get("access_token"))
    secret = text(credentials.get("api_secret"))
    if not token.startswith(TOKEN_PREFIXES) or len(token) < 20:
        add_error(errors, "access_token", _("Paste the Admin API access token: it starts with shpat_."))
    if len(secret) < 16:
        add_error(errors, "api_secret", _("Paste the API secret key that signs the webhooks."))
    return {"access_token": token}, secret


class Pages:
    """One listing's pages, following the `Link: <…>; rel="next"` cursor (the link carries the
    query: the first request's parameters are not sent again). `truncated` turns true when the loop
    guard stops it with pages left."""

    def __init__(self, client: ShopClient, url: str, params: dict, key: str, *, limit: int = MAX_PAGES):
        self.client, self.url, self.params, self.key, self.limit = client, url, params, key, limit
        self.truncated = False

    def __iter__(self) -> Iterator[list[dict]]:
        url, params = self.url, self.params
        for _page in range(self.limit):
            data, response = self.client.get(url, params)
            yield field(data, self.key)
            url, params = response.links.get("next", {}).get("url", ""), None
            if not url.startswith(self.client.base_url):  # the last page, or a link off the shop: stop
                return
        self.truncated = True


class Client(ShopClient):
    def __init__(self, shop_url: str, credentials: dict):
        base_url = f"{shop_url}/admin/api/{API_VERSION}"
        super().__init__(base_url, headers={"X-Shopify-Access-Token": credentials["access_token"]})

    def currency(self) -> str:
        """The shop's currency: also the call that proves the token works."""
        data, _response = self.get("/shop.json")
        return text(field(data, "shop", "currency")).upper()

    def product_pages(self) -> Pages:
        """Every product, 250 a page."""
        return Pages(self, "/products.json", {"limit": 250}, "products")

    def order_pages(self, low: datetime, high: datetime, *, limit: int = MAX_PAGES) -> Pages:
        """The orders created from `low` to `high` (both included), cancelled ones too, 250 a page,
        with only the fields a sales summary reads."""
        params = {
            "status": "any",
            "created_at_min": low.isoformat(),
            "created_at_max": high.isoformat(),
            "limit": 250,
            "fields": ORDER_FIELDS,
        }
        return Pages(self, "/orders.json", params, "orders", limit=limit)


def product_fields(product: dict) -> dict:
    """A Luneo product from a Shopify one: its first variant SKU (else `shopify-<id>`), lowest price."""
    variants = product.get("variants") or []
    sku = (
        next((text(v.get("sku")) for v in variants if text(v.get("sku"))), "")
        or f"shopify-{product.get('id')}"
    )
    prices = [money(v["price"]) for v in variants if text(v.get("price"))]
    return {
        "sku": sku,
        "name": text(product.get("title")),
        "description": strip_tags(text(product.get("body_html"))),
        "price": min(prices, default=Decimal(0)),
    }


def line_design(item: dict) -> str:
    """The Luneo design (`dsg_…`) a line item carries in one of its properties, or ""."""
    properties = {
        text(p.get("name")): text(p.get("value")) for p in item.get("properties") or [] if isinstance(p, dict)
    }
    return next((properties[key] for key in DESIGN_KEYS if properties.get(key)), "")


def _shipping_total(order: dict) -> Decimal:
    amount = (order.get("total_shipping_price_set") or {}).get("shop_money", {}).get("amount")
    if amount is not None:
        return money(amount)
    return sum((money(line.get("price") or 0) for line in order.get("shipping_lines") or []), Decimal(0))


def order_input(order: dict) -> ShopOrder:
    """The Luneo lines (those carrying a design id) and the customer of an `orders/create` body."""
    address = order.get("shipping_address") or order.get("billing_address") or {}
    customer = order.get("customer") or {}
    full_name = f"{text(customer.get('first_name'))} {text(customer.get('last_name'))}".strip()
    lines = [
        ShopLine(
            design=line_design(item),
            quantity=item.get("quantity"),
            unit_price=money(item.get("price")),
            title=text(item.get("title") or item.get("name")),
            sku=text(item.get("sku")),
        )
        for item in order.get("line_items") or []
        if line_design(item)
    ]
    return ShopOrder(
        external_ref=text(order.get("id")),
        lines=lines,
        customer={
            "email": text(order.get("email") or order.get("contact_email") or customer.get("email")),
            "name": one_line(text(address.get("name")) or full_name),  # a shop order is never refused for it
            "phone": text(order.get("phone")),
        },
        shipping_address={
            "name": text(address.get("name")),
            "line1": text(address.get("address1")),
            "line2": text(address.get("address2")),
            "city": text(address.get("city")),
            "postal_code": text(address.get("zip")),
            "region": text(address.get("province")),
            "country": text(address.get("country_code")),
            "phone": text(address.get("phone")),
        },
        currency=text(order.get("currency")).upper(),
        shipping_total=_shipping_total(order),
        paid=order.get("financial_status") == "paid",
        note=_("Shopify order %s") % text(order.get("name") or order.get("order_number")),
    )
