"""A shopper on a merchant's site edits the design on the product: the artwork is made smaller
with the keyboard and dragged with the mouse, a turned text is added, and the print file prints
them where they were put (real daphne, Celery worker and Chromium; the shop on another origin)."""

import io

import pytest
from django_tenants.utils import tenant_context
from PIL import Image

from apps.brands.services import brand_create, brand_publishable_key_create
from apps.designs.models import Design
from tests.support.axe import axe_check
from tests.support.browser import launch, needs_chromium
from tests.support.factories.products import product_make
from tests.support.merchant_shop import merchant_page, merchant_shop
from tests.support.processes import free_port

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    needs_chromium,
]
READY_TIMEOUT_MS = 90_000
SHRINK_PRESSES = 14  # 1 / 1.05^14 ≈ 0.505 of the print area


def ready_count(page) -> int:
    return page.evaluate("window.luneoEvents.filter(e => e.type === 'luneo:design-ready').length")


def test_the_shopper_drags_the_artwork_and_the_print_file_shows_it_where_it_was_dropped(
    tenant, worker, daphne
):
    from playwright.sync_api import expect, sync_playwright

    port = free_port()
    brand = brand_create(name="Mugs & Co", allowed_origins=[f"http://127.0.0.1:{port}"])
    _key, raw_key = brand_publishable_key_create(brand=brand)
    product = product_make(brand=brand)
    script = f"http://127.0.0.1:{daphne.port}/widget/v1/luneo.js"
    page_html = merchant_page(script=script, key=raw_key, sku=product.sku)

    with merchant_shop(port, page_html), sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1000, "height": 900}, locale="en-US")
        page.set_default_timeout(20_000)
        page.goto(f"http://127.0.0.1:{port}/products/mug")

        # given a design made from a prompt
        page.get_by_label("Describe your design").fill("A lighthouse at dawn")
        page.get_by_role("button", name="Create my design").click()
        page.wait_for_function(
            "window.luneoEvents.some(e => e.type === 'luneo:design-ready')", timeout=READY_TIMEOUT_MS
        )
        assert page.evaluate(
            "!performance.getEntriesByType('resource').some(r => r.name.endsWith('/editor.js'))"
        )

        # when the shopper opens the editor (loaded only now) and makes the artwork half as large
        page.get_by_role("button", name="Edit the design").click()
        artwork = page.get_by_role("button", name="Artwork")
        expect(artwork).to_be_focused()
        expect(page.get_by_role("button", name="Regenerate")).to_be_hidden()  # one thing at a time
        for _ in range(SHRINK_PRESSES):
            artwork.press("-")
        axe_check(page)

        # and drags it with the mouse to the right half of the print area
        area = page.locator(".lw-ed-area").bounding_box()
        box = artwork.bounding_box()
        start = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.move(*start)
        page.mouse.down()
        page.mouse.move(start[0] + area["width"] * 0.125, start[1], steps=5)
        page.mouse.move(start[0] + area["width"] * 0.25, start[1], steps=5)
        page.mouse.up()

        # and adds a text, turned with the keyboard
        page.get_by_role("button", name="Add a text").click()
        page.get_by_label("Text", exact=True).fill("Ahoy")
        page.get_by_role("button", name="Text: Ahoy").press("]")
        page.get_by_role("button", name="Apply changes").click()

        # then the design is drawn again and shown ready
        page.wait_for_function(
            "window.luneoEvents.filter(e => e.type === 'luneo:design-ready').length >= 2",
            timeout=READY_TIMEOUT_MS,
        )
        expect(page.get_by_role("button", name="Edit the design")).to_be_enabled()
        browser.close()

    with tenant_context(tenant):
        design = Design.objects.get()
        with design.assets.get(view__name="front", kind="print_png").file.open("rb") as file:
            printed = Image.open(io.BytesIO(file.read())).convert("RGBA")
    artwork_layer = design.layout["artwork"]
    assert artwork_layer["scale"] == pytest.approx(0.505, abs=0.01)
    assert artwork_layer["x"] == pytest.approx(0.75, abs=0.03)
    assert artwork_layer["y"] == pytest.approx(0.5, abs=0.03)
    assert [(layer["text"], layer["rotation"]) for layer in design.text_layers] == [("Ahoy", 5)]
    # the print file: the artwork on the right half, nothing on the left
    width, height = printed.size
    assert printed.getpixel((round(width * 0.75), round(height * 0.3)))[3] > 128
    assert printed.getpixel((round(width * 0.2), round(height * 0.3)))[3] == 0
