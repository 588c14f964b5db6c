"""Names in French and Chinese beside the default one: products, variants, options and views, in
the API (accepted, validated, returned) and in the dashboard's forms."""

import json
from decimal import Decimal

import pytest
from django.conf import settings
from django_tenants.utils import tenant_context

from apps.products.models import Option, Product, View
from apps.products.services import option_create, product_create, variant_create
from apps.tenants.models import Role
from tests.support.clients import bearer, dashboard_client, new_key, post_json
from tests.support.factories.products import image_upload, product_with_view
from tests.support.workspaces import member

WRITE = ["catalog:read", "catalog:write"]


@pytest.fixture
def client(tenant):
    return bearer(new_key(tenant, scopes=WRITE)[1])


@pytest.fixture
def editor(tenant):
    return dashboard_client(tenant, member(tenant, Role.EDITOR))


def _patch(client, path, data):
    return client.patch(path, json.dumps(data), content_type="application/json")


def test_the_api_takes_and_returns_names_by_language(client, tenant):
    created = post_json(
        client,
        "/api/v1/products",
        {
            "sku": "MUG",
            "name": "Mug",
            "price": "9.00",
            "name_translations": {"fr": " Tasse ", "zh_Hans": "马克杯"},
        },
    )
    product_id = created.json()["id"]
    variant = post_json(
        client,
        f"/api/v1/products/{product_id}/variants",
        {"name": "Black", "sku_suffix": "BLK", "name_translations": {"fr": "Noir"}},
    )
    option = post_json(
        client,
        f"/api/v1/products/{product_id}/options",
        {"name": "Gift box", "name_translations": {"zh-hans": "礼盒"}},
    )
    changed = _patch(
        client, f"/api/v1/products/{product_id}", {"name_translations": {"fr": "Mug", "zh-hans": ""}}
    )
    detail = client.get(f"/api/v1/products/{product_id}").json()

    assert created.status_code == 201, created.json()
    assert created.json()["name_translations"] == {"fr": "Tasse", "zh-hans": "马克杯"}
    assert variant.json()["name_translations"] == {"fr": "Noir"}
    assert option.json()["name_translations"] == {"zh-hans": "礼盒"}
    assert changed.json()["name_translations"] == {"fr": "Mug"}  # an empty name drops the language
    assert detail["variants"][0]["name_translations"] == {"fr": "Noir"}
    assert detail["options"][0]["name_translations"] == {"zh-hans": "礼盒"}


def test_a_view_takes_names_by_language_in_a_multipart_form(client, tenant):
    product = product_create(sku="POSTER", name="Poster", price="10")

    response = client.post(
        f"/api/v1/products/{product.pk}/views",
        {
            "name": "front",
            "name_translations": json.dumps({"fr": "devant"}),
            "mockup": image_upload(400, 300),
            "area_points": json.dumps([[50, 50], [300, 50], [300, 250], [50, 250]]),
            "width_mm": "250",
            "height_mm": "200",
        },
    )

    assert response.status_code == 201, response.json()
    assert response.json()["name_translations"] == {"fr": "devant"}
    assert View.objects.get(product=product).name_in("fr") == "devant"


@pytest.mark.parametrize(
    "translations",
    [
        {"de": "Becher"},  # a language the catalog does not speak
        {"fr": "x" * 201},  # longer than a name may be
        {"fr": "Tasse\nBis"},  # more than one line
        {"fr": 3},
        ["fr", "Tasse"],
        "not json",
    ],
    ids=["language", "length", "control", "number", "list", "text"],
)
def test_bad_names_by_language_are_refused_naming_the_field(client, tenant, translations):
    body = {"sku": "BAD", "name": "Bad", "price": "1", "name_translations": translations}

    response = post_json(client, "/api/v1/products", body)

    assert response.status_code in (400, 422), response.content  # the parser's, or the model's rule
    assert "name_translations" in response.json()["error"]["details"]["fields"]
    assert not Product.objects.filter(sku="BAD").exists()


def test_another_workspace_cannot_read_or_rename_these_names(client, tenant, other_tenant):
    with tenant_context(tenant):
        product = product_create(sku="OWN", name="Own", price="1", name_translations={"fr": "Propre"})
    stranger = bearer(new_key(other_tenant, scopes=WRITE)[1])

    assert stranger.get(f"/api/v1/products/{product.pk}").status_code == 404
    assert (
        _patch(stranger, f"/api/v1/products/{product.pk}", {"name_translations": {"fr": "Volé"}}).status_code
        == 404
    )
    with tenant_context(tenant):  # the requests left the other schema active
        product.refresh_from_db()
    assert product.name_translations == {"fr": "Propre"}


def test_the_name_falls_back_to_the_default_one():
    product = Product(name="Mug", name_translations={"fr": "Tasse", "zh-hans": "马克杯"})

    assert [product.name_in(code) for code in ("fr", "fr-ca", "zh-hans", "zh", "en", "de", None)] == [
        "Tasse",
        "Tasse",
        "马克杯",
        "马克杯",
        "Mug",
        "Mug",
        "Mug",
    ]


def _in_french(client):
    client.post("/i18n/language/", {"language": "fr", "next": "/"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    return client


def test_the_product_form_edits_the_french_and_chinese_names(editor, tenant):
    product = product_create(
        sku="TEE", name="Tee", price=Decimal("20.00"), name_translations={"fr": "T-shirt"}
    )
    fields = {
        "sku": "TEE",
        "name": "Tee",
        "price": "20.00",
        "currency": "EUR",
        "status": "draft",
        "shape": "flat",
    }

    form = editor.get(f"/products/{product.pk}/edit/").content.decode()
    saved = editor.post(
        f"/products/{product.pk}/edit/", {**fields, "name_fr": "Tee-shirt", "name_zh_hans": "T恤"}
    )

    assert 'name="name_fr"' in form
    assert 'value="T-shirt"' in form
    assert saved.status_code == 302, saved.content.decode()
    product.refresh_from_db()
    assert product.name_translations == {"fr": "Tee-shirt", "zh-hans": "T恤"}


def test_the_variant_and_option_forms_edit_their_names_by_language(editor, tenant):
    product = product_create(sku="TEE", name="Tee", price=Decimal("20.00"))
    option = option_create(product=product, name="Gift box", name_translations={"fr": "Coffret"})

    variant = editor.post(
        f"/products/{product.pk}/variants/new/",
        {"name": "Red", "name_fr": "Rouge", "sku_suffix": "RED", "price_delta": "0"}
        | {f"attributes-{key}": "0" for key in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS")}
        | {"attributes-MAX_NUM_FORMS": "1000"},
    )
    options_page = editor.get(f"/products/{product.pk}/options/").content.decode()
    options = editor.post(
        f"/products/{product.pk}/options/",
        {
            "options-TOTAL_FORMS": "1",
            "options-INITIAL_FORMS": "1",
            "options-MIN_NUM_FORMS": "0",
            "options-MAX_NUM_FORMS": "1000",
            "options-0-option": str(option.pk),
            "options-0-name": "Gift box",
            "options-0-name_fr": "Boîte cadeau",
            "options-0-name_zh_hans": "礼盒",
            "options-0-price_delta": "2",
        },
    )

    assert variant.status_code == 302, variant.content.decode()
    assert product.variants.get().name_translations == {"fr": "Rouge"}
    assert 'value="Coffret"' in options_page
    assert options.status_code == 302, options.content.decode()
    assert Option.objects.get(pk=option.pk).name_translations == {"fr": "Boîte cadeau", "zh-hans": "礼盒"}


def test_the_view_form_in_french_labels_every_field_in_french(editor, tenant):
    product, view = product_with_view()
    variant_create(product=product, name="Black", sku_suffix="BLK")

    page = _in_french(editor).get(f"/products/{product.pk}/views/{view.pk}/edit/").content.decode()

    assert ">Variante</label>" in page
    assert ">Variant</label>" not in page
    assert ">En français</label>" in page
    assert ">En chinois simplifié</label>" in page
    assert ">Black</option>" in page  # the variant by its name, not its SKU


def test_the_view_form_saves_the_names_by_language(editor, tenant):
    product, view = product_with_view()
    fields = {"name": "front", "area_shape": "rect", "width_mm": "100", "height_mm": "80", "dpi": "300"}
    fields |= {"bleed_mm": "3", "safe_mm": "3", "blend_mode": "normal", "position": "0"}
    fields |= {"rect_x": 10, "rect_y": 20, "rect_width": 100, "rect_height": 80}

    saved = editor.post(f"/products/{product.pk}/views/{view.pk}/edit/", {**fields, "name_zh_hans": "正面"})
    too_long = editor.post(f"/products/{product.pk}/views/{view.pk}/edit/", {**fields, "name_fr": "x" * 51})

    assert saved.status_code == 302, saved.content.decode()
    view.refresh_from_db()
    assert view.name_translations == {"zh-hans": "正面"}
    assert too_long.status_code == 400
