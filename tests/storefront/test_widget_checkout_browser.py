"""Luneo's own checkout in the widget, for a shop without a cart, on the merchant's origin.

The brand takes no online payment (no Stripe key: paying on Stripe Checkout is covered at the
HTTP level in test_checkout_payment.py), so the shopper sends an order request awaiting payment:
once, however often the form is submitted, with the brand's country chosen in the list. On the
way, the 3D view shows a loader until its model is drawn.
"""

import pytest
from django_tenants.utils import tenant_context

from apps.brands.services import brand_create, brand_publishable_key_create
from apps.orders.models import Order
from tests.support.browser import launch, needs_chromium
from tests.support.factories.products import product_make
from tests.support.merchant_shop import merchant_page, merchant_shop
from tests.support.processes import free_port

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    needs_chromium,
]
READY_TIMEOUT_MS = 90_000
WIDGET = "[data-luneo-product]"


def test_the_shopper_sends_one_order_request_with_the_brands_country(tenant, worker, daphne):  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    # given a brand shipping from Belgium, without a Stripe key, on a shop without a cart
    port = free_port()
    brand = brand_create(name="Mugs & Co", allowed_origins=[f"http://127.0.0.1:{port}"], country="BE")
    _key, raw_key = brand_publishable_key_create(brand=brand)
    product = product_make(brand=brand)
    script = f"http://127.0.0.1:{daphne.port}/widget/v1/luneo.js"
    page_html = merchant_page(script=script, key=raw_key, sku=product.sku)

    with merchant_shop(port, page_html), sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(locale="en-US")
        page.set_default_timeout(20_000)
        orders_sent = []
        page.on(
            "request",
            lambda r: r.method == "POST" and "/api/v1/widget/orders" in r.url and orders_sent.append(r),
        )
        page.goto(f"http://127.0.0.1:{port}/products/mug")
        page.wait_for_function("window.luneoEvents.some(e => e.type === 'luneo:ready')")
        page.get_by_label("Describe your design").fill("A hedgehog reading a book")
        page.get_by_role("button", name="Create my design").click()
        page.wait_for_function(
            "window.luneoEvents.some(e => e.type === 'luneo:design-ready')", timeout=READY_TIMEOUT_MS
        )

        # when the shopper opens the 3D view while the viewer's library is still on its way
        held = []
        page.route("**/widget/v1/model-viewer.js", lambda route: held.append(route))
        page.get_by_role("button", name="View in 3D").click()

        # then a loader says the 3D view is loading, until the model is drawn
        loader = page.locator(".lw-3d-load")
        expect(loader).to_have_text("Loading the 3D view…")
        expect(loader).to_have_attribute("role", "status")
        while not held:
            page.wait_for_timeout(50)
        held[0].continue_()
        viewer = page.locator("model-viewer")
        expect(viewer).to_have_js_property("loaded", True, timeout=30_000)
        expect(loader).to_have_count(0)
        page.get_by_role("button", name="Close").click()

        # when they add the design to the cart: Luneo's checkout opens
        page.get_by_role("button", name="Add to cart").click()

        # then the country list names every country, with the brand's own chosen
        country = page.get_by_label("Country")
        expect(country).to_have_value("BE")
        expect(country.locator("option:checked")).to_have_text("Belgium")
        expect(country.locator("option")).to_have_count(250)  # 249 countries and "none chosen"

        # when they fill the form and submit it three times at once (a double click, then Enter)
        page.get_by_label("Email").fill("ada@example.com")
        page.get_by_label("Full name").fill("Ada Lovelace")
        page.get_by_label("Address", exact=True).fill("12 rue des Lilas")
        page.get_by_label("City").fill("Liège")
        page.get_by_label("Postal code").fill("4000")
        button = page.get_by_role("button", name="Send order request")
        page.evaluate(
            f"""() => {{
              const form = document.querySelector('{WIDGET}').shadowRoot.querySelector('.lw-checkout form');
              form.requestSubmit(); form.requestSubmit(); form.requestSubmit();
            }}"""
        )

        # then one request left, and the shopper reads that the order awaits payment
        confirmation = page.get_by_role("status").filter(has_text="awaiting payment")
        expect(confirmation).to_be_visible()
        expect(button).to_have_count(0)
        confirmed = confirmation.text_content()
        browser.close()

    assert len(orders_sent) == 1
    with tenant_context(tenant):
        order = Order.objects.get()
    assert confirmed.startswith(f"Order request {order.reference} received, awaiting payment")
    assert order.status == Order.Status.PENDING
    assert order.shipping_address["country"] == "BE"
    assert order.note.startswith("Order request awaiting payment")
