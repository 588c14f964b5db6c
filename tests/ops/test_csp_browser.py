"""Headless Chromium under the Content-Security-Policy: the pages work and nothing is blocked.

Chromium logs every blocked script, style, image, connection or form target on the console;
each test reads a page through and expects no such line.
"""

import contextlib

import pytest
from django.contrib.auth import get_user_model
from django_tenants.utils import tenant_context

from apps.brands.services import brand_create, brand_publishable_key_create
from apps.tenants.selectors import DEMO_SLUG
from tests.support.axe import axe_check
from tests.support.browser import csp_violations, launch, log_in, needs_chromium
from tests.support.clients import totp_activate, totp_code
from tests.support.factories.products import product_make
from tests.support.factories.tenants import PASSWORD
from tests.support.workspaces import ensure_tenant

CHART_DRAWN = "() => Boolean(Chart.getChart(document.querySelector('canvas[data-chart=timeline]')))"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]


@contextlib.contextmanager
def chromium_page():
    """A page in headless Chromium, opened once the test's data is in place (the database is not
    usable from inside Playwright's event loop)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(20_000)
        yield page
        browser.close()


def test_the_dashboard_home_draws_its_charts_unblocked(live_server):
    from playwright.sync_api import expect

    # given an owner's workspace (the home page: htmx, Chart.js, the notifications socket)
    ensure_tenant("alpha")
    base = f"http://alpha.localhost:{live_server.thread.port}"
    with chromium_page() as page:
        violations = csp_violations(page)
        log_in(page, base, "owner@alpha.test")

        # when the charts are drawn and the period is switched through htmx
        page.wait_for_function(CHART_DRAWN)
        axe_check(page)
        page.get_by_label("Period").select_option("7")
        expect(page.locator(".period-label")).to_contain_text("(7 days)")
        page.wait_for_function(CHART_DRAWN)

    # then nothing was blocked
    assert violations == []


def test_the_api_docs_render_unblocked(live_server):
    with chromium_page() as page:
        violations = csp_violations(page)
        page.goto(f"http://localhost:{live_server.thread.port}/api/docs/")

        page.locator(".opblock").first.wait_for()
    assert violations == []


def test_the_operators_admin_works_unblocked(live_server):
    from playwright.sync_api import expect

    secret = totp_activate(get_user_model().objects.create_superuser("ops@luneo.test", PASSWORD))
    base = f"http://localhost:{live_server.thread.port}"
    with chromium_page() as page:
        violations = csp_violations(page)
        page.goto(f"{base}/admin/")
        page.get_by_label("Email").fill("ops@luneo.test")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.get_by_label("Code").fill(totp_code(secret))  # the second factor operators need
        page.get_by_role("button", name="Log in").click()

        expect(page.get_by_role("heading", name="Operators' console")).to_be_visible()
    assert violations == []


def test_the_widget_demo_page_runs_the_widget_and_its_inline_script_unblocked(live_server):
    from playwright.sync_api import expect

    # given the demo workspace's brand allowing the public site's origin, as seed_demo makes
    base = f"http://127.0.0.1:{live_server.thread.port}"
    with tenant_context(ensure_tenant(DEMO_SLUG)):
        brand = brand_create(name="Demo shop brand", allowed_origins=[base])
        _key, raw_key = brand_publishable_key_create(brand=brand)
        product = product_make(brand=brand)
    with chromium_page() as page:
        violations = csp_violations(page)

        # when someone opens the demo page
        page.goto(f"{base}/widget/v1/demo?key={raw_key}&product={product.sku}")

        # then the widget runs, and the page's own inline script (with the nonce) lists its events
        expect(page.get_by_role("button", name="Create my design")).to_be_visible()
        expect(page.locator("#events li").first).to_contain_text("luneo:ready")
    assert violations == []
