"""A shopper on a Shopify or WooCommerce shop adds the design to the shop's own cart.

The shop (tests/storefront/merchant_shop.py) runs on another origin than Luneo's daphne and
records its cart requests: the line must carry the design's id as `_luneo_design`, which is what
Luneo's order webhooks read (apps/integrations). The design is made by a real Celery worker.
"""

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from django_tenants.utils import tenant_context

from apps.brands.services import brand_create, brand_publishable_key_create
from apps.designs.models import Design
from apps.orders.models import Order
from tests.support.browser import launch, needs_chromium
from tests.support.factories.products import product_make
from tests.support.merchant_shop import WOO_CART, WOO_COOKIE, Shop, merchant_page, merchant_shop
from tests.support.processes import free_port

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    needs_chromium,
]
READY_TIMEOUT_MS = 90_000
SHOPIFY_VARIANT = 44012345678901  # Shopify's ids are larger than 2³²


@pytest.fixture
def shop_setup(tenant, daphne, worker):
    """A brand allowing one merchant origin, its publishable key and a 12.00 EUR mug; Luneo's
    daphne and a Celery worker running."""
    port = free_port()
    brand = brand_create(name="Mugs & Co", allowed_origins=[f"http://127.0.0.1:{port}"])
    _key, raw_key = brand_publishable_key_create(brand=brand)
    product = product_make(brand=brand)
    script = f"http://127.0.0.1:{daphne.port}/widget/v1/luneo.js"
    return {"port": port, "key": raw_key, "sku": product.sku, "script": script}


@contextlib.contextmanager
def shop_page(shop_setup: dict, path: str, **snippet: str) -> Iterator[tuple[Shop, "Page"]]:
    """The merchant's product page at `path`, its widget set up by `snippet` (`merchant_page`'s
    head, script_attributes, attributes), open in Chromium; yields the shop and the page."""
    from playwright.sync_api import sync_playwright

    html = merchant_page(script=shop_setup["script"], key=shop_setup["key"], sku=shop_setup["sku"], **snippet)
    with merchant_shop(shop_setup["port"], html) as shop, sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page()
            page.set_default_timeout(20_000)
            page.goto(f"http://127.0.0.1:{shop_setup['port']}{path}")
            yield shop, page
        finally:
            browser.close()


def event(page, name: str) -> dict:
    page.wait_for_function(f"window.luneoEvents.some(e => e.type === {name!r})", timeout=READY_TIMEOUT_MS)
    return page.evaluate(f"window.luneoEvents.filter(e => e.type === {name!r}).pop().detail")


def design(page) -> dict:
    """The shopper creates a design and waits for it; returns luneo:design-ready's detail."""
    event(page, "luneo:ready")
    page.get_by_label("Describe your design").fill("A lighthouse at dawn")
    page.get_by_role("button", name="Create my design").click()
    return event(page, "luneo:design-ready")


def test_on_a_shopify_shop_the_design_goes_into_the_shops_cart_as_a_line_item_property(tenant, shop_setup):
    from playwright.sync_api import expect

    # given a Shopify product page (its shop lives under /en/) set up for the shop's cart
    with shop_page(
        shop_setup,
        "/en/products/mug",
        head='<script>window.Shopify = {routes: {root: "/en/"}};</script>',
        script_attributes='data-luneo-cart="shopify"',
        attributes=f'data-luneo-shop-variant="{SHOPIFY_VARIANT}"',
    ) as (shop, page):
        # when the shopper makes a design and adds two to the cart
        ready = design(page)
        page.get_by_label("Quantity").fill("2")
        page.get_by_role("button", name="Add to cart").click()

        # then the shop's cart got one line with the design's id as a hidden property
        status = page.get_by_role("status").filter(has_text="Added to your cart.")
        expect(status).to_be_visible()
        expect(status.get_by_role("link", name="View cart")).to_have_attribute("href", "/en/cart")
        added = event(page, "luneo:added-to-cart")
        # and Luneo's own checkout did not open
        expect(page.get_by_label("Email")).to_have_count(0)

    [request] = shop.posted("/en/cart/add.js")
    assert request.headers["Content-Type"] == "application/json"
    assert request.body == {
        "items": [{"id": SHOPIFY_VARIANT, "quantity": 2, "properties": {"_luneo_design": ready["design_id"]}}]
    }
    assert added["design_id"] == ready["design_id"]
    assert added["cart"] == "shopify"
    with tenant_context(tenant):
        assert Design.objects.filter(public_id=ready["design_id"], status=Design.Status.READY).exists()
        assert not Order.objects.exists()  # the shop's order webhook will bring it


def test_on_a_woocommerce_shop_the_design_goes_into_the_store_api_cart_with_its_nonce(shop_setup):
    from playwright.sync_api import expect

    # given a WordPress product page (its REST root announced in a link) set up for WooCommerce
    with shop_page(
        shop_setup,
        "/product/mug/",
        head=f'<link rel="https://api.w.org/" href="http://127.0.0.1:{shop_setup["port"]}/wp-json/">',
        attributes='data-luneo-cart="woocommerce" data-luneo-shop-variant="31"',
    ) as (shop, page):
        # when the shopper adds the design to the cart
        ready = design(page)
        button = page.get_by_role("button", name="Add to cart")
        button.click()
        expect(page.get_by_role("status").filter(has_text="Added to your cart.")).to_be_visible()
        expect(button).to_be_enabled()

        # and adds it again once the shop's nonce has aged out
        shop.nonce_expire()
        page.evaluate("window.luneoEvents = []")
        button.click()
        event(page, "luneo:added-to-cart")

    # then the Store API was asked for the cart session's nonce, then given the item with it
    gets = [request for request in shop.received if request.method == "GET" and request.path == WOO_CART]
    first, refused, second = shop.posted(f"{WOO_CART}/add-item")
    assert len(gets) == 2  # once at first, once more when the nonce was refused
    assert (first.headers["Nonce"], refused.headers["Nonce"], second.headers["Nonce"]) == (
        "nonce-1",
        "nonce-1",
        "nonce-2",
    )
    assert first.headers["Cart-Token"] == "token-1"
    assert WOO_COOKIE in first.headers["Cookie"]  # the shopper's own cart session
    line = {"id": 31, "quantity": 1, "cart_item_data": {"_luneo_design": ready["design_id"]}}
    assert first.body == second.body == line


def test_a_shop_cart_without_the_shops_variant_tells_the_merchant_what_to_set(shop_setup):
    from playwright.sync_api import expect

    # given a Shopify page whose snippet forgot data-luneo-shop-variant
    with shop_page(shop_setup, "/products/mug", script_attributes='data-luneo-cart="shopify"') as (
        shop,
        page,
    ):
        # when the shopper adds the design to the cart
        design(page)
        page.get_by_role("button", name="Add to cart").click()

        # then the shopper is told it is unavailable, with nothing to retry
        alert = page.get_by_role("alert")
        expect(alert).to_have_text("Personalization unavailable")
        expect(alert.get_by_role("button")).to_have_count(0)
        assert event(page, "luneo:error")["code"] == "cart_not_configured"
        console = [(message.type, message.text) for message in page.console_messages()]

    # and the merchant's console says what to set; the shop was never called
    errors = [text for kind, text in console if kind == "error"]
    assert any("data-luneo-shop-variant" in text for text in errors), console
    assert not shop.posted("/cart/add.js")
