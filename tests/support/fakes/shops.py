"""A local fake of Shopify's Admin API and WooCommerce's REST API (the real clients stay on the path),
and the signed order webhooks those shops send, built from recorded payloads."""

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client

from tests.support.http import QuietHandler, http_server
from tests.support.workspaces import host

PAYLOADS = Path(__file__).parent / "shop_payloads"
SHOPIFY_TOKEN = "shpat_" + "a1b2c3d4" * 4
SHOPIFY_SECRET = "shpss_webhook_secret_0123456789abcdef"
WOO_KEY = "ck_" + "1f2e3d4c" * 5
WOO_SECRET = "cs_" + "9a8b7c6d" * 5
WOO_WEBHOOK_SECRET = "woo-webhook-secret-42"
SHOPIFY_API = "/admin/api/2024-10"
WOO_API = "/wp-json/wc/v3"
WEBHOOKS = "/api/v1/integrations/{kind}/webhooks"
SHOPIFY_DELIVERY = "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"
WOO_DELIVERY = "8c1fa3b2d0e9f7a6c5b4a3928170f6e5d4c3b2a1"
SHOPIFY_REFUSAL = "[API] Invalid API key or access token (unrecognized login or wrong password)"


def shopify_product(product_id: int, sku: str, price: str, title: str) -> dict:
    """A product as Shopify's Admin REST API lists it (trimmed to what matters here)."""
    return {
        "id": product_id,
        "title": title,
        "body_html": f"<p><strong>{title}</strong>, printed to order.</p>",
        "vendor": "Luneo Test Shop",
        "product_type": "Mug",
        "handle": title.lower().replace(" ", "-"),
        "status": "active",
        "variants": [
            {"id": product_id * 10 + 1, "product_id": product_id, "title": "Default Title", "price": price,
             "sku": sku, "position": 1, "inventory_policy": "deny", "taxable": True},
        ],
    }  # fmt: skip


def shopify_line(product_id: int, sku: str, title: str, price: str, quantity: int, design: str = "") -> dict:
    """A line item as `/orders.json` lists it (trimmed); `design` goes in the `_luneo_design` property."""
    properties = [{"name": "_luneo_design", "value": design}] if design else []
    return {
        "id": product_id * 100 + quantity,
        "product_id": product_id,
        "variant_id": product_id * 10 + 1,
        "title": title,
        "name": f"{title} - Default Title",
        "sku": sku,
        "price": price,
        "quantity": quantity,
        "total_discount": "0.00",
        "properties": properties,
    }


def shopify_order(order_id: int, total: str, lines: list[dict], *, cancelled: bool = False) -> dict:
    """An order as `/orders.json?fields=…` lists it: only the fields the client asks for."""
    return {
        "id": order_id,
        "created_at": "2026-11-20T10:15:00+01:00",
        "currency": "EUR",
        "total_price": total,
        "financial_status": "voided" if cancelled else "paid",
        "cancelled_at": "2026-11-20T12:00:00+01:00" if cancelled else None,
        "line_items": lines,
    }


def woo_product(product_id: int, sku: str, price: str, name: str) -> dict:
    """A product as WooCommerce's REST API v3 lists it (trimmed)."""
    return {
        "id": product_id,
        "name": name,
        "slug": name.lower().replace(" ", "-"),
        "type": "simple",
        "status": "publish",
        "description": f"<p>{name}, long description.</p>",
        "short_description": f"<p>{name}, printed to order.</p>",
        "sku": sku,
        "price": price,
        "regular_price": price,
        "sale_price": "",
    }


@dataclass
class FakeShop:
    """Answers like a Shopify store and a WooCommerce site at once; records every request."""

    shopify_pages: list[list[dict]] = field(default_factory=list)
    woo_pages: list[list[dict]] = field(default_factory=list)
    shopify_orders: list[list[dict]] = field(default_factory=list)  # pages of `/orders.json`
    currency: str = "EUR"
    shopify_token: str = SHOPIFY_TOKEN
    woo_auth: tuple[str, str] = (WOO_KEY, WOO_SECRET)
    requests: list[tuple[str, dict]] = field(default_factory=list)
    throttled: int = 0  # answer this many next requests 429, as Shopify does past its rate limit
    url: str = ""

    def answer(self, path: str, query: dict, headers) -> tuple[int, object, dict]:
        if self.throttled:
            self.throttled -= 1
            return (
                429,
                {"errors": "Exceeded 2 calls per second for api client. Reduce request rates."},
                {"Retry-After": "0.1"},
            )
        if path.startswith(SHOPIFY_API):
            if headers.get("X-Shopify-Access-Token") != self.shopify_token:
                return 401, {"errors": SHOPIFY_REFUSAL}, {}
            return self.shopify(path.removeprefix(SHOPIFY_API), query)
        if path.startswith(WOO_API):
            expected = "Basic " + base64.b64encode(":".join(self.woo_auth).encode()).decode()
            if headers.get("Authorization") != expected:
                error = {
                    "code": "woocommerce_rest_cannot_view",
                    "message": "Sorry, you cannot list resources.",
                }
                return 401, {**error, "data": {"status": 401}}, {}
            return self.woocommerce(path.removeprefix(WOO_API), query)
        return 404, {"errors": "Not Found"}, {}

    def shopify(self, path: str, query: dict) -> tuple[int, object, dict]:
        if path == "/shop.json":
            shop = {
                "id": 548380009,
                "name": "Luneo Test Shop",
                "myshopify_domain": "luneo-test.myshopify.com",
                "currency": self.currency,
            }
            return 200, {"shop": shop}, {}
        if path == "/products.json":
            return self.shopify_page("products", self.shopify_pages, query)
        if path == "/orders.json":
            return self.shopify_page("orders", self.shopify_orders, query)
        return 404, {"errors": "Not Found"}, {}

    def shopify_page(self, resource: str, pages: list[list[dict]], query: dict) -> tuple[int, object, dict]:
        """One page of a listing, with Shopify's `Link` header to the next and previous ones."""
        page = int(query.get("page_info", "p1")[1:])
        links = []
        if page < len(pages):
            links.append(
                f'<{self.url}{SHOPIFY_API}/{resource}.json?limit=250&page_info=p{page + 1}>; rel="next"'
            )
        if page > 1:
            links.append(
                f'<{self.url}{SHOPIFY_API}/{resource}.json?limit=250&page_info=p{page - 1}>; rel="previous"'
            )
        headers = {"Link": ", ".join(links)} if links else {}
        return 200, {resource: pages[page - 1] if pages else []}, headers

    def woocommerce(self, path: str, query: dict) -> tuple[int, object, dict]:
        if path == "/data/currencies/current":
            return 200, {"code": self.currency, "name": "Euro", "symbol": "&euro;"}, {}
        if path == "/products":
            page = int(query.get("page", "1"))
            total = sum(len(p) for p in self.woo_pages)
            headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(len(self.woo_pages))}
            return 200, self.woo_pages[page - 1], headers
        return 404, {"code": "rest_no_route", "message": "No route was found.", "data": {"status": 404}}, {}

    def handler(self):
        fake = self

        class Handler(QuietHandler):
            def do_GET(self):
                parts = urlsplit(self.path)
                query = {name: values[0] for name, values in parse_qs(parts.query).items()}
                fake.requests.append((parts.path, query))
                status, body, headers = fake.answer(parts.path, query, self.headers)
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

        return Handler


@pytest.fixture
def fake_shop():
    shop = FakeShop(
        shopify_pages=[
            [
                shopify_product(1001, "MUG-WHITE", "19.90", "White mug"),
                shopify_product(1002, "MUG-BLACK", "21.50", "Black mug"),
            ],
            [shopify_product(1003, "", "35.00", "Poster A3")],
        ],
        woo_pages=[
            [woo_product(11, "TEE-S", "25.00", "T-shirt S"), woo_product(12, "TEE-M", "25.00", "T-shirt M")],
            [woo_product(13, "TOTE", "14.00", "Tote bag")],
        ],
    )
    with http_server(shop.handler()) as shop.url:
        yield shop


# --- webhooks -------------------------------------------------------------------------------


def payload(name: str, **values: str) -> bytes:
    """A recorded delivery body with its `{{name}}` placeholders filled in, as raw bytes."""
    text = (PAYLOADS / name).read_text()
    for key, value in values.items():
        text = text.replace(f"{{{{{key}}}}}", value)
    return text.encode()


def sign(secret: str, body: bytes) -> str:
    """What the shop puts in its signature header (computed here independently of our code)."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def shopify_headers(
    body: bytes, *, delivery=SHOPIFY_DELIVERY, secret=SHOPIFY_SECRET, topic="orders/create"
) -> dict:
    return {
        "X-Shopify-Topic": topic,
        "X-Shopify-Hmac-Sha256": sign(secret, body),
        "X-Shopify-Shop-Domain": "luneo-test.myshopify.com",
        "X-Shopify-API-Version": "2024-10",
        "X-Shopify-Webhook-Id": delivery,
        "X-Shopify-Triggered-At": "2026-11-23T08:00:00.000Z",
        "X-Shopify-Event-Id": "98880550-7158-44d4-b7cd-2c97c8a091b5",
    }


def woo_headers(
    body: bytes, *, delivery=WOO_DELIVERY, secret=WOO_WEBHOOK_SECRET, topic="order.created"
) -> dict:
    return {
        "X-WC-Webhook-Source": "https://shop.example/",
        "X-WC-Webhook-Topic": topic,
        "X-WC-Webhook-Resource": "order",
        "X-WC-Webhook-Event": "created",
        "X-WC-Webhook-Signature": sign(secret, body),
        "X-WC-Webhook-ID": "7",
        "X-WC-Webhook-Delivery-ID": delivery,
    }


def deliver(tenant, kind: str, body: bytes, headers: dict, *, on_host: str | None = None):
    """POST a delivery to the workspace's host, as the shop would (no key, no session)."""
    active = connection.tenant
    client = Client(HTTP_HOST=on_host or host(tenant))
    response = client.post(WEBHOOKS.format(kind=kind), body, content_type="application/json", headers=headers)
    connection.set_tenant(active)  # the request switched to the host's schema
    return response
