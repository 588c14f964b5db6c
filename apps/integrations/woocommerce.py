"""WooCommerce: the REST API v3 with a consumer key and secret; `order.created` webhooks.

The webhook secret is the one typed in WooCommerce → Settings → Advanced → Webhooks.
"""

from collections.abc import Iterator

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

KIND = Integration.Kind.WOOCOMMERCE
WEBHOOK = WebhookHeaders(
    signature="X-WC-Webhook-Signature",
    delivery="X-WC-Webhook-Delivery-ID",
    topic="X-WC-Webhook-Topic",
    order_topic="order.created",
)
PAID_STATUSES = ("processing", "completed")


def shop_url_clean(value: str) -> str:
    """The site's address, with its path when WordPress lives in a folder (https://example.com/shop)."""
    return _url_clean(value, keep_path=True)


def credentials_clean(credentials: dict, errors: dict) -> tuple[dict, str]:
    """(what the client needs, the webhook secret), adding field errors to `errors`."""
    key = text(credentials.get("consumer_key"))
    secret = text(credentials.get("consumer_secret"))
    webhook_secret = text(credentials.get("webhook_secret"))
    if not key.startswith("ck_") or len(key) < 10:
        add_error(errors, "consumer_key", _("Paste the consumer key: it starts with ck_."))
    if not secret.startswith("cs_") or len(secret) < 10:
        add_error(errors, "consumer_secret", _("Paste the consumer secret: it starts with cs_."))
    if len(webhook_secret) < 8:
        add_error(errors, "webhook_secret", _("Enter the webhook's secret (at least 8 characters)."))
    return {"consumer_key": key, "consumer_secret": secret}, webhook_secret


class Client(ShopClient):
    def __init__(self, shop_url: str, credentials: dict):
        auth = (credentials["consumer_key"], credentials["consumer_secret"])
        super().__init__(f"{shop_url}/wp-json/wc/v3", auth=auth)

    def currency(self) -> str:
        """The store's currency: also the call that proves the keys work."""
        data, _response = self.get("/data/currencies/current")
        return text(field(data, "code")).upper()

    def product_pages(self) -> Iterator[list[dict]]:
        """Every product, 100 a page, up to the `X-WP-TotalPages` header."""
        for page in range(1, MAX_PAGES + 1):
            data, response = self.get("/products", {"page": page, "per_page": 100})
            yield data if isinstance(data, list) else field(data, "products")
            if page >= int(response.headers.get("X-WP-TotalPages") or 1):
                return


def product_fields(product: dict) -> dict:
    """A Luneo product from a WooCommerce one: its SKU (else `woo-<id>`), price, short description."""
    return {
        "sku": text(product.get("sku")) or f"woo-{product.get('id')}",
        "name": text(product.get("name")),
        "description": strip_tags(text(product.get("short_description") or product.get("description"))),
        "price": money(text(product.get("price")) or text(product.get("regular_price")) or 0),
    }


def _design(item: dict) -> str:
    meta = {
        text(m.get("key")): text(m.get("value")) for m in item.get("meta_data") or [] if isinstance(m, dict)
    }
    return next((meta[key] for key in DESIGN_KEYS if meta.get(key)), "")


def order_input(order: dict) -> ShopOrder:
    """The Luneo lines (those carrying a design id) and the customer of an `order.created` body."""
    billing = order.get("billing") or {}
    shipping = order.get("shipping") or {}
    address = shipping if text(shipping.get("address_1")) else billing
    name = one_line(f"{text(address.get('first_name'))} {text(address.get('last_name'))}")
    lines = [
        ShopLine(
            design=_design(item),
            quantity=item.get("quantity"),
            unit_price=money(item.get("price")),
            title=text(item.get("name")),
            sku=text(item.get("sku")),
        )
        for item in order.get("line_items") or []
        if _design(item)
    ]
    return ShopOrder(
        external_ref=text(order.get("id")),
        lines=lines,
        customer={"email": text(billing.get("email")), "name": name, "phone": text(billing.get("phone"))},
        shipping_address={
            "name": name,
            "line1": text(address.get("address_1")),
            "line2": text(address.get("address_2")),
            "city": text(address.get("city")),
            "postal_code": text(address.get("postcode")),
            "region": text(address.get("state")),
            "country": text(address.get("country")),
            "phone": text(address.get("phone") or billing.get("phone")),
        },
        currency=text(order.get("currency")).upper(),
        shipping_total=money(order.get("shipping_total") or 0),
        paid=order.get("status") in PAID_STATUSES,
        note=_("WooCommerce order #%s") % text(order.get("number") or order.get("id")),
    )
