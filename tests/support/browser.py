"""Shared pieces of the headless-Chromium tests: the browser, logging in, building a product."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection

from tests.support.factories.tenants import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
)


def serve_static(route) -> None:
    """Static files for pages served by daphne (which serves none with DEBUG off), from Django's finders."""
    from django.contrib.staticfiles import finders

    path = route.request.url.split("/static/", 1)[1].split("?", 1)[0]
    found = finders.find(path)
    if found is None:
        route.fulfill(status=404)
    else:
        route.fulfill(path=found)


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def csp_violations(page) -> list[str]:
    """What the Content-Security-Policy blocks on `page` from now on, as Chromium logs it on the console."""
    found: list[str] = []
    page.on(
        "console", lambda message: "Content Security Policy" in message.text and found.append(message.text)
    )
    return found


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/")


def create_product_with_front_view(
    page, *, sku: str, name: str, mockup: Path, status: str | None = None, dpi: str | None = None
) -> None:
    """From the Products section: a product, then its front view with a 200 × 100 px area of 90 × 45 mm."""
    from playwright.sync_api import expect

    page.get_by_role("link", name="Products").first.click()
    page.get_by_role("link", name="New product").click()
    page.get_by_label("SKU").fill(sku)
    page.get_by_label("Name").fill(name)
    page.get_by_label("Price").fill("12.50")
    if status:
        page.get_by_label("Status").select_option(status)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    page.get_by_role("link", name="Add a view").click()
    page.locator("#id_name").fill("front")
    page.get_by_label("Mockup image").set_input_files(str(mockup))
    page.get_by_label("Left (px)").fill("100")
    page.get_by_label("Top (px)").fill("50")
    page.get_by_label("Width (px)").fill("200")
    page.get_by_label("Height (px)").fill("100")
    page.get_by_label("Print width (mm)").fill("90")
    page.get_by_label("Print height (mm)").fill("45")
    if dpi:
        page.get_by_label("Target DPI").fill(dpi)
    page.get_by_role("button", name="Save view").click()


def in_workspace(tenant, work):
    """Run `work` in another thread (Playwright's loop forbids the ORM in this one), in `tenant`."""

    def run():
        connection.set_tenant(tenant)
        try:
            return work()
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()
