"""An editor in headless Chromium drops two ERP exports, checks how each is read, imports them,
follows the imports live and opens a report with its rejected rows.

daphne serves the dashboard and the notifications socket; a real Celery worker (queue `etl`)
runs the imports. daphne serves no /static/ with DEBUG off: the browser gets them through a route.
"""

import pytest

from apps.crm.models import CatalogItem, Customer
from apps.tenants.models import Role
from tests.support.axe import axe_check
from tests.support.browser import csp_violations, launch, log_in, needs_chromium, serve_static
from tests.support.crm_etl import CUSTOMERS, PRODUCTS
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


def test_an_editor_uploads_previews_imports_and_reads_the_report(daphne, worker, tenant, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    member(tenant, Role.EDITOR, email="erp@alpha.test")
    customers = tmp_path / "clients.csv"
    customers.write_bytes(CUSTOMERS.encode("cp1252"))
    products = tmp_path / "articles.csv"
    products.write_bytes(PRODUCTS.encode("utf-8-sig"))
    base = f"http://alpha.localhost:{daphne.port}"

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.set_default_timeout(20_000)
        page.route(f"{base}/static/**", serve_static)
        blocked = csp_violations(page)

        # given an editor on the Imports page, with no import yet
        log_in(page, base, "erp@alpha.test")
        page.get_by_role("link", name="Imports").first.click()
        expect(page.get_by_text("No imports yet.")).to_be_visible()
        axe_check(page)

        # when they drop two files: each is previewed as it will be read
        page.locator("#crm-files").set_input_files([str(customers), str(products)])
        cards = page.locator(".crm-import-file")
        expect(cards).to_have_count(2)
        first, second = cards.nth(0), cards.nth(1)
        expect(first.locator("select[name=encoding]")).to_have_value("cp1252")
        expect(first.locator("select[name=kind]")).to_have_value("customers")
        expect(first.locator(".crm-preview")).to_contain_text("Lefèvre")
        expect(first.locator(".crm-preview")).to_contain_text("01000")
        expect(second.locator("select[name=kind]")).to_have_value("products")
        expect(second.locator(".crm-preview")).to_contain_text("CREMANT")

        # when they import both: each has its live progress, then its summary
        first.get_by_role("button", name="Import").click()
        second.get_by_role("button", name="Import").click()
        expect(first.locator(".crm-import-progress")).to_have_attribute("data-status", "done", timeout=30_000)
        expect(second.locator(".crm-import-progress")).to_have_attribute(
            "data-status", "done", timeout=30_000
        )
        expect(first.locator(".crm-import-summary")).to_contain_text("3 rows read: 3 created")
        expect(first.locator("progress")).to_have_js_property("value", 100)
        axe_check(page)

        # then the report lists the warnings, with a CSV download
        first.get_by_role("link", name="See the report").click()
        expect(page.get_by_role("heading", name="clients.csv")).to_be_visible()
        expect(page.locator("[data-figure=created]")).to_have_text("3")
        expect(page.get_by_text("postal_code_fixed").first).to_be_visible()
        expect(page.get_by_role("link", name="Download CSV")).to_be_visible()
        axe_check(page)
        page.screenshot(path=str(tmp_path / "imports.png"), full_page=True)

        # and the data-health page has figures
        page.get_by_role("link", name="Data health").first.click()
        expect(page.locator("[data-metric=customers]")).to_have_text("3")
        axe_check(page)
        browser.close()

    assert blocked == []
    assert Customer.objects.count() == 3
    assert CatalogItem.objects.count() == 3
