"""A shopper opens a "reorder my design" link from an e-mail in headless Chromium: on the demo shop
page, the widget shows the saved design ready to order, or its words on another product."""

import pytest
from django_tenants.utils import tenant_context

from apps.brands.services import brand_create, brand_publishable_key_create
from apps.designs.services import design_create
from apps.storefront.reorder import reorder_url
from apps.tenants.selectors import DEMO_SLUG
from tests.support.browser import launch, needs_chromium
from tests.support.factories.designs import pipeline_run
from tests.support.factories.products import product_make
from tests.support.workspaces import ensure_tenant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]
PROMPT = "A lighthouse at dawn"


@pytest.fixture
def demo(tenant, daphne):
    """The demo workspace's brand allowing our own host, two mugs, and a ready design of the first."""
    base = f"http://127.0.0.1:{daphne.port}"
    with tenant_context(ensure_tenant(DEMO_SLUG)):
        brand = brand_create(name="Demo shop brand", allowed_origins=[base])
        _key, raw_key = brand_publishable_key_create(brand=brand)
        mug, other_mug = product_make(brand=brand), product_make(brand=brand)
        design = pipeline_run(design_create(product=mug.pk, prompt=PROMPT, style="watercolor"))
        pages = {
            product: reorder_url(f"{base}/widget/v1/demo?key={raw_key}&product={product.sku}", design)
            for product in (mug, other_mug)
        }
    return {"design": design, "mug": pages[mug], "other_mug": pages[other_mug]}


def test_a_reorder_link_opens_the_saved_design_ready_to_order(demo):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(locale="en-US")
        page.set_default_timeout(20_000)

        # when the shopper opens the e-mail's link to the design's own product
        page.goto(demo["mug"])

        # then the design is shown ready, as after a generation, and can go in the cart
        expect(page.locator("#events")).to_contain_text(
            f'luneo:design-ready {{"design_id":"{demo["design"].public_id}"'
        )
        expect(page.get_by_role("img", name="Preview of front")).to_be_visible()
        expect(page.get_by_label("Describe your design")).to_have_value(PROMPT)
        expect(page.get_by_role("button", name="Add to cart")).to_be_enabled()
        # and the address lost the token: a reload does not open it again
        assert "luneo_reorder" not in page.url
        assert "product=" in page.url
        page.get_by_role("button", name="Add to cart").click()
        expect(page.get_by_label("Email")).to_be_visible()  # the widget's own checkout
        browser.close()


def test_on_another_product_the_link_fills_the_form_and_a_bad_one_leaves_it_usable(demo):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(locale="en-US")
        page.set_default_timeout(20_000)

        # when the link opens another product's page
        page.goto(demo["other_mug"])

        # then its words are in the form, to create it on this product; nothing is in the cart yet
        expect(page.get_by_label("Describe your design")).to_have_value(PROMPT)
        expect(page.get_by_label("Style")).to_have_value("watercolor")
        expect(page.get_by_role("status").filter(has_text="Your saved design's words")).to_be_visible()
        expect(page.get_by_role("button", name="Add to cart")).to_be_disabled()
        assert "luneo_reorder" not in page.url

        # when a link was damaged on the way
        page.goto(demo["mug"][:-3] + "xyz")

        # then a neutral message, and the form is there to create a design
        expect(page.get_by_role("alert")).to_contain_text("This saved design cannot be opened.")
        expect(page.get_by_role("button", name="Create my design")).to_be_enabled()
        expect(page.get_by_label("Describe your design")).to_have_value("")
        browser.close()
