"""The print-area editor in headless Chromium: drag and resize with the mouse, move and resize with
the keyboard, see the mm size, DPI and print-file pixels live, save, and find what was drawn."""

from decimal import Decimal

import pytest
from django_tenants.utils import tenant_context

from apps.products.models import View
from apps.products.services import product_create, rect_points, view_create
from apps.tenants.models import Role
from tests.support.axe import axe_check
from tests.support.browser import csp_violations, launch, log_in, needs_chromium
from tests.support.factories.products import image_upload
from tests.support.workspaces import ensure_tenant, member

pytestmark = [pytest.mark.browser, needs_chromium]
MOCKUP = (600, 400)


@pytest.fixture
def workspace(live_server, settings, tmp_path):
    """An editor of `alpha` and a product; yields (tenant, product, base URL)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    tenant = ensure_tenant("alpha")
    member(tenant, Role.EDITOR, email="maker@alpha.test")
    with tenant_context(tenant):
        product = product_create(sku="POSTER-E", name="Editor poster", price=Decimal(20))
    return tenant, product, f"http://alpha.localhost:{live_server.thread.port}"


def open_page(playwright, base: str, path: str):
    browser = launch(playwright)
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.set_default_timeout(15_000)
    blocked = csp_violations(page)
    log_in(page, base, "maker@alpha.test")
    page.goto(f"{base}{path}")
    return browser, page, blocked


def rect_fields(page) -> list[int]:
    return [int(page.locator(f"#id_rect_{name}").input_value()) for name in ("x", "y", "width", "height")]


def readout(page, name: str):
    return page.locator(f'[data-readout="{name}"]')


def svg_points(x: int, y: int, width: int, height: int) -> str:
    """A rectangle as the product page draws it."""
    return " ".join(f"{px},{py}" for px, py in rect_points(x=x, y=y, width=width, height=height))


def saved_view(tenant) -> View:
    with tenant_context(tenant):
        return View.objects.get()


def test_drag_and_resize_the_print_area_of_a_new_view_with_the_mouse(workspace, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    tenant, product, base = workspace
    mockup = tmp_path / "poster.png"
    mockup.write_bytes(image_upload(*MOCKUP).read())

    with sync_playwright() as playwright:
        browser, page, blocked = open_page(playwright, base, f"/products/{product.pk}/views/new/")

        # given the new view form with its mockup chosen and the printed size typed
        page.locator("#id_name").fill("front")
        page.get_by_label("Mockup image").set_input_files(str(mockup))
        page.get_by_label("Print width (mm)").fill("90")
        page.get_by_label("Print height (mm)").fill("45")

        # then the editor draws a first print area, the middle half of the mockup, into the fields
        body = page.locator(".area-body")
        expect(body).to_be_visible()
        assert rect_fields(page) == [150, 100, 300, 200]
        expect(readout(page, "area")).to_have_text("300 × 200 px")
        expect(readout(page, "size")).to_have_text("90 × 45 mm")
        expect(readout(page, "dpi")).to_have_text("300 DPI")
        expect(readout(page, "file")).to_have_text("1134 × 602 px")  # (90 + 2 × 3) / 25.4 × 300
        axe_check(page)

        # when the area is dragged by (80, 40) screen pixels, then its bottom right corner by (-60, -50)
        canvas = page.locator("svg.area-canvas").bounding_box()
        scale = MOCKUP[0] / canvas["width"]
        box = body.bounding_box()
        start = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.move(*start)
        page.mouse.down()
        page.mouse.move(start[0] + 80, start[1] + 40, steps=8)
        page.mouse.up()
        corner = page.locator('.area-handle[data-drag="se"]').bounding_box()
        grip = (corner["x"] + corner["width"] / 2, corner["y"] + corner["height"] / 2)
        page.mouse.move(*grip)
        page.mouse.down()
        page.mouse.move(grip[0] - 60, grip[1] - 50, steps=8)
        page.mouse.up()

        # then the fields and the read-out follow, in mockup pixels
        left, top = 150 + 80 * scale, 100 + 40 * scale
        width, height = 300 - 60 * scale, 200 - 50 * scale
        dragged = rect_fields(page)
        for got, wanted in zip(dragged, (left, top, width, height), strict=True):
            assert abs(got - wanted) <= 1, (dragged, (left, top, width, height))
        expect(readout(page, "area")).to_have_text(f"{dragged[2]} × {dragged[3]} px")

        # when the DPI is typed, the print file's size follows at once
        page.get_by_label("Target DPI").fill("150")
        expect(readout(page, "dpi")).to_have_text("150 DPI")
        expect(readout(page, "file")).to_have_text("567 × 301 px")

        # and once saved, the product page draws the print area that was dragged
        page.get_by_role("button", name="Save view").click()
        expect(page.locator("svg polygon.print-area")).to_have_attribute("points", svg_points(*dragged))
        axe_check(page)
        browser.close()

    view = saved_view(tenant)
    assert view.area_points == rect_points(x=dragged[0], y=dragged[1], width=dragged[2], height=dragged[3])
    assert (view.mockup_width, view.mockup_height, view.dpi) == (*MOCKUP, 150)
    assert blocked == []


def test_move_and_resize_the_print_area_with_the_keyboard_then_edit_it_as_a_polygon(workspace):
    from playwright.sync_api import expect, sync_playwright

    tenant, product, base = workspace
    with tenant_context(tenant):
        view = view_create(
            product=product,
            mockup=image_upload(*MOCKUP),
            name="front",
            area_points=rect_points(x=100, y=50, width=200, height=100),
            width_mm=Decimal(90),
            height_mm=Decimal(45),
        )
    edit = f"/products/{product.pk}/views/{view.pk}/edit/"

    with sync_playwright() as playwright:
        browser, page, blocked = open_page(playwright, base, edit)
        expect(readout(page, "area")).to_have_text("200 × 100 px")

        # when the print area is focused with Tab and moved and resized with the arrow keys
        page.locator("#id_area_shape").focus()
        page.keyboard.press("Tab")
        expect(page.locator(".area-body")).to_be_focused()
        for key in ["ArrowRight"] * 3 + ["ArrowDown"] * 2 + ["Alt+ArrowLeft"]:
            page.keyboard.press(key)
        for key in ["Shift+ArrowRight"] * 5 + ["Shift+ArrowUp"] * 4:
            page.keyboard.press(key)

        # then the fields and the read-out follow, and the area keeps the focus
        assert rect_fields(page) == [93, 52, 205, 96]
        assert page.locator("#id_points").input_value() == "[[93,52],[298,52],[298,148],[93,148]]"
        expect(readout(page, "area")).to_have_text("205 × 96 px")
        expect(page.locator(".area-body")).to_be_focused()
        page.get_by_role("button", name="Save view").click()
        expect(page.locator("svg polygon.print-area")).to_have_attribute(
            "points", svg_points(93, 52, 205, 96)
        )

        # when it becomes a polygon: its corners are the points, each moved, added or removed with keys
        page.goto(f"{base}{edit}")
        page.locator("#id_area_shape").select_option("polygon")
        points = page.locator('.area-handle[data-drag="point"]')
        expect(points).to_have_count(4)
        expect(points.nth(0)).to_have_accessible_name("Point 1 of the print area")
        axe_check(page)
        points.nth(0).focus()
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("ArrowUp")
        page.keyboard.press("Insert")  # a point halfway to the next one, focused
        page.keyboard.press("Alt+ArrowUp")
        expect(points).to_have_count(5)
        points.nth(2).focus()
        page.keyboard.press("Delete")  # the third point, an old corner, goes
        expect(points).to_have_count(4)
        expected = [[92, 51], [195, 42], [298, 148], [93, 148]]
        assert page.locator("#id_points").input_value() == str(expected).replace(" ", "")
        page.get_by_role("button", name="Save view").click()
        expect(page.locator("svg polygon.print-area")).to_have_attribute(
            "points", "92,51 195,42 298,148 93,148"
        )
        browser.close()

    saved = saved_view(tenant)
    assert (saved.area_shape, saved.area_points) == ("polygon", expected)
    assert blocked == []
