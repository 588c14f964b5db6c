"""Malformed input (NUL, lone surrogates, deep nesting, non-finite numbers) is a 400, never a 500.

Every request passes one hygiene layer: the middleware checks the path, query string, headers and
url-encoded forms; the API's parsers check JSON and multipart bodies.
"""

import json

import pytest
from django.test import Client

from apps.brands.services import brand_create, brand_publishable_key_create
from apps.designs.models import Design
from apps.orders.models import Order
from apps.tenants.models import Role
from tests.support.clients import api_client, dashboard_client, error_code, post_json
from tests.support.factories.designs import pipeline_run
from tests.support.factories.products import product_make
from tests.support.workspaces import member

SHOP = "https://shop.example"
ADDRESS = {
    "name": "Ada",
    "line1": "1 rue de la Paix",
    "city": "Paris",
    "postal_code": "75002",
    "country": "fr",
}
NUL, SURROGATE = "\u0000", "\ud800"


@pytest.fixture
def product(tenant):
    return product_make(brand=brand_create(name="Maison", allowed_origins=[SHOP]))


@pytest.fixture
def widget_key(product) -> str:
    return brand_publishable_key_create(brand=product.brand)[1]


def widget_post(key: str, path: str, body: str, session: str = ""):
    headers = {"Origin": SHOP, "X-Luneo-Key": key, "X-Luneo-Session": session}
    return Client().post(f"/api/v1/widget/{path}", body, content_type="application/json", headers=headers)


def assert_malformed(response) -> None:
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    assert error_code(response) == "malformed_request"


@pytest.mark.parametrize("value", ["%00", "a%00b"])
def test_nul_in_the_widget_query_string_is_a_400(widget_key, product, value):
    response = Client().get(
        f"/api/v1/widget/config?key={widget_key}&product={value}", headers={"Origin": SHOP}
    )

    assert_malformed(response)


def test_nul_in_the_key_parameter_is_a_400_before_the_workspace_is_looked_up(db):
    assert_malformed(Client().get("/api/v1/widget/config?key=pk_%00&product=x"))


def test_nul_in_the_path_or_a_header_is_a_400(db):
    assert_malformed(Client().get("/api/v1/widget/%00"))
    assert_malformed(Client().get("/api/v1/me", headers={"X-Luneo-Session": "a\x00b"}))


def test_a_page_outside_the_api_answers_a_plain_400(db):
    response = Client().get("/?next=%00")

    assert response.status_code == 400
    assert not response["Content-Type"].startswith("application/json")


def test_nul_in_a_url_encoded_form_is_a_400(db):
    response = Client().post(
        "/accounts/login/",
        "login=a%00%40example.com&password=x",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    assert not response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("bad", [NUL, SURROGATE])
@pytest.mark.parametrize("field", ["customer", "shipping_address"])
def test_a_widget_order_with_nul_or_a_lone_surrogate_is_a_400(widget_key, product, bad, field):
    # Given a shopper's ready design
    session = widget_post(widget_key, "sessions", "{}").json()["session"]
    created = widget_post(
        widget_key, "designs", json.dumps({"product": product.sku, "prompt": "fox"}), session
    )
    design = pipeline_run(Design.objects.get(public_id=created.json()["id"]))
    order = {
        "design": design.public_id,
        "customer": {"email": "ada@example.com", "name": "Ada"},
        "shipping_address": ADDRESS,
    }
    order[field]["name"] = f"Ada{bad}"

    # When the order carries the character (json.dumps writes it as a \u escape)
    response = widget_post(widget_key, "orders", json.dumps(order), session)

    # Then it is refused and nothing is stored
    assert_malformed(response)
    assert not Order.objects.exists()


@pytest.mark.parametrize("bad", [NUL, SURROGATE])
def test_text_layers_with_nul_or_a_lone_surrogate_are_a_400_on_both_design_apis(
    tenant, widget_key, product, bad
):
    layers = [{"text": f"Smith{bad}"}]
    session = widget_post(widget_key, "sessions", "{}").json()["session"]

    widget = widget_post(
        widget_key,
        "designs",
        json.dumps({"product": product.sku, "prompt": "x", "text_layers": layers}),
        session,
    )
    rest = post_json(
        api_client(tenant, ["designs:write"]),
        "/api/v1/designs",
        {"product": product.pk, "prompt": "x", "text_layers": layers},
    )
    multipart = api_client(tenant, ["designs:write"]).post(
        "/api/v1/designs", {"product": product.pk, "prompt": "x", "text_layers": json.dumps(layers)}
    )

    for response in (widget, rest, multipart):
        assert response.status_code == 400, response.content
        assert error_code(response) in ("malformed_request", "validation_error")
    assert not Design.objects.exists()


def test_a_multipart_field_with_nul_is_a_400(tenant, product):
    response = api_client(tenant, ["designs:write"]).post(
        "/api/v1/designs", {"product": product.pk, "prompt": "a\x00b"}
    )

    assert_malformed(response)


def test_json_nested_50000_deep_is_a_400(widget_key):
    session = widget_post(widget_key, "sessions", "{}").json()["session"]

    response = widget_post(widget_key, "designs", "[" * 50_000 + "]" * 50_000, session)

    assert_malformed(response)


def test_json_nested_beyond_the_limit_is_a_400_and_within_it_parses(tenant):
    client = api_client(tenant)

    deep = post_json(client, "/api/v1/invitations", {"email": json.loads("[" * 100 + "]" * 100)})
    shallow = post_json(client, "/api/v1/invitations", {"email": json.loads("[" * 20 + "]" * 20)})

    assert_malformed(deep)
    assert (shallow.status_code, error_code(shallow)) == (400, "validation_error")


@pytest.mark.parametrize("body", ['{"email": NaN}', '{"email": 1e999}', '{"a\\u0000": 1}', "\x00\xff"])
def test_non_finite_numbers_nul_in_keys_and_undecodable_bytes_are_a_400(tenant, body):
    response = api_client(tenant).post(
        "/api/v1/invitations", body.encode("latin-1"), content_type="application/json"
    )

    assert_malformed(response)


def test_every_api_view_parses_json_through_the_hygiene_parser():
    from django.urls import get_resolver
    from rest_framework import parsers

    from apps.core.api.parsers import JSONParser, MultiPartParser

    def views(resolver):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                yield from views(pattern)
            else:
                yield pattern.callback

    for urlconf in ("config.urls_public", "config.urls_tenant"):
        for callback in views(get_resolver(urlconf)):
            view_class = getattr(callback, "cls", None)
            if view_class is None:
                continue
            for parser in view_class().get_parsers():
                if isinstance(parser, parsers.JSONParser):
                    assert isinstance(parser, JSONParser), view_class
                if isinstance(parser, parsers.MultiPartParser):
                    assert isinstance(parser, MultiPartParser), view_class


def test_a_widget_design_made_with_the_key_in_a_header_links_its_events_with_that_key(widget_key, product):
    session = widget_post(widget_key, "sessions", "{}").json()["session"]

    response = widget_post(
        widget_key, "designs", json.dumps({"product": product.sku, "prompt": "fox"}), session
    )

    assert response.status_code == 202, response.content
    assert f"key={widget_key}" in response.json()["links"]["events"]


@pytest.mark.parametrize(
    "points",
    [
        '[[0, 0], [9, 0], [5, "\\u0000"]]',
        '[[0, 0], [9, 0], [5, "\\ud800"]]',
        "[" * 5000,
        "[[0, 0], [9, 0], [5, NaN]]",
    ],
)
def test_a_dashboard_json_field_refuses_what_postgresql_cannot_store_as_a_form_error(tenant, points):
    # Given an editor typing a print area's points (JSON in a form field) that are not clean
    product = product_make()
    view = product.views.get()
    editor = dashboard_client(tenant, member(tenant, Role.EDITOR))
    fields = {"name": "front", "width_mm": "90", "height_mm": "90", "dpi": "300", "bleed_mm": "3"}
    fields |= {"safe_mm": "3", "blend_mode": "normal", "position": "0"}

    response = editor.post(
        f"/products/{product.pk}/views/{view.pk}/edit/", {**fields, "area_shape": "polygon", "points": points}
    )

    # Then the form shows the error and nothing is saved
    assert response.status_code == 400
    assert "Give the points as JSON" in response.content.decode()
    view.refresh_from_db()
    assert view.area_shape == "rect"


def test_a_url_encoded_form_too_large_to_check_is_a_json_400_on_the_api(db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100

    response = Client().post("/api/v1/me", "a=" + "x" * 200, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 400
    assert error_code(response) == "bad_request"
