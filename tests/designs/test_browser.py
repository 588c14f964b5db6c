"""A person in headless Chromium: a product with a print area, then a design from a prompt, live.

The dashboard is served by a real daphne (HTTP and the design's websocket) and the pipeline runs
on a real Celery worker (tests/support/processes.py). daphne serves no /static/ with DEBUG off, so the
browser gets static files from Django's finders through a route.
"""

from pathlib import Path

import pytest

from apps.tenants.models import Role
from tests.support.axe import axe_check
from tests.support.browser import create_product_with_front_view, launch, log_in, needs_chromium, serve_static
from tests.support.factories.products import image_upload
from tests.support.workspaces import member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    needs_chromium,
]
READY_TIMEOUT_MS = 90_000


@pytest.fixture
def _media_root():
    """daphne and the worker write to the configured MEDIA_ROOT: this test reads from the same place."""


def test_a_product_then_a_design_from_a_prompt_followed_live_to_its_3d_view(daphne, worker, tenant, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    member(tenant, Role.EDITOR, email="maker@alpha.test")
    mockup = Path(tmp_path / "mug.png")
    mockup.write_bytes(image_upload(600, 400).read())
    base = f"http://alpha.localhost:{daphne.port}"

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.set_default_timeout(20_000)
        page.route(f"{base}/static/**", serve_static)

        # given an editor logged into the workspace
        log_in(page, base, "maker@alpha.test")

        # and an active product with a front view and its print area, made in the Products section
        create_product_with_front_view(
            page, sku="MUG-D", name="Design mug", mockup=mockup, status="active", dpi="100"
        )
        expect(page.locator("svg polygon.print-area")).to_be_visible()
        axe_check(page)

        # when they create a design from a prompt in the Designs section
        page.get_by_role("link", name="Designs").first.click()
        page.get_by_role("link", name="New design").click()
        product = page.locator("#id_product option", has_text="Design mug").get_attribute("value")
        page.get_by_label("Product").select_option(product)
        page.get_by_label("Prompt").fill("A hot air balloon over lavender fields")
        page.get_by_role("button", name="Generate").click()

        # then the status and the progress bar follow the pipeline live, up to ready
        progress = page.locator('progress[data-design-field="progress"]')
        expect(progress).to_be_visible()
        status = page.locator('[data-design-field="status"]')
        expect(status).to_have_class("badge design-status-ready", timeout=READY_TIMEOUT_MS)
        expect(progress).to_have_attribute("value", "100")

        # and the preview appears, and the 3D view loads its GLB
        preview = page.locator('[data-design-previews] figure[data-view="front"] img')
        expect(preview).to_be_visible()
        assert preview.evaluate("img => img.complete && img.naturalWidth > 0")
        viewer = page.locator("model-viewer")
        expect(viewer).to_have_count(1)
        glb = viewer.evaluate(
            "el => fetch(el.getAttribute('src'))"
            ".then(r => ({status: r.status, type: r.headers.get('content-type')}))"
        )
        assert glb == {"status": 200, "type": "model/gltf-binary"}, glb
        axe_check(page)
        page.screenshot(path=str(tmp_path / "design.png"), full_page=True)
        browser.close()
