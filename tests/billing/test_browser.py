"""A brand owner in headless Chromium: the Billing page shows the plan and a bar per limit."""

import pytest

from apps.billing.entitlements import design_quota_consume
from apps.billing.models import Plan
from apps.billing.services import plan_get, subscription_assign
from tests.support.axe import axe_check
from tests.support.browser import launch, log_in, needs_chromium
from tests.support.workspaces import ensure_tenant

pytestmark = [pytest.mark.browser, needs_chromium]


def test_the_owner_sees_usage_bars_and_the_upgrade_path(live_server, settings, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    # Given a Starter workspace that used 42 of its 50 designs, billing in manual mode
    settings.STRIPE_TEST_SECRET_KEY = ""
    tenant = ensure_tenant("alpha")
    subscription_assign(tenant=tenant, plan=plan_get(Plan.Code.STARTER))
    for _ in range(42):
        design_quota_consume(tenant)
    base = f"http://alpha.localhost:{live_server.thread.port}"

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(15_000)
        log_in(page, base, "owner@alpha.test")

        # The banner warns on the home page and leads to Billing
        banner = page.locator("[data-billing-notice=designs]")
        expect(banner).to_contain_text("42 of the 50 AI designs")
        axe_check(page)
        banner.get_by_role("link", name="See billing").click()

        # Billing shows the plan and a bar per limit, the designs' one in its warning colour
        expect(page.get_by_role("heading", name="Your plan: Starter")).to_be_visible()
        axe_check(page)
        designs = page.get_by_role("progressbar", name="AI designs this month")
        expect(designs).to_have_attribute("aria-valuenow", "42")
        expect(page.locator("[data-limit=designs]")).to_have_class("usage-row usage-warn")
        width = designs.locator("span").evaluate("bar => bar.getBoundingClientRect().width")
        total = designs.evaluate("bar => bar.getBoundingClientRect().width")
        assert 0.83 < width / total < 0.85
        expect(page.get_by_role("progressbar", name="Seats")).to_have_attribute("aria-valuenow", "1")
        expect(page.locator("[data-plan=pro]").get_by_role("link", name="Contact sales")).to_be_visible()
        page.screenshot(path=str(tmp_path / "billing.png"), full_page=True)
