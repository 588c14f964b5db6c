"""Connecting shops (one real call to the fake shop) and importing their products by SKU."""

import socket
from decimal import Decimal

import pytest
from django.db import connection

from apps.core.crypto import decrypt, decrypt_json
from apps.integrations.errors import (
    CredentialsInvalid,
    CurrencyUnsupported,
    IntegrationInvalid,
    ShopUnreachable,
)
from apps.integrations.models import Integration
from apps.integrations.services import (
    integration_connect,
    integration_disconnect,
    integration_products_import,
)
from apps.integrations.tasks import etl_products_import
from apps.products.models import Product
from tests.support.dns import resolve_rebinding
from tests.support.factories.brands import brand_make
from tests.support.factories.integrations import shopify_connect, woocommerce_connect
from tests.support.fakes.shops import (
    SHOPIFY_SECRET,
    SHOPIFY_TOKEN,
    WOO_KEY,
    WOO_SECRET,
    WOO_WEBHOOK_SECRET,
    shopify_product,
    woo_product,
)
from tests.support.processes import free_port


def stored_columns() -> str:
    """The integration table's credentials and secrets exactly as PostgreSQL holds them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT credentials || ' ' || webhook_secret FROM orders_integration")
        return " ".join(row[0] for row in cursor.fetchall())


def test_shopify_connects_with_one_call_and_stores_credentials_encrypted(tenant, fake_shop):
    integration = shopify_connect(fake_shop)

    assert (integration.status, integration.shop_url) == ("connected", fake_shop.url)
    assert fake_shop.requests == [("/admin/api/2024-10/shop.json", {})]
    raw = stored_columns()
    assert SHOPIFY_TOKEN not in raw
    assert SHOPIFY_SECRET not in raw
    assert decrypt_json(integration.credentials) == {"access_token": SHOPIFY_TOKEN}
    assert decrypt(integration.webhook_secret) == SHOPIFY_SECRET


def test_woocommerce_connects_with_basic_auth_and_stores_credentials_encrypted(tenant, fake_shop):
    integration = woocommerce_connect(fake_shop)

    assert integration.status == "connected"
    assert fake_shop.requests == [("/wp-json/wc/v3/data/currencies/current", {})]
    raw = stored_columns()
    assert all(secret not in raw for secret in (WOO_KEY, WOO_SECRET, WOO_WEBHOOK_SECRET))
    assert decrypt_json(integration.credentials) == {"consumer_key": WOO_KEY, "consumer_secret": WOO_SECRET}


def test_a_rate_limited_call_is_retried_after_the_shops_retry_after(tenant, fake_shop):
    fake_shop.throttled = 2

    integration = shopify_connect(fake_shop)

    assert integration.status == "connected"
    assert len(fake_shop.requests) == 3


def test_a_token_the_shop_refuses_is_422_and_nothing_is_stored(tenant, fake_shop):
    fake_shop.shopify_token = "shpat_" + "f" * 32  # the shop knows another token

    with pytest.raises(CredentialsInvalid) as caught:
        shopify_connect(fake_shop)

    assert (caught.value.status, caught.value.code) == (422, "integration_credentials_invalid")
    assert not Integration.objects.exists()


def test_woocommerce_keys_the_site_refuses_are_422(tenant, fake_shop):
    fake_shop.woo_auth = (WOO_KEY, "cs_" + "0" * 40)

    with pytest.raises(CredentialsInvalid):
        woocommerce_connect(fake_shop)


def test_malformed_fields_are_422_listing_every_field(tenant):
    with pytest.raises(IntegrationInvalid) as caught:
        integration_connect(
            kind="woocommerce",
            shop_url="ftp://shop.example",
            credentials={"consumer_key": "key", "consumer_secret": "cs_" + "1" * 40, "webhook_secret": ""},
        )

    assert caught.value.status == 422
    assert set(caught.value.details["fields"]) == {"shop_url", "consumer_key", "webhook_secret"}


def test_plain_http_is_refused_for_a_shop_on_the_internet(tenant):
    credentials = {"access_token": SHOPIFY_TOKEN, "api_secret": SHOPIFY_SECRET}

    with pytest.raises(IntegrationInvalid) as caught:
        integration_connect(kind="shopify", shop_url="http://mystore.myshopify.com", credentials=credentials)

    assert list(caught.value.details["fields"]) == ["shop_url"]


def test_a_shop_that_does_not_answer_is_422_unreachable_not_500(tenant):
    credentials = {"access_token": SHOPIFY_TOKEN, "api_secret": SHOPIFY_SECRET}

    with pytest.raises(ShopUnreachable) as caught:
        integration_connect(
            kind="shopify", shop_url=f"http://127.0.0.1:{free_port()}", credentials=credentials
        )

    assert (caught.value.status, caught.value.code) == (422, "integration_unreachable")


def test_a_shop_name_that_rebinds_to_loopback_after_the_check_is_never_connected_to(
    tenant, settings, monkeypatch
):
    # Given production's guard, a server on this machine, and a shop name whose DNS answers a
    # public address to the check of the address, then this machine's (DNS rebinding; faked)
    settings.WEBHOOK_BLOCK_PRIVATE_NETWORKS = True
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.setblocking(False)
        resolve_rebinding(monkeypatch, "shop.rebind.example")
        credentials = {"access_token": SHOPIFY_TOKEN, "api_secret": SHOPIFY_SECRET}

        # When the shop is connected
        with pytest.raises(ShopUnreachable) as caught:
            integration_connect(
                kind="shopify",
                shop_url=f"https://shop.rebind.example:{listener.getsockname()[1]}",
                credentials=credentials,
            )

        # Then the address connected to is checked too: no connection reached this machine
        assert caught.value.details == {"reason": "AddressRefused"}
        with pytest.raises(BlockingIOError):
            listener.accept()
    assert not Integration.objects.exists()


def test_reconnecting_replaces_the_credentials_and_disconnecting_erases_them(tenant, fake_shop):
    first = shopify_connect(fake_shop)
    brand = brand_make()

    again = shopify_connect(fake_shop, brand=brand)
    integration_disconnect(integration=again)

    again.refresh_from_db()
    assert again.pk == first.pk
    assert Integration.objects.count() == 1
    assert (again.status, again.credentials, again.webhook_secret, again.brand) == (
        "disconnected",
        "",
        "",
        brand,
    )


def test_shopify_import_follows_the_link_header_and_creates_drafts_by_sku(tenant, fake_shop):
    brand = brand_make()
    integration = shopify_connect(fake_shop, brand=brand)

    count = integration_products_import(integration=integration)

    assert count == 3
    pages = [query for path, query in fake_shop.requests if path.endswith("/products.json")]
    assert pages == [{"limit": "250"}, {"limit": "250", "page_info": "p2"}]
    products = {p.sku: p for p in Product.objects.all()}
    assert set(products) == {"MUG-WHITE", "MUG-BLACK", "shopify-1003"}
    white = products["MUG-WHITE"]
    assert (white.name, white.price, white.currency, white.status, white.brand) == (
        "White mug", Decimal("19.90"), "EUR", "draft", brand,
    )  # fmt: skip
    assert white.description == "White mug, printed to order."
    integration.refresh_from_db()
    assert (integration.last_import_count, integration.last_error) == (3, "")
    assert integration.last_import_at is not None


def test_reimporting_is_idempotent_and_updates_what_changed_in_the_shop(tenant, fake_shop):
    integration = shopify_connect(fake_shop)
    integration_products_import(integration=integration)
    Product.objects.filter(sku="MUG-BLACK").update(status=Product.Status.ACTIVE)  # the brand finished it
    untouched = Product.objects.get(sku="MUG-WHITE").updated_at
    fake_shop.shopify_pages[0][1] = shopify_product(1002, "MUG-BLACK", "23.00", "Black mug XL")

    count = integration_products_import(integration=integration)

    assert count == 3
    assert Product.objects.count() == 3
    black = Product.objects.get(sku="MUG-BLACK")
    assert (black.name, black.price, black.status) == ("Black mug XL", Decimal("23.00"), "active")
    assert Product.objects.get(sku="MUG-WHITE").updated_at == untouched


def test_woocommerce_import_pages_up_to_x_wp_totalpages(tenant, fake_shop):
    integration = woocommerce_connect(fake_shop)

    count = integration_products_import(integration=integration)

    assert count == 3
    pages = [query for path, query in fake_shop.requests if path.endswith("/products")]
    assert pages == [{"page": "1", "per_page": "100"}, {"page": "2", "per_page": "100"}]
    tote = Product.objects.get(sku="TOTE")
    assert (tote.name, tote.price, tote.description, tote.status) == (
        "Tote bag", Decimal("14.00"), "Tote bag, printed to order.", "draft",
    )  # fmt: skip


def test_an_import_the_shop_refuses_is_recorded_on_the_integration(tenant, fake_shop):
    integration = shopify_connect(fake_shop)
    fake_shop.shopify_token = "shpat_revoked_in_the_shop_admin"

    with pytest.raises(CredentialsInvalid):
        integration_products_import(integration=integration)

    integration.refresh_from_db()
    assert integration.status == "error"
    assert "refused" in integration.last_error
    assert not Product.objects.exists()


def test_an_unsupported_shop_currency_stops_the_import_with_a_clear_error(tenant, fake_shop):
    integration = woocommerce_connect(fake_shop)
    fake_shop.currency = "SEK"

    with pytest.raises(CurrencyUnsupported):
        integration_products_import(integration=integration)

    integration.refresh_from_db()
    assert integration.status == "error"
    assert not Product.objects.exists()


def test_the_task_imports_in_the_background_and_a_failure_does_not_raise(tenant, fake_shop):
    integration = woocommerce_connect(fake_shop)

    etl_products_import.apply(args=[integration.pk])
    assert Product.objects.count() == 3

    fake_shop.woo_auth = ("ck_other", "cs_other")
    etl_products_import.apply(args=[integration.pk], throw=True)  # recorded, not raised
    integration.refresh_from_db()
    assert integration.status == "error"


def test_a_product_the_catalog_refuses_is_skipped_and_named_in_the_error(tenant, fake_shop):
    fake_shop.woo_pages[1].append(woo_product(14, "BROKEN", "-5.00", "Broken price"))
    integration = woocommerce_connect(fake_shop)

    count = integration_products_import(integration=integration)

    integration.refresh_from_db()
    assert count == 3
    assert (integration.status, integration.last_import_count) == ("connected", 3)
    assert "Broken price" in integration.last_error
    assert not Product.objects.filter(sku="BROKEN").exists()
