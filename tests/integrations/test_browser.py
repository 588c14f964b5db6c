"""An admin in headless Chromium connects Shopify (the fake shop) and imports its products.

daphne serves the dashboard and a real Celery worker runs the import; the page follows it by
polling (htmx). daphne serves no /static/ with DEBUG off: the browser gets them through a route.
"""

import pytest

from apps.products.models import Product
from apps.tenants.models import Role
from tests.support.axe import axe_check
from tests.support.browser import launch, log_in, needs_chromium, serve_static
from tests.support.fakes.shops import SHOPIFY_SECRET, SHOPIFY_TOKEN
from tests.support.workspaces import member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    needs_chromium,
]


@pytest.fixture
def _media_root():
    """daphne and the worker use the configured MEDIA_ROOT."""


def test_an_admin_connects_shopify_then_imports_its_products(daphne, worker, tenant, fake_shop, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    member(tenant, Role.ADMIN, email="shopkeeper@alpha.test")
    base = f"http://alpha.localhost:{daphne.port}"

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.set_default_timeout(20_000)
        page.route(f"{base}/static/**", serve_static)

        # given an admin on Settings → Integrations
        log_in(page, base, "shopkeeper@alpha.test")
        page.goto(f"{base}/settings/integrations/")
        shopify = page.locator("#integration-shopify")
        expect(shopify.get_by_text("Not connected")).to_be_visible()
        axe_check(page)

        # when they connect their Shopify store with its token and webhook secret
        shopify.get_by_label("Shop domain").fill(fake_shop.url)
        shopify.get_by_label("Admin API access token").fill(SHOPIFY_TOKEN)
        shopify.get_by_label("Webhook signing secret").fill(SHOPIFY_SECRET)
        shopify.get_by_role("button", name="Connect").click()

        # then the store is connected, the token shows only its end, and the webhook address is given
        expect(page.get_by_text("Shopify is connected.")).to_be_visible()
        expect(shopify.locator(".badge").first).to_have_text("Connected")
        expect(shopify.get_by_text(f"…{SHOPIFY_TOKEN[-4:]}")).to_be_visible()
        webhook_url = f"{base}/api/v1/integrations/shopify/webhooks"
        expect(shopify.locator("#webhook-url-shopify")).to_have_text(webhook_url)

        # when they import the products: the worker runs the import, the page follows it
        shopify.get_by_role("button", name="Import products").click()
        expect(shopify.get_by_text("Last import")).to_contain_text("3 products", timeout=30_000)
        page.screenshot(path=str(tmp_path / "integrations.png"), full_page=True)
        browser.close()

    # then the catalog has the shop's three products, as drafts
    assert sorted(Product.objects.values_list("sku", "status")) == [
        ("MUG-BLACK", "draft"), ("MUG-WHITE", "draft"), ("shopify-1003", "draft"),
    ]  # fmt: skip
