"""What only the merchant can fix shows the shopper a neutral line and the merchant what to fix.

A page on an origin the brand does not allow, or with a revoked key: the shopper reads
"Personalization unavailable" with no pointless Try again; the page's console says why.
"""

import pytest

from apps.brands.services import brand_create, brand_publishable_key_create
from tests.support.browser import launch, needs_chromium
from tests.support.factories.products import product_make
from tests.support.merchant_shop import merchant_page, merchant_shop
from tests.support.processes import free_port

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]


@pytest.fixture
def site(tenant, daphne):  # noqa: F811
    port = free_port()
    brand = brand_create(name="Mugs & Co", allowed_origins=[f"http://127.0.0.1:{port}"])
    _key, raw_key = brand_publishable_key_create(brand=brand)
    product = product_make(brand=brand)
    script = f"http://127.0.0.1:{daphne.port}/widget/v1/luneo.js"
    page_html = merchant_page(script=script, key=raw_key, sku=product.sku)
    with merchant_shop(port, page_html):
        yield {"port": port, "brand": brand}


def open_page(playwright, url: str):
    """The merchant's page, its console's errors and the widget's luneo:error events as they come."""
    browser = launch(playwright)
    page = browser.new_page()
    page.set_default_timeout(20_000)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(url)
    page.wait_for_function("window.luneoEvents.some(e => e.type === 'luneo:error')")
    return browser, page, errors


def test_on_a_site_the_brand_does_not_allow_the_shopper_sees_it_unavailable(site):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        # when the page is opened on http://localhost:<port>, an origin the brand does not list
        browser, page, errors = open_page(playwright, f"http://localhost:{site['port']}/products/mug")

        # then the shopper reads a neutral line, with no button to retry
        alert = page.get_by_role("alert")
        expect(alert).to_have_text("Personalization unavailable")
        expect(alert.get_by_role("button")).to_have_count(0)
        # and the page is told why
        error = page.evaluate("window.luneoEvents.find(e => e.type === 'luneo:error').detail")
        browser.close()

    assert error["code"] == "origin_not_allowed"
    # and the merchant's console says what to fix
    [message] = [text for text in errors if "Luneo widget" in text]
    assert "origin_not_allowed" in message
    assert "Add its address to the brand's allowed origins" in message


def test_with_a_revoked_key_the_shopper_sees_it_unavailable_and_the_console_says_why(site):
    from playwright.sync_api import expect, sync_playwright

    # given the brand's key rotated: the page still carries the old one
    brand_publishable_key_create(brand=site["brand"])

    with sync_playwright() as playwright:
        browser, page, errors = open_page(playwright, f"http://127.0.0.1:{site['port']}/products/mug")

        alert = page.get_by_role("alert")
        expect(alert).to_have_text("Personalization unavailable")
        expect(alert.get_by_role("button")).to_have_count(0)
        browser.close()

    [message] = [text for text in errors if "Luneo widget" in text]
    assert "publishable_key_invalid" in message
    assert "copy it again from the brand's settings" in message
