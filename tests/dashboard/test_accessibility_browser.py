"""Headless Chromium with axe-core: dashboard pages pass WCAG 2.2 AA, and the embed snippet fits a phone.

Every status badge is on screen (designs and orders in each status, an order awaiting payment),
as are the first steps of the home page and the publishable key's snippet on the brand and
product pages.
"""

import pytest
from django_tenants.utils import tenant_context

from apps.brands.services import brand_create, brand_publishable_key_create
from apps.designs.models import Design
from apps.orders.models import Order
from apps.orders.services import ItemInput, order_create
from tests.support.axe import axe_check
from tests.support.browser import launch, log_in, needs_chromium
from tests.support.factories.analytics import TODAY, design_on, order_on
from tests.support.factories.orders import ADDRESS
from tests.support.factories.products import product_make
from tests.support.workspaces import ensure_tenant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]
PAGE_WIDER_THAN_VIEWPORT = "() => document.documentElement.scrollWidth > window.innerWidth"


@pytest.fixture
def workspace(settings, tmp_path):
    """Workspace `alpha` with a brand and its key, a product, designs and orders in every status
    and an order request awaiting payment; `beta`, new and empty."""
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_tenant("beta")
    tenant = ensure_tenant("alpha")
    with tenant_context(tenant):
        brand = brand_create(name="Acme", allowed_origins=["https://shop.example"])
        brand_publishable_key_create(brand=brand)
        product = product_make(brand=brand)
        for status in Design.Status.values:
            design_on(TODAY, product, status=status)
        for number, status in enumerate(Order.Status.values):
            order_on(
                TODAY, total="20.00", email=f"shopper{number}@example.com", product=product, status=status
            )
        awaiting = order_create(  # as the widget of a brand taking no online payment records it
            source=Order.Source.WIDGET,
            items=[ItemInput(design=design_on(TODAY, product, status=Design.Status.READY))],
            shopper_session="s1",
            customer={"email": "request@example.com", "name": "Request"},
            shipping_address=ADDRESS,
            note="Order request awaiting payment: the customer has not paid.",
        )
        first_design = Design.objects.order_by("pk").first()
        first_order = Order.objects.order_by("pk").first()
    return {
        "brand": brand.pk,
        "product": product.pk,
        "design": first_design.pk,
        "order": first_order.number,
        "awaiting": awaiting.number,
    }


def test_dashboard_pages_have_no_serious_accessibility_violation(live_server, workspace):
    from playwright.sync_api import expect, sync_playwright

    base = f"http://alpha.localhost:{live_server.thread.port}"
    pages = [
        "/",
        "/products/",
        "/products/new/",
        f"/products/{workspace['product']}/",
        "/designs/",
        f"/designs/{workspace['design']}/",
        "/orders/",
        f"/orders/{workspace['order']}/",
        f"/orders/{workspace['awaiting']}/",
        "/settings/brands/",
        f"/settings/brands/{workspace['brand']}/",
    ]
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(20_000)
        page.goto(f"{base}/accounts/login/")
        axe_check(page)
        log_in(page, base, "owner@alpha.test")
        for path in pages:
            page.goto(f"{base}{path}")
            axe_check(page)

        # and a new workspace's home, with its first steps to take
        fresh = page.context.browser.new_page(viewport={"width": 1280, "height": 900})
        log_in(fresh, f"http://beta.localhost:{live_server.thread.port}", "owner@beta.test")
        expect(fresh.locator("#onboarding")).to_contain_text("0 of 6 steps done")
        axe_check(fresh)
        browser.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_the_snippet_box_wraps_inside_the_page(live_server, workspace, width):
    from playwright.sync_api import expect, sync_playwright

    base = f"http://alpha.localhost:{live_server.thread.port}"
    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(viewport={"width": width, "height": 800})
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
        page = context.new_page()
        page.set_default_timeout(20_000)
        log_in(page, base, "owner@alpha.test")

        for path in [f"/settings/brands/{workspace['brand']}/", f"/products/{workspace['product']}/"]:
            page.goto(f"{base}{path}")
            snippet = page.locator("#embed-snippet")
            expect(snippet).to_contain_text('data-luneo-key="pk_live_')
            assert not page.evaluate(PAGE_WIDER_THAN_VIEWPORT), path
            box = snippet.bounding_box()
            assert 0 <= box["x"] < box["x"] + box["width"] <= width, (path, box)
            axe_check(page)

        page.get_by_role("button", name="Copy the snippet").click()
        expect(page.get_by_role("button", name="Copied")).to_be_visible()
        assert page.evaluate("navigator.clipboard.readText()") == snippet.inner_text().strip()
        browser.close()


def test_at_phone_width_the_tables_scroll_in_focusable_regions(live_server, workspace):
    from playwright.sync_api import sync_playwright

    base = f"http://alpha.localhost:{live_server.thread.port}"
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 375, "height": 800})
        page.set_default_timeout(20_000)
        log_in(page, base, "owner@alpha.test")

        for path in ["/orders/", "/designs/", "/products/", f"/orders/{workspace['awaiting']}/"]:
            page.goto(f"{base}{path}")
            # The page itself never scrolls sideways: each table scrolls in its own region
            assert not page.evaluate(PAGE_WIDER_THAN_VIEWPORT), path
            tables = page.locator("table.table")
            assert tables.count() > 0, path
            for index in range(tables.count()):
                region = tables.nth(index).locator("xpath=..")
                assert region.get_attribute("role") == "region", path
                assert region.get_attribute("tabindex") == "0", path
                assert region.get_attribute("aria-label"), path
            axe_check(page)

        assert page.locator("h1 [data-awaiting-payment]").is_visible()  # its badge was checked too

        # On the orders list, the region is what scrolls, and the keyboard alone scrolls it
        page.goto(f"{base}/orders/")
        region = page.locator("table.table").first.locator("xpath=..")
        assert region.evaluate("(element) => element.scrollWidth > element.clientWidth")
        page.locator("main h1").click()
        for _ in range(20):  # Tab from the heading until the region has the focus
            page.keyboard.press("Tab")
            if region.evaluate("(element) => element === document.activeElement"):
                break
        else:
            raise AssertionError("Tab never reaches the orders table's region")
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => document.activeElement.scrollLeft > 0")
        browser.close()
