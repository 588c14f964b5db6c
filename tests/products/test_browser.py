"""A person in headless Chromium: create a product, add a view with its print area, see it drawn."""

import pytest

from apps.tenants.models import Role
from tests.support.axe import axe_check
from tests.support.browser import create_product_with_front_view, launch, log_in, needs_chromium
from tests.support.factories.products import image_upload
from tests.support.workspaces import ensure_tenant, member

pytestmark = [pytest.mark.browser, needs_chromium]


def test_create_a_product_with_a_print_area_and_see_it_over_the_mockup(live_server, settings, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    settings.MEDIA_ROOT = tmp_path / "media"
    tenant = ensure_tenant("alpha")
    member(tenant, Role.EDITOR, email="maker@alpha.test")
    mockup = tmp_path / "mug.png"
    mockup.write_bytes(image_upload(600, 400).read())
    base = f"http://alpha.localhost:{live_server.thread.port}"

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.set_default_timeout(15_000)

        # given an editor logged into the workspace
        log_in(page, base, "maker@alpha.test")

        # when they create a product and its front view: a 200 × 100 px print area of 90 × 45 mm
        create_product_with_front_view(page, sku="MUG-B", name="Browser mug", mockup=mockup)

        # then the product page shows the mockup with the print area drawn over it, and its size
        area = page.locator("svg polygon.print-area")
        expect(area).to_have_attribute("points", "100,50 300,50 300,150 100,150")
        expect(page.locator("svg text.print-label")).to_have_text("90 × 45 mm · 300 DPI")
        loaded = page.locator("svg image").evaluate("img => fetch(img.href.baseVal).then(r => r.status)")
        assert loaded == 200
        axe_check(page)
        page.screenshot(path=str(tmp_path / "product.png"), full_page=True)
        browser.close()
