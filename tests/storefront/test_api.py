"""The widget's API: publishable keys from allowed origins only, shopper sessions, server-side totals."""

from decimal import Decimal

import pytest
from django.test import Client
from django_tenants.utils import tenant_context

from apps.brands.services import brand_create, brand_publishable_key_create
from apps.orders.models import Order
from apps.products.services import option_create, variant_create
from tests.support.clients import api_client, error_code
from tests.support.factories.products import product_make
from tests.support.widget import SHOP, Widget, widget_ready_design

OTHER_SITE = "https://evil.example"
ADDRESS = {
    "name": "Ada",
    "line1": "1 rue de la Paix",
    "city": "Paris",
    "postal_code": "75002",
    "country": "fr",
}
CUSTOMER = {"email": "ada@example.com", "name": "Ada Lovelace"}


def test_config_describes_the_product_in_the_brand_theme_and_language(widget, product):
    variant_create(product=product, name="Large", sku_suffix="L", price_delta="3.50")

    response = widget.get("config", product=product.sku)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == SHOP
    assert "max-age=" in response["Cache-Control"]
    body = response.json()
    assert body["brand"]["name"] == "Maison"
    assert body["brand"]["font"]["url"].startswith("http://testserver/widget/v1/fonts/")
    assert body["product"] == {
        "sku": product.sku,
        "name": "Mug",
        "description": "",
        "price": "20.00",
        "currency": "EUR",
        "shape": "mug",
        "has_3d": True,
    }
    assert body["variants"][0]["price"] == "23.50"
    mockup = widget.client.get(body["views"][0]["mockup_url"])
    assert mockup.status_code == 200
    assert mockup["Access-Control-Allow-Origin"] == "*"
    assert mockup["Content-Type"] == "image/png"
    assert body["views"][0]["print_area"]["points"]
    assert body["locale"] == "fr"  # the brand's language
    assert body["strings"]["add_to_cart"] == "Ajouter au panier"


def test_config_speaks_the_asked_locale(widget, product):
    body = widget.get("config", product=product.sku, locale="zh-Hans").json()

    assert body["locale"] == "zh-hans"
    assert body["strings"]["add_to_cart"] == "加入购物车"


def test_a_site_that_is_not_allowed_gets_a_readable_403(brand, product):
    _key, raw = brand_publishable_key_create(brand=brand)
    stranger = Widget(raw, origin=OTHER_SITE)

    response = stranger.get("config", product=product.sku)

    assert response.status_code == 403
    assert error_code(response) == "origin_not_allowed"
    assert response["Access-Control-Allow-Origin"] == OTHER_SITE  # so the widget can say why
    assert "product" not in response.json()


def test_a_request_without_origin_is_refused(widget, product):
    response = widget.client.get(widget.url("config", product=product.sku))

    assert response.status_code == 403
    assert error_code(response) == "origin_not_allowed"


def test_preflights_are_answered_for_allowed_origins_only(widget):
    allowed = widget.client.options(
        widget.url("designs"), HTTP_ORIGIN=SHOP, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    refused = widget.client.options(
        widget.url("designs"), HTTP_ORIGIN=OTHER_SITE, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )

    assert allowed.status_code == 204
    assert allowed["Access-Control-Allow-Origin"] == SHOP
    assert "X-Luneo-Session" in allowed["Access-Control-Allow-Headers"]
    assert refused.status_code == 403
    assert "Access-Control-Allow-Origin" not in refused


@pytest.mark.parametrize(
    "sku_of",
    [
        lambda product, other: "NOPE",
        lambda product, other: other.sku,  # another brand's product
    ],
)
def test_unknown_or_foreign_products_are_404(widget, product, sku_of):
    other = product_make(brand=brand_create(name="Other brand"))

    response = widget.get("config", product=sku_of(product, other))

    assert response.status_code == 404
    assert error_code(response) == "product_not_found"


def test_keys_stay_on_their_side(tenant, widget, product):
    secret = api_client(tenant)

    publishable_on_secret_bearer = Client().get("/api/v1/designs", HTTP_AUTHORIZATION=f"Bearer {widget.key}")
    publishable_on_secret_query = Client().get(f"/api/v1/designs?key={widget.key}")
    secret_on_widget = secret.get(f"/api/v1/widget/config?product={product.sku}", HTTP_ORIGIN=SHOP)

    assert publishable_on_secret_bearer.status_code == 403
    assert error_code(publishable_on_secret_bearer) == "publishable_key_not_allowed"
    assert publishable_on_secret_query.status_code == 403
    assert secret_on_widget.status_code == 401
    assert error_code(secret_on_widget) == "publishable_key_invalid"


def test_a_revoked_key_is_refused(brand, widget, product):
    brand_publishable_key_create(brand=brand)  # rotation revokes the previous key

    response = widget.get("config", product=product.sku)

    assert response.status_code == 401
    assert error_code(response) == "publishable_key_invalid"


def test_designs_need_a_session_and_belong_to_it(widget, product):
    without_session = widget.post("designs", {"product": product.sku, "prompt": "a fox"})
    widget.start_session()
    created = widget.post("designs", {"product": product.sku, "prompt": "a fox"})
    public_id = created.json()["id"]
    own = widget.get(f"designs/{public_id}")
    widget.start_session()  # another shopper
    foreign = widget.get(f"designs/{public_id}")

    assert without_session.status_code == 401
    assert error_code(without_session) == "session_invalid"
    assert created.status_code == 202
    assert public_id.startswith("dsg_")
    assert created.json()["links"]["events"].startswith(
        f"ws://testserver/ws/widget/designs/{public_id}/?key="
    )
    assert own.status_code == 200
    assert own.json()["status"] == "queued"
    assert foreign.status_code == 404


def test_a_ready_design_shows_previews_and_its_3d_model(widget, product):
    design = widget_ready_design(widget, product)

    body = widget.get(f"designs/{design.public_id}").json()

    assert body["status"] == "ready"
    assert body["progress"] == 100
    assert body["error"] is None
    assert body["offline"] is True  # tests run the offline generator: the widget labels it
    assert set(body["previews"]) == {"front"}
    assert body["previews"]["front"].startswith("http://testserver/designs/assets/")
    assert body["model_url"].startswith("http://testserver/designs/assets/")
    assert widget.client.get(body["previews"]["front"]).status_code == 200


def test_an_order_is_priced_on_the_server_whatever_the_browser_says(widget, product):
    variant = variant_create(product=product, name="Large", sku_suffix="L", price_delta="3.50")
    option = option_create(product=product, name="Gift box", price_delta="4.00")
    design = widget_ready_design(widget, product, variant=variant.pk)

    response = widget.post(
        "orders",
        {
            "design": design.public_id,
            "quantity": 2,
            "options": [option.pk],
            "customer": CUSTOMER,
            "shipping_address": ADDRESS,
            "price": "0.01",
            "total": "0.01",
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["total"] == "55.00"  # (20.00 + 3.50 + 4.00) × 2
    assert body["number"].startswith("LU-")
    order = Order.objects.get()
    assert order.total == Decimal("55.00")
    assert order.source == "widget"
    assert order.shipping_address["country"] == "FR"
    assert order.items.get().design == design


def test_bad_checkout_fields_are_422_with_every_field_named(widget, product):
    design = widget_ready_design(widget, product)

    response = widget.post(
        "orders",
        {
            "design": design.public_id,
            "quantity": 0,
            "customer": {"email": "not-an-email", "name": ""},
            "shipping_address": {"line1": "1 rue", "city": "", "postal_code": "75002", "country": "France"},
        },
    )

    assert response.status_code == 422
    fields = response.json()["error"]["details"]["fields"]
    assert set(fields) == {
        "quantity",
        "customer.email",
        "customer.name",
        "shipping_address.city",
        "shipping_address.country",
    }
    assert not Order.objects.exists()


def test_a_design_still_generating_cannot_be_ordered(widget, product):
    widget.start_session()
    public_id = widget.post("designs", {"product": product.sku, "prompt": "a fox"}).json()["id"]

    response = widget.post("orders", {"design": public_id, "customer": CUSTOMER, "shipping_address": ADDRESS})

    assert response.status_code == 409
    assert error_code(response) == "design_not_ready"


def test_a_retried_checkout_creates_one_order(widget, product):
    design = widget_ready_design(widget, product)
    body = {"design": design.public_id, "customer": CUSTOMER, "shipping_address": ADDRESS}

    first = widget.post("orders", body, headers={"HTTP_IDEMPOTENCY_KEY": "checkout-1"})
    second = widget.post("orders", body, headers={"HTTP_IDEMPOTENCY_KEY": "checkout-1"})

    assert first.status_code == second.status_code == 201
    assert first.json()["number"] == second.json()["number"]
    assert Order.objects.count() == 1


def test_another_shoppers_design_cannot_be_ordered(widget, product):
    design = widget_ready_design(widget, product)
    widget.start_session()

    response = widget.post(
        "orders", {"design": design.public_id, "customer": CUSTOMER, "shipping_address": ADDRESS}
    )

    assert response.status_code == 404
    assert error_code(response) == "design_not_found"


def test_another_workspace_key_sees_nothing_of_this_one(other_tenant, tenant, widget, product):
    design = widget_ready_design(widget, product)
    with tenant_context(other_tenant):
        foreign_brand = brand_create(name="Beta brand", allowed_origins=[SHOP])
        _key, raw = brand_publishable_key_create(brand=foreign_brand)
    stranger = Widget(raw)
    stranger.start_session()

    config = stranger.get("config", product=product.sku)
    detail = stranger.get(f"designs/{design.public_id}")
    order = stranger.post(
        "orders", {"design": design.public_id, "customer": CUSTOMER, "shipping_address": ADDRESS}
    )

    assert config.status_code == detail.status_code == order.status_code == 404


def test_requests_are_limited_per_key_and_shopper(widget, product, settings):
    settings.WIDGET_RATE_LIMIT_REQUESTS = 2

    answers = [widget.get("config", product=product.sku).status_code for _ in range(3)]

    assert answers == [200, 200, 429]


def test_behind_the_proxy_each_shopper_has_their_own_budget(widget, product, settings):
    # Given one trusted proxy in front of Luneo, and a budget of 2 requests per shopper
    settings.TRUSTED_PROXY_COUNT = 1
    settings.WIDGET_RATE_LIMIT_REQUESTS = 2

    def config(forwarded_for: str) -> int:
        return widget.client.get(
            widget.url("config", product=product.sku),
            HTTP_ORIGIN=widget.origin,
            HTTP_X_FORWARDED_FOR=forwarded_for,
        ).status_code

    # When one shopper spends theirs, then forges an address, and another shopper calls
    first = [config("203.0.113.7") for _ in range(3)]
    forged = config("198.51.100.1, 203.0.113.7")  # the proxy appended the real address last
    other = config("203.0.113.8")

    # Then the first is limited whatever they forge, and the second is not
    assert first == [200, 200, 429]
    assert forged == 429
    assert other == 200


def test_designs_are_limited_per_hour(widget, product, settings):
    settings.WIDGET_DESIGNS_PER_HOUR = 1
    widget.start_session()

    first = widget.post("designs", {"product": product.sku, "prompt": "a fox"})
    second = widget.post("designs", {"product": product.sku, "prompt": "a fox"})

    assert first.status_code == 202
    assert second.status_code == 429
    assert second["Retry-After"]


def test_an_unchanged_config_is_304_with_its_etag(widget, product):
    first = widget.get("config", product=product.sku)

    again = widget.client.get(
        widget.url("config", product=product.sku), HTTP_ORIGIN=SHOP, HTTP_IF_NONE_MATCH=first["ETag"]
    )

    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert again["Access-Control-Allow-Origin"] == SHOP


def test_config_without_a_product_is_a_validation_error(widget):
    response = widget.get("config")

    assert response.status_code == 400
    assert response.json()["error"]["details"]["fields"]["product"]


def test_media_links_work_only_for_their_workspace(other_tenant, tenant, widget, product):
    url = widget.get("config", product=product.sku).json()["views"][0]["mockup_url"]
    path = url.removeprefix("http://testserver")

    on_other_host = Client(HTTP_HOST="beta.localhost").get(path)
    forged = Client().get(path[:-3] + "xyz")

    assert Client(HTTP_HOST="alpha.localhost").get(path).status_code == 200
    assert on_other_host.status_code == 404
    assert forged.status_code == 404


def test_the_widget_reports_the_shoppers_funnel_once_per_step(widget, product):
    # Given a ready design of this shopper
    design = widget_ready_design(widget, product)

    # When the widget reports the preview, then the cart twice
    first = widget.post(f"designs/{design.public_id}/events", {"type": "preview_ready"})
    widget.post(f"designs/{design.public_id}/events", {"type": "add_to_cart"})
    design.refresh_from_db()
    carted_at = design.added_to_cart_at
    again = widget.post(f"designs/{design.public_id}/events", {"type": "add_to_cart"})

    # Then each step is stored once, at its first report
    assert (first.status_code, again.status_code) == (204, 204)
    design.refresh_from_db()
    assert design.preview_seen_at is not None
    assert design.added_to_cart_at == carted_at


def test_funnel_reports_are_checked(widget, product):
    widget.start_session()
    queued = widget.post("designs", {"product": product.sku, "prompt": "a fox"}).json()["id"]

    unknown_step = widget.post(f"designs/{queued}/events", {"type": "bought_twice"})
    not_ready = widget.post(f"designs/{queued}/events", {"type": "preview_ready"})
    stranger = Widget(widget.key)
    stranger.start_session()
    foreign = stranger.post(f"designs/{queued}/events", {"type": "preview_ready"})

    assert unknown_step.status_code == 400
    assert (not_ready.status_code, error_code(not_ready)) == (422, "funnel_step_invalid")
    assert foreign.status_code == 404


def test_two_shoppers_using_the_same_idempotency_key_get_their_own_answers(widget, brand, product):
    # Given a shopper whose checkout used `Idempotency-Key: abc`
    first_design = widget_ready_design(widget, product)
    first_body = {"design": first_design.public_id, "customer": CUSTOMER, "shipping_address": ADDRESS}
    first = widget.post("orders", first_body, headers={"HTTP_IDEMPOTENCY_KEY": "abc"})
    assert first.status_code == 201, first.content

    # When another shopper on the same site (same publishable key) sends the same key
    other = Widget(widget.key)
    other_design = widget_ready_design(other, product)
    other_body = {"design": other_design.public_id, "customer": CUSTOMER, "shipping_address": ADDRESS}
    theirs = other.post("orders", other_body, headers={"HTTP_IDEMPOTENCY_KEY": "abc"})
    replay_attempt = other.post("orders", first_body, headers={"HTTP_IDEMPOTENCY_KEY": "abc"})

    # Then they get their own order, and never the first shopper's stored answer
    assert theirs.status_code == 201, theirs.content
    assert theirs.json()["number"] != first.json()["number"]
    assert replay_attempt.status_code == 422
    assert error_code(replay_attempt) == "idempotency_key_reused"
    assert first.json()["number"] not in replay_attempt.content.decode()
    assert Order.objects.count() == 2
