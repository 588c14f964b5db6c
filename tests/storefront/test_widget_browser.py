"""A shopper in headless Chromium, on a merchant's own site, personalizes a product and orders it.

The merchant page is served by a tiny http.server on another origin (`http://127.0.0.1:<port>`)
and embeds the widget from a real daphne (HTTP and the design's websocket) with the brand's
publishable key; the pipeline runs on a real Celery worker (tests/support/processes.py).
"""

import urllib.request
from decimal import Decimal

import pytest
from django_tenants.utils import tenant_context

from apps.brands.services import brand_create, brand_publishable_key_create, brand_update
from apps.orders.models import Order
from apps.products.services import option_create
from apps.tenants.selectors import DEMO_SLUG
from tests.support.axe import axe_check
from tests.support.browser import launch, needs_chromium
from tests.support.factories.products import product_make
from tests.support.merchant import merchant
from tests.support.processes import free_port
from tests.support.workspaces import ensure_tenant

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    needs_chromium,
]
READY_TIMEOUT_MS = 90_000
BRAND_FONT_LOADED = """() => document.fonts.ready.then(
  fonts => [...fonts].some(font => font.family.includes("DejaVu Sans") && font.status === "loaded"))"""
MERCHANT_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Mugs &amp; Co</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<script>
  window.luneoEvents = [];
  ["luneo:ready", "luneo:design-ready", "luneo:add-to-cart", "luneo:error"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      window.luneoEvents.push({type: name, detail: event.detail});
    });
  });
</script>
<script src="%(script)s" data-luneo-key="%(key)s" async></script>
</head><body><h1>Mugs &amp; Co</h1><div data-luneo-product="%(sku)s"></div></body></html>
"""


@pytest.fixture
def shop(tenant, daphne):
    """A brand allowing one merchant origin, its publishable key, and a mug with a paid option."""
    port = free_port()
    brand = brand_create(name="Mugs & Co", allowed_origins=[f"http://127.0.0.1:{port}"])
    _key, raw_key = brand_publishable_key_create(brand=brand)
    product = product_make(brand=brand)  # 12.00 EUR, one front view
    option = option_create(product=product, name="Gift box", price_delta=Decimal("3.00"))
    script = f"http://127.0.0.1:{daphne.port}/widget/v1/luneo.js"
    page = MERCHANT_PAGE % {
        "script": script,
        "key": raw_key,
        "sku": product.sku,
    }
    with merchant(port, page):
        yield {"port": port, "option": option, "brand": brand, "key": raw_key, "script": script}


def record_progress(page) -> None:
    """Keep what the widget announces (aria-live) and its progress bar's values, as they change."""
    page.evaluate(
        """() => {
          const root = document.querySelector("[data-luneo-product]").shadowRoot;
          const live = root.querySelector("[aria-live]");
          const bar = root.querySelector("progress");
          window.luneoAnnounced = [];
          window.luneoProgress = [];
          new MutationObserver(() => window.luneoAnnounced.push(live.textContent))
            .observe(live, {childList: true, characterData: true, subtree: true});
          new MutationObserver(() => window.luneoProgress.push(Number(bar.getAttribute("value"))))
            .observe(bar, {attributes: true, attributeFilter: ["value"]});
        }"""
    )


def event(page, name: str) -> dict:
    page.wait_for_function(f"window.luneoEvents.some(e => e.type === {name!r})", timeout=READY_TIMEOUT_MS)
    return page.evaluate(f"window.luneoEvents.find(e => e.type === {name!r}).detail")


def test_a_shopper_on_the_merchant_site_designs_previews_in_3d_and_orders(tenant, worker, shop, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 360, "height": 740}, locale="en-US")
        page.set_default_timeout(20_000)
        frames = []  # what the design's websocket brought
        page.on("websocket", lambda socket: socket.on("framereceived", lambda frame: frames.append(frame)))

        # given the merchant's product page, on a phone-sized screen, with the widget loaded
        page.goto(f"http://127.0.0.1:{shop['port']}/products/mug")
        expect(page.get_by_role("heading", name="Personalize it")).to_be_visible()
        event(page, "luneo:ready")
        axe_check(page)
        record_progress(page)
        assert page.evaluate(BRAND_FONT_LOADED), "the brand's font did not load on the merchant's page"
        # and, the workspace having white-label (its trial), no "Personalized with Luneo" line and
        # nothing stray where it would have been
        text = page.evaluate(
            'document.querySelector("[data-luneo-product]").shadowRoot.lastElementChild.innerText'
        )
        assert "false" not in text
        assert "Personalized with Luneo" not in text

        # when the shopper describes a design and creates it
        page.get_by_label("Describe your design").fill("A hot air balloon over lavender fields")
        page.get_by_role("button", name="Create my design").click()

        # then the steps are announced live and the bar fills, up to a preview of the design
        ready = event(page, "luneo:design-ready")
        announced, progress = page.evaluate("[window.luneoAnnounced, window.luneoProgress]")
        assert announced[-1] == "Your design is ready.", announced
        assert len(set(announced)) >= 2, announced
        assert progress[-1] == 100, progress
        assert len(set(progress)) >= 2, progress
        assert frames, "no status came through the websocket"
        preview = page.get_by_role("img", name="Preview of front")
        expect(preview).to_have_attribute("src", ready["preview_url"])
        expect(page.get_by_text("Preview made by the offline generator")).to_be_visible()
        page.wait_for_function(
            "() => document.querySelector('[data-luneo-product]').shadowRoot.querySelector('.lw-stage img')"
            ".naturalWidth > 0"
        )

        # and they can zoom, with the buttons and with the keyboard
        page.get_by_role("button", name="Zoom in").click()
        expect(preview).to_have_attribute("style", "transform: scale(1.5);")
        page.locator(".lw-stage").press("0")
        expect(preview).to_have_attribute("style", "")

        # when they open the 3D view: the viewer is loaded from our host only now
        assert page.evaluate("() => !customElements.get('model-viewer')")
        page.get_by_role("button", name="View in 3D").click()

        # then a <model-viewer> shows the design's GLB (fetched across origins), with AR
        viewer = page.locator("model-viewer")
        expect(viewer).to_have_count(1)
        glb = viewer.get_attribute("src")
        with urllib.request.urlopen(glb) as response:
            assert response.headers["Content-Type"] == "model/gltf-binary"
        assert viewer.get_attribute("ar") == ""
        page.wait_for_function("() => !!customElements.get('model-viewer')")
        expect(viewer).to_have_js_property("loaded", True, timeout=30_000)  # a 1 MB module, then WebGL
        page.get_by_role("button", name="Close").click()
        expect(viewer).to_have_count(0)

        # when they pick the gift box and two mugs, the price follows: (12.00 + 3.00) × 2
        page.get_by_label("Gift box").check()
        page.get_by_label("Quantity").fill("2")
        expect(page.locator(".lw-price")).to_have_text("€30.00")

        # and they add it to the cart and give an invalid email
        page.get_by_role("button", name="Add to cart").click()
        cart = event(page, "luneo:add-to-cart")
        assert (cart["price"], cart["currency"], cart["quantity"]) == ("30.00", "EUR", 2), cart
        email = page.get_by_label("Email")
        email.fill("not-an-email")
        page.get_by_label("Full name").fill("Ada Lovelace")
        page.get_by_label("Address", exact=True).fill("12 rue des Lilas")
        page.get_by_label("City").fill("Lyon")
        page.get_by_label("Postal code").fill("69001")
        page.get_by_label("Country").select_option("FR")
        page.get_by_role("button", name="Send order request").click()

        # then the server's error is shown next to the email field
        expect(email).to_have_attribute("aria-invalid", "true")
        described = email.get_attribute("aria-describedby")
        expect(page.locator(f"#{described}")).not_to_be_empty()

        # when they correct it and place the order
        email.fill("ada@example.com")
        page.get_by_role("button", name="Send order request").click()

        # then the order request is confirmed with its number (the brand takes no payment online)
        confirmation = page.get_by_role("status").filter(has_text="awaiting payment")
        expect(confirmation).to_be_visible()
        confirmed = confirmation.text_content()
        page.screenshot(path=str(tmp_path / "widget.png"), full_page=True)
        browser.close()

    # and the order exists, priced by the server
    with tenant_context(tenant):
        order = Order.objects.get()
        item = order.items.get()
        design = item.design
    assert order.reference in confirmed
    # and the widget reported the shopper's funnel for the brand's analytics
    assert design.preview_seen_at is not None
    assert design.added_to_cart_at is not None
    assert order.source == Order.Source.WIDGET
    assert order.customer_email == "ada@example.com"
    assert order.shipping_address["country"] == "FR"
    assert (item.quantity, item.unit_price, item.total) == (2, Decimal("15.00"), Decimal("30.00"))
    assert [option["id"] for option in item.options] == [shop["option"].pk]
    assert order.subtotal == Decimal("30.00")
    assert order.total == order.subtotal + order.shipping_total


def test_without_websockets_the_widget_polls_and_the_shopper_switches_views(tenant, worker, shop):
    from playwright.sync_api import expect, sync_playwright

    # given a two-view product on a merchant page where websockets are blocked (a strict proxy)
    product = product_make(brand=shop["brand"], views=("front", "back"))
    port = free_port()
    brand_update(
        brand=shop["brand"], allowed_origins=[*shop["brand"].allowed_origins, f"http://127.0.0.1:{port}"]
    )
    page_html = MERCHANT_PAGE % {"script": shop["script"], "key": shop["key"], "sku": product.sku}

    with merchant(port, page_html), sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.set_default_timeout(20_000)
        page.add_init_script("window.WebSocket = function () { throw new Error('blocked'); };")
        page.goto(f"http://127.0.0.1:{port}/products/mug")
        event(page, "luneo:ready")

        # when the shopper creates a design
        page.get_by_label("Describe your design").fill("A fox in the snow")
        page.get_by_role("button", name="Create my design").click()

        # then polling brings the design to ready, with a preview per view
        ready = event(page, "luneo:design-ready")
        assert ready["preview_url"]
        front = page.get_by_role("button", name="front", exact=True)
        back = page.get_by_role("button", name="back", exact=True)
        expect(front).to_have_attribute("aria-pressed", "true")
        preview = page.locator("[data-luneo-product] .lw-stage img")
        front_src = preview.get_attribute("src")

        # and switching to the back view shows its own preview
        back.click()
        expect(back).to_have_attribute("aria-pressed", "true")
        expect(front).to_have_attribute("aria-pressed", "false")
        assert preview.get_attribute("src") != front_src
        expect(preview).to_have_attribute("alt", "Preview of back")
        browser.close()


def test_a_prompt_the_brand_refuses_says_why_and_goes_back_to_the_prompt(tenant, worker, shop):
    from playwright.sync_api import expect, sync_playwright

    # given a brand that refuses dragons
    brand_update(brand=shop["brand"], blocked_words=["dragon"])

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"http://127.0.0.1:{shop['port']}/products/mug")
        event(page, "luneo:ready")

        # when the shopper asks for one
        prompt = page.get_by_label("Describe your design")
        prompt.fill("A dragon over the castle")
        page.get_by_role("button", name="Create my design").click()

        # then the widget says it was refused, offers no pointless retry, and returns to the prompt
        error = event(page, "luneo:error")
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text(error["message"])
        expect(alert.get_by_role("button")).to_have_count(0)
        expect(prompt).to_be_focused()
        expect(page.get_by_role("button", name="Add to cart")).to_be_disabled()
        browser.close()


def test_the_js_api_mounts_with_options_unmounts_and_new_tags_mount_themselves(tenant, shop):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"http://127.0.0.1:{shop['port']}/products/mug")
        event(page, "luneo:ready")
        sku = page.locator("[data-luneo-product]").get_attribute("data-luneo-product")

        # when the page mounts a second widget through the JS API, in French with its own colour
        page.evaluate(
            """sku => {
              const el = document.createElement("section");
              el.id = "api";
              document.body.append(el);
              window.handle = Luneo.mount(el, {product: sku, locale: "fr", theme: {primary: "#ff0000"}});
            }""",
            sku,
        )

        # then it speaks French (the server's strings) and wears the merchant's colour
        mounted = page.locator("#api")
        expect(mounted.locator(".lw")).to_have_attribute("lang", "fr")
        expect(mounted.locator("form button.lw-main")).to_have_css("background-color", "rgb(255, 0, 0)")

        # when the page unmounts it, the widget is gone
        page.evaluate("window.handle.unmount()")
        expect(mounted.get_by_role("heading")).to_have_count(0)

        # when the page adds a tag later, it mounts itself
        page.evaluate(
            """sku => document.body.insertAdjacentHTML(
              "beforeend", `<div id="later" data-luneo-product="${sku}"></div>`)""",
            sku,
        )
        expect(page.locator("#later").get_by_role("heading", name="Personalize it")).to_be_visible()
        browser.close()


def test_the_demo_shop_page_runs_the_widget_on_our_own_host(tenant, daphne):
    from playwright.sync_api import expect, sync_playwright

    # given the demo workspace's brand allowing the public site's origin, as seed_demo makes for `make run`
    base = f"http://127.0.0.1:{daphne.port}"
    with tenant_context(ensure_tenant(DEMO_SLUG)):
        brand = brand_create(name="Demo shop brand", allowed_origins=[base])
        _key, raw_key = brand_publishable_key_create(brand=brand)
        product = product_make(brand=brand)

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.set_default_timeout(20_000)

        # when someone opens the demo page printed by `make run`
        page.goto(f"{base}/widget/v1/demo?key={raw_key}&product={product.sku}")

        # then the widget runs, and the page lists the events it sent
        expect(page.get_by_role("button", name="Create my design")).to_be_visible()
        expect(page.locator("#events li").first).to_contain_text("luneo:ready")
        axe_check(page)
        browser.close()
