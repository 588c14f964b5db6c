"""An editor in headless Chromium: the Customers list, a search, a customer's 360 page with its
chart, and a change of consent; axe finds no serious violation on either page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.tenants.models import Role
from tests.support.axe import axe_check
from tests.support.browser import in_workspace, launch, log_in, needs_chromium
from tests.support.crm_pages import (
    customer_make,
    item_make,
    line_make,
    recommendation_make,
    score_make,
    widget_order,
)
from tests.support.factories.products import product_make
from tests.support.workspaces import ensure_tenant, member

pytestmark = [pytest.mark.browser, needs_chromium]


def customers_of_a_wine_estate():
    today = timezone.localdate()
    riesling = item_make("RIES", "Riesling")
    cremant = item_make("CREMANT", "Crémant d'Alsace")
    loic = customer_make(
        first_name="Loïc", last_name="Lefèvre", email="loic@example.fr", external_id="C00001"
    )
    for days in (200, 120, 40):
        line_make(loic, riesling, day=today - timedelta(days=days), amount="126.46")
    line_make(loic, riesling, day=today - timedelta(days=30), amount="42.00", credit_note=True)
    score_make(loic, "champions", p_alive=0.8)
    recommendation_make(
        loic,
        cremant,
        "cross_sell",
        {
            "code": "cross_sell",
            "label": "Crémant",
            "with": "Riesling",
            "together": 9,
            "confidence": 35,
            "lift": 2.1,
        },
    )
    for n in range(5):
        customer_make(first_name=f"Client{n}", last_name="Durand")
    widget_order(
        product_make(),
        email="loic@example.fr",
        name="Loïc Lefèvre",
        session="s-loic",
        prompt="A lighthouse by the sea",
        style="watercolor",
        texts=["Anna & Tom 12.06.2021"],
    )
    return loic.pk


def test_an_editor_finds_a_customer_reads_their_360_page_and_records_consent(live_server):
    from playwright.sync_api import expect, sync_playwright

    tenant = ensure_tenant("alpha")
    member(tenant, Role.EDITOR, email="editor@alpha.test")
    loic_pk = in_workspace(tenant, customers_of_a_wine_estate)
    base = f"http://alpha.localhost:{live_server.thread.port}"

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.set_default_timeout(15_000)

        # Given an editor on the Customers page
        log_in(page, base, "editor@alpha.test")
        page.get_by_role("link", name="Customers").first.click()
        expect(page.get_by_role("heading", name="Customers", level=1)).to_be_visible()
        expect(page.locator("#customer-list tbody tr")).to_have_count(6)
        axe_check(page)

        # When they search by client code
        page.get_by_label("Search").fill("C00001")
        page.get_by_role("button", name="Filter").click()
        expect(page.locator("#customer-list tbody tr")).to_have_count(1)

        # Then the customer's 360 page shows their segment, sales, chart, design and recommendation
        page.get_by_role("link", name="Loïc Lefèvre").click()
        page.wait_for_url(f"{base}/customers/{loic_pk}/")
        expect(page.locator("#customer-segment")).to_have_text("Champions")
        expect(page.locator("#customer-sales")).to_contain_text("Return")
        expect(page.locator("#customer-recommendations")).to_contain_text("often bought with Riesling")
        expect(page.locator("#customer-likes")).to_contain_text("Watercolour")
        expect(page.locator("#customer-occasions")).to_contain_text("Anna & Tom")
        expect(page.locator("#customer-designs img")).to_have_count(1)
        page.wait_for_function(
            "() => window.Chart && Chart.getChart(document.querySelector('[data-customer-chart]'))"
        )
        axe_check(page)

        # And recording the consent says so and shows it
        page.get_by_label("Yes").check()
        page.get_by_role("button", name="Save consent").click()
        expect(page.get_by_text("The e-mail consent is saved.")).to_be_visible()
        expect(page.locator("#customer-consent")).to_contain_text("from dashboard")
        axe_check(page)
        browser.close()
