"""Shops' order webhooks, from recorded payloads signed here with the shop's secret."""

import json
import logging
from decimal import Decimal

import pytest
from django_tenants.utils import tenant_context

from apps.integrations.models import InboundWebhook
from apps.integrations.services import integration_disconnect
from apps.orders.models import Order
from tests.support.factories.designs import ready_design
from tests.support.factories.integrations import shopify_connect, woocommerce_connect
from tests.support.factories.products import product_make
from tests.support.fakes.shops import SHOPIFY_DELIVERY, deliver, payload, shopify_headers, woo_headers

SHOPIFY_ORDER = "shopify_orders_create.json"
WOO_ORDER = "woocommerce_order_created.json"


@pytest.fixture
def shopify(tenant, fake_shop):
    return shopify_connect(fake_shop)


@pytest.fixture
def woocommerce(tenant, fake_shop):
    return woocommerce_connect(fake_shop)


def without_luneo_lines(body: bytes) -> bytes:
    order = json.loads(body)
    for item in order["line_items"]:
        item["properties"] = []
    return json.dumps(order).encode()


# --- Shopify --------------------------------------------------------------------------------


def test_a_signed_shopify_order_becomes_a_paid_luneo_order_at_the_shop_prices(tenant, shopify, luneo_design):
    body = payload(SHOPIFY_ORDER, design=luneo_design.public_id)

    response = deliver(tenant, "shopify", body, shopify_headers(body))

    assert (response.status_code, response.json()) == (200, {"status": "created"})
    order = Order.objects.get()
    assert (order.source, order.external_ref, order.status) == ("shopify", "5820440035505", "paid")
    assert (order.customer_email, order.customer_name, order.currency) == (
        "ada@example.com",
        "Ada Lovelace",
        "EUR",
    )
    assert order.shipping_address == {
        "name": "Ada Lovelace", "line1": "1 rue de la Paix", "line2": "3e étage", "city": "Paris",
        "postal_code": "75002", "country": "FR", "phone": "+33 1 23 45 67 89",
    }  # fmt: skip
    item = order.items.get()  # the gift wrapping line carries no design: not Luneo's to make
    assert (item.design, item.quantity, item.unit_price, item.total) == (
        luneo_design, 2, Decimal("24.90"), Decimal("49.80"),
    )  # fmt: skip
    assert (order.subtotal, order.shipping_total, order.total) == (
        Decimal("49.80"),
        Decimal("4.90"),
        Decimal("54.70"),
    )
    webhook = InboundWebhook.objects.get()
    assert (webhook.kind, webhook.delivery_id, webhook.topic) == (
        "shopify",
        SHOPIFY_DELIVERY,
        "orders/create",
    )
    assert (webhook.outcome, webhook.order) == ("created", order)


def test_a_replayed_shopify_delivery_is_processed_once(tenant, shopify, luneo_design):
    body = payload(SHOPIFY_ORDER, design=luneo_design.public_id)
    deliver(tenant, "shopify", body, shopify_headers(body))

    again = deliver(tenant, "shopify", body, shopify_headers(body))

    assert (again.status_code, again.json()) == (200, {"status": "duplicate"})
    assert Order.objects.count() == 1
    assert InboundWebhook.objects.count() == 1


def test_the_same_shop_order_under_another_delivery_id_is_not_ordered_twice(tenant, shopify, luneo_design):
    body = payload(SHOPIFY_ORDER, design=luneo_design.public_id)
    deliver(tenant, "shopify", body, shopify_headers(body))

    again = deliver(tenant, "shopify", body, shopify_headers(body, delivery="another-delivery"))

    assert again.json() == {"status": "ignored"}
    assert Order.objects.count() == 1
    assert InboundWebhook.objects.get(delivery_id="another-delivery").detail.startswith("Already imported")


def test_a_bad_signature_is_401_logged_and_does_not_block_the_real_delivery(
    tenant, shopify, luneo_design, caplog
):
    body = payload(SHOPIFY_ORDER, design=luneo_design.public_id)
    forged = shopify_headers(body, secret="not-the-shop-secret-at-all")

    with caplog.at_level(logging.WARNING, logger="apps.integrations.services"):
        response = deliver(tenant, "shopify", body, forged)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "webhook_signature_invalid"
    assert "bad signature" in caplog.text
    assert not Order.objects.exists()
    assert not InboundWebhook.objects.exists()
    # the shop's own delivery, with the same id, still goes through
    assert deliver(tenant, "shopify", body, shopify_headers(body)).json() == {"status": "created"}


def test_a_tampered_body_fails_the_signature(tenant, shopify, luneo_design):
    body = payload(SHOPIFY_ORDER, design=luneo_design.public_id)
    headers = shopify_headers(body)

    response = deliver(tenant, "shopify", body.replace(b'"24.90"', b'"0.01"'), headers)

    assert response.status_code == 401
    assert not Order.objects.exists()


def test_an_order_without_luneo_lines_is_ignored(tenant, shopify, luneo_design):
    body = without_luneo_lines(payload(SHOPIFY_ORDER, design=luneo_design.public_id))

    response = deliver(tenant, "shopify", body, shopify_headers(body))

    assert response.json() == {"status": "ignored"}
    assert not Order.objects.exists()
    assert InboundWebhook.objects.get().outcome == "ignored"


def test_another_topic_is_ignored(tenant, shopify, luneo_design):
    body = payload(SHOPIFY_ORDER, design=luneo_design.public_id)

    response = deliver(tenant, "shopify", body, shopify_headers(body, topic="orders/updated"))

    assert response.json() == {"status": "ignored"}
    assert not Order.objects.exists()


def test_a_design_of_another_workspace_is_rejected_without_error(other_tenant, tenant, shopify):
    with tenant_context(other_tenant):
        foreign = ready_design(product_make())
    body = payload(SHOPIFY_ORDER, design=foreign.public_id)

    response = deliver(tenant, "shopify", body, shopify_headers(body))

    assert (response.status_code, response.json()) == (200, {"status": "rejected"})
    assert not Order.objects.exists()
    assert InboundWebhook.objects.get().detail.startswith("design_not_found")
    with tenant_context(other_tenant):
        assert not Order.objects.exists()


def test_alphas_delivery_posted_to_betas_host_is_404_and_creates_nothing(
    other_tenant, tenant, shopify, luneo_design
):
    body = payload(SHOPIFY_ORDER, design=luneo_design.public_id)

    response = deliver(other_tenant, "shopify", body, shopify_headers(body))

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "integration_not_found"
    assert not Order.objects.exists()
    assert not InboundWebhook.objects.exists()
    with tenant_context(other_tenant):
        assert not Order.objects.exists()


def test_the_public_host_has_no_webhooks(tenant, shopify, luneo_design):
    body = payload(SHOPIFY_ORDER, design=luneo_design.public_id)

    response = deliver(tenant, "shopify", body, shopify_headers(body), on_host="localhost")

    assert response.status_code == 404
    assert not Order.objects.exists()


def test_a_disconnected_shop_gets_404(tenant, shopify, luneo_design):
    integration_disconnect(integration=shopify)
    body = payload(SHOPIFY_ORDER, design=luneo_design.public_id)

    assert deliver(tenant, "shopify", body, shopify_headers(body)).status_code == 404


# --- WooCommerce ----------------------------------------------------------------------------


def test_a_signed_woocommerce_order_becomes_a_luneo_order(tenant, woocommerce, luneo_design):
    body = payload(WOO_ORDER, design=luneo_design.public_id)

    response = deliver(tenant, "woocommerce", body, woo_headers(body))

    assert (response.status_code, response.json()) == (200, {"status": "created"})
    order = Order.objects.get()
    assert (order.source, order.external_ref, order.status) == ("woocommerce", "727", "paid")
    assert (order.customer_email, order.customer_name) == ("grace@example.com", "Grace Hopper")
    assert order.shipping_address["line1"] == "221B Baker Street"
    assert order.shipping_address["country"] == "GB"
    item = order.items.get()
    assert (item.design, item.quantity, item.unit_price) == (luneo_design, 1, Decimal("36.50"))
    assert order.total == Decimal("41.50")


def test_a_replayed_woocommerce_delivery_is_processed_once(tenant, woocommerce, luneo_design):
    body = payload(WOO_ORDER, design=luneo_design.public_id)
    deliver(tenant, "woocommerce", body, woo_headers(body))

    again = deliver(tenant, "woocommerce", body, woo_headers(body))

    assert again.json() == {"status": "duplicate"}
    assert Order.objects.count() == 1


def test_a_bad_woocommerce_signature_is_401_and_creates_nothing(tenant, woocommerce, luneo_design):
    body = payload(WOO_ORDER, design=luneo_design.public_id)

    response = deliver(tenant, "woocommerce", body, woo_headers(body, secret="wrong-secret"))

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "webhook_signature_invalid"
    assert not Order.objects.exists()
    assert not InboundWebhook.objects.exists()


def test_woocommerces_unsigned_ping_when_saving_the_webhook_is_answered_200(tenant, woocommerce):
    response = deliver(tenant, "woocommerce", b"webhook_id=7", {"X-WC-Webhook-ID": "7"})

    assert (response.status_code, response.json()) == (200, {"status": "ignored"})
    assert not InboundWebhook.objects.exists()


def test_a_woocommerce_delivery_without_delivery_id_is_400(tenant, woocommerce, luneo_design):
    body = payload(WOO_ORDER, design=luneo_design.public_id)
    headers = woo_headers(body)
    del headers["X-WC-Webhook-Delivery-ID"]

    response = deliver(tenant, "woocommerce", body, headers)

    assert (response.status_code, response.json()["error"]["code"]) == (400, "webhook_invalid")


@pytest.mark.parametrize(
    "bad",
    [
        ("Ada Lovelace", "Ada\\u0000Lovelace"),
        ("Ada Lovelace", "Ada\\ud800"),
        ('"total_price": "64.70"', '"total_price": 1e999'),
        ("{", "[" * 5000),
    ],
)
def test_a_signed_shopify_order_that_is_not_clean_json_is_400_and_stores_nothing(
    tenant, shopify, luneo_design, bad
):
    # Given a correctly signed delivery whose body carries NUL, a lone surrogate, a number out
    # of range or nesting deeper than JSON is read
    old, new = bad
    body = payload(SHOPIFY_ORDER, design=luneo_design.public_id).decode().replace(old, new, 1).encode()

    response = deliver(tenant, "shopify", body, shopify_headers(body))

    assert (response.status_code, response.json()["error"]["code"]) == (400, "malformed_request")
    assert not InboundWebhook.objects.exists()
    assert not Order.objects.exists()
