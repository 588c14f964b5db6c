"""A person in headless Chromium: create a product, add a view with its print area, see it drawn."""

from pathlib import Path

import pytest

from apps.tenants.models import Role
from tests.conftest import PASSWORD, ensure_tenant, member
from tests.products.factories import image_upload

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]


def test_create_a_product_with_a_print_area_and_see_it_over_the_mockup(live_server, settings, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    settings.MEDIA_ROOT = tmp_path / "media"
    tenant = ensure_tenant("alpha")
    member(tenant, Role.EDITOR, email="maker@alpha.test")
    mockup = tmp_path / "mug.png"
    mockup.write_bytes(image_upload(600, 400).read())
    base = f"http://alpha.localhost:{live_server.thread.port}"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_default_timeout(15_000)

        # given an editor logged into the workspace
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Email").fill("maker@alpha.test")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{base}/")

        # when they create a product from the Products section
        page.get_by_role("link", name="Products").first.click()
        page.get_by_role("link", name="New product").click()
        page.get_by_label("SKU").fill("MUG-B")
        page.get_by_label("Name").fill("Browser mug")
        page.get_by_label("Price").fill("12.50")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("heading", name="Browser mug")).to_be_visible()

        # and add its front view: a mockup and a 200 × 100 px print area of 90 × 45 mm
        page.get_by_role("link", name="Add a view").click()
        page.locator("#id_name").fill("front")
        page.get_by_label("Mockup image").set_input_files(str(mockup))
        page.get_by_label("Left (px)").fill("100")
        page.get_by_label("Top (px)").fill("50")
        page.get_by_label("Width (px)").fill("200")
        page.get_by_label("Height (px)").fill("100")
        page.get_by_label("Print width (mm)").fill("90")
        page.get_by_label("Print height (mm)").fill("45")
        page.get_by_role("button", name="Save view").click()

        # then the product page shows the mockup with the print area drawn over it, and its size
        area = page.locator("svg polygon.print-area")
        expect(area).to_have_attribute("points", "100,50 300,50 300,150 100,150")
        expect(page.locator("svg text.print-label")).to_have_text("90 × 45 mm · 300 DPI")
        loaded = page.locator("svg image").evaluate("img => fetch(img.href.baseVal).then(r => r.status)")
        assert loaded == 200
        page.screenshot(path=str(tmp_path / "product.png"), full_page=True)
        browser.close()
