"""A brand owner in headless Chromium: the home page's period switch, charts, and a KPI changing live.

daphne serves the page and the notifications socket (tests/support/processes.py); the test commits
an order as the shop's webhook would, and the page updates without a reload.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from apps.analytics.services import rollup_catch_up
from tests.support.axe import axe_check
from tests.support.browser import launch, log_in, needs_chromium, serve_static
from tests.support.factories.analytics import days_ago, order_on
from tests.support.workspaces import ensure_tenant

CHART_DRAWN = "() => Boolean(Chart.getChart(document.querySelector('canvas[data-chart=timeline]')))"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]


def shop_order_arrives(tenant) -> None:
    try:
        with tenant_context(tenant):
            order_on(days_ago(0), total="58.00", email="bob@example.com")
    finally:
        connection.close()


def test_switch_the_period_see_the_charts_and_a_new_order_arrive_live(daphne):
    from playwright.sync_api import expect, sync_playwright

    # Given a workspace with one order placed 20 days ago
    tenant = ensure_tenant("alpha")
    with tenant_context(tenant):
        order_on(days_ago(20), total="42.00", email="ada@example.com")
        rollup_catch_up()
    base = f"http://alpha.localhost:{daphne.port}"

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.set_default_timeout(20_000)
        page.route(f"{base}/static/**", serve_static)
        log_in(page, base, "owner@alpha.test")
        orders = page.locator("[data-kpi=orders] .kpi-value")

        # The last 30 days count the order; the charts are drawn
        expect(page.locator(".period-label")).to_contain_text("(30 days)")
        expect(orders).to_have_text("1")
        timeline = page.locator("canvas[data-chart=timeline]")
        expect(timeline).to_be_visible()
        assert page.evaluate(CHART_DRAWN)
        axe_check(page)

        # When the period becomes the last 7 days, the panel is swapped without a reload
        page.get_by_label("Period").select_option("7")
        expect(page.locator(".period-label")).to_contain_text("(7 days)")
        expect(orders).to_have_text("0")
        assert "period=7" in page.url
        page.wait_for_timeout(500)  # the notifications socket is open

        # When an order arrives in the shop (from another thread: Playwright owns this one's loop)
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(shop_order_arrives, tenant).result()

        # Then the KPI changes by itself, and the chart is drawn again
        expect(orders).to_have_text("1")
        expect(page.locator("[data-kpi=revenue] .kpi-value")).to_contain_text("58.00")
        assert page.evaluate(CHART_DRAWN)
