"""/api/v1/products and its variants, views and options: CRUD, filters, validation, isolation."""

import json

import pytest
from django_tenants.utils import tenant_context

from apps.products.models import Product
from tests.support.clients import bearer, new_key, post_json
from tests.support.factories.brands import BrandFactory
from tests.support.factories.products import ProductFactory, image_upload, product_with_view

WRITE = ["catalog:read", "catalog:write"]


@pytest.fixture
def client(tenant):
    _key, raw = new_key(tenant, scopes=WRITE)
    return bearer(raw)


def _patch(client, path, data):
    return client.patch(path, json.dumps(data), content_type="application/json")


def _view_form(**overrides):
    form = {
        "name": "front",
        "mockup": image_upload(400, 300),
        "area_shape": "rect",
        "area_points": json.dumps([[50, 50], [300, 50], [300, 250], [50, 250]]),
        "width_mm": "250",
        "height_mm": "200",
    }
    return {**form, **overrides}


def test_create_read_update_delete_a_product(client, tenant):
    brand = BrandFactory()
    created = post_json(
        client, "/api/v1/products", {"sku": "TEE-1", "name": "Tee", "price": "25.00", "brand": brand.pk}
    )
    assert created.status_code == 201, created.json()
    product_id = created.json()["id"]
    assert created.json()["status"] == "draft"
    assert created.json()["brand"] == brand.pk

    changed = _patch(client, f"/api/v1/products/{product_id}", {"status": "active", "shape": "tshirt"})
    assert changed.status_code == 200
    assert (changed.json()["status"], changed.json()["price"]) == ("active", "25.00")

    detail = client.get(f"/api/v1/products/{product_id}")
    assert detail.json()["shape"] == "tshirt"
    assert detail.json()["views"] == []

    assert client.delete(f"/api/v1/products/{product_id}").status_code == 204
    assert client.get(f"/api/v1/products/{product_id}").status_code == 404


def test_a_duplicate_sku_is_409_sku_taken(client, tenant):
    ProductFactory(sku="DUP")

    response = post_json(client, "/api/v1/products", {"sku": "DUP", "name": "Again", "price": "1.00"})

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "sku_taken"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"sku": "A", "name": "A", "price": "1", "colour": "red"}, "colour"),
        ({"sku": "A", "name": "A", "price": "-1"}, "price"),
        ({"sku": "A", "name": "A", "price": "1", "currency": "XXX"}, "currency"),
        ({"sku": "A", "name": "A", "price": "1", "brand": "first"}, "brand"),
        ({"name": "A", "price": "1"}, "sku"),
        ({"sku": 7, "name": "A", "price": "1"}, "sku"),  # a number is not text
    ],
)
def test_invalid_product_bodies_are_400_naming_the_field(client, tenant, body, field):
    response = post_json(client, "/api/v1/products", body)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert field in response.json()["error"]["details"]["fields"]


def test_an_id_in_a_body_that_matches_nothing_is_404_field_not_found(client, tenant):
    product = ProductFactory()

    brand = post_json(client, "/api/v1/products", {"sku": "A", "name": "A", "price": "1", "brand": 999999})
    variant = client.post(f"/api/v1/products/{product.pk}/views", _view_form(variant=999999))
    also_invalid = post_json(client, "/api/v1/products", {"sku": "A", "price": "1", "brand": 999999})

    assert (brand.status_code, brand.json()["error"]["code"]) == (404, "brand_not_found")
    assert list(brand.json()["error"]["details"]["fields"]) == ["brand"]
    assert (variant.status_code, variant.json()["error"]["code"]) == (404, "variant_not_found")
    # Other faults come first: the body is fixed before its ids are looked up.
    assert (also_invalid.status_code, also_invalid.json()["error"]["code"]) == (400, "validation_error")
    assert not Product.objects.filter(sku="A").exists()


def test_a_well_formed_body_that_breaks_a_catalog_rule_is_422_naming_the_field(client, tenant):
    product = ProductFactory(sku="TEE")

    response = post_json(
        client,
        f"/api/v1/products/{product.pk}/variants",
        {"name": "Odd", "sku_suffix": "O", "attributes": {"a": {}}},
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "catalog_invalid"
    assert "attributes" in response.json()["error"]["details"]["fields"]


def test_decimals_are_json_numbers_or_strings(client, tenant):
    product = ProductFactory(sku="TEE")

    created = post_json(client, "/api/v1/products", {"sku": "NUM", "name": "Num", "price": 25.5})
    option = post_json(client, f"/api/v1/products/{product.pk}/options", {"name": "Gift", "price_delta": 0})
    too_precise = post_json(client, "/api/v1/products", {"sku": "P", "name": "P", "price": 1.005})

    assert (created.status_code, created.json()["price"]) == (201, "25.50")
    assert (option.status_code, option.json()["price_delta"]) == (201, "0.00")
    assert too_precise.status_code == 400
    assert "price" in too_precise.json()["error"]["details"]["fields"]


def test_products_filter_by_status_brand_and_search_with_cursor_pages(client, tenant):
    brand = BrandFactory()
    ProductFactory(sku="MUG-RED", name="Red mug", status="active", brand=brand)
    ProductFactory(sku="MUG-BLUE", name="Blue mug", status="draft", brand=brand)
    ProductFactory(sku="POSTER", name="Poster", status="active")

    def skus(query):
        response = client.get(f"/api/v1/products{query}")
        assert response.status_code == 200, response.json()
        return sorted(row["sku"] for row in response.json()["results"])

    assert skus("?status=active") == ["MUG-RED", "POSTER"]
    assert skus(f"?brand={brand.pk}") == ["MUG-BLUE", "MUG-RED"]
    assert skus("?search=mug-b") == ["MUG-BLUE"]
    assert skus("?search=poster") == ["POSTER"]
    first = client.get("/api/v1/products?page_size=2").json()
    assert len(first["results"]) == 2
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1
    assert client.get("/api/v1/products?status=gone").status_code == 400


def test_create_product_is_idempotent(client, tenant):
    body = {"sku": "IDEM", "name": "Idem", "price": "3.00"}

    first = post_json(client, "/api/v1/products", body, idempotency_key="k-1")
    again = post_json(client, "/api/v1/products", body, idempotency_key="k-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Product.objects.filter(sku="IDEM").count() == 1


def test_a_view_is_uploaded_as_multipart_and_described_in_json(client, tenant):
    product = ProductFactory()

    response = client.post(f"/api/v1/products/{product.pk}/views", _view_form())

    assert response.status_code == 201, response.json()
    view = response.json()
    assert (view["mockup_width"], view["mockup_height"]) == (400, 300)
    assert view["area_points"] == [[50, 50], [300, 50], [300, 250], [50, 250]]
    assert view["print_size_px"] == [3024, 2433]
    assert (view["dpi"], view["bleed_mm"], view["blend_mode"]) == (300, "3.00", "normal")
    patched = _patch(
        client, f"/api/v1/products/{product.pk}/views/{view['id']}", {"dpi": 150, "blend_mode": "multiply"}
    )
    assert (patched.json()["dpi"], patched.json()["print_size_px"]) == (150, [1512, 1217])
    listed = client.get(f"/api/v1/products/{product.pk}/views").json()
    assert [row["id"] for row in listed] == [view["id"]]


def test_a_print_area_outside_the_mockup_is_422(client, tenant):
    product = ProductFactory()
    outside = json.dumps([[0, 0], [500, 0], [500, 100], [0, 100]])

    response = client.post(f"/api/v1/products/{product.pk}/views", _view_form(area_points=outside))

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "print_area_invalid"
    assert response.json()["error"]["details"] == {"mockup_width": 400, "mockup_height": 300}


def test_a_mockup_that_is_not_an_image_is_422_and_a_huge_one_413(client, tenant, settings):
    product = ProductFactory()
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("m.png", b"%PDF-1.7 not an image")
    invalid = client.post(f"/api/v1/products/{product.pk}/views", _view_form(mockup=fake))
    settings.UPLOAD_MAX_BYTES = 500
    too_big = client.post(
        f"/api/v1/products/{product.pk}/views", _view_form(mockup=image_upload(400, 300, fmt="BMP"))
    )

    assert (invalid.status_code, invalid.json()["error"]["code"]) == (422, "upload_invalid")
    assert (too_big.status_code, too_big.json()["error"]["code"]) == (413, "upload_too_large")
    assert not product.views.exists()


def test_variants_and_options_crud(client, tenant):
    product = ProductFactory(sku="TEE")
    base = f"/api/v1/products/{product.pk}"

    variant = post_json(
        client,
        f"{base}/variants",
        {"name": "Red M", "sku_suffix": "RED-M", "attributes": {"colour": "red", "size": "M"}},
    )
    option = post_json(client, f"{base}/options", {"name": "Premium print", "price_delta": "5.00"})
    duplicate = post_json(client, f"{base}/variants", {"name": "Again", "sku_suffix": "RED-M"})

    assert variant.status_code == 201, variant.json()
    assert variant.json()["sku"] == "TEE-RED-M"
    assert option.json()["price_delta"] == "5.00"
    assert duplicate.status_code == 409
    changed = _patch(client, f"{base}/variants/{variant.json()['id']}", {"price_delta": "2.50"})
    assert changed.json()["price_delta"] == "2.50"
    detail = client.get(base).json()
    assert [v["sku"] for v in detail["variants"]] == ["TEE-RED-M"]
    assert [o["name"] for o in detail["options"]] == ["Premium print"]
    assert client.delete(f"{base}/options/{option.json()['id']}").status_code == 204
    assert client.get(f"{base}/options").json() == []


def test_a_part_of_another_product_is_404(client, tenant):
    product, view = product_with_view()
    other = ProductFactory()

    assert client.get(f"/api/v1/products/{other.pk}/views/{view.pk}").status_code == 404


def test_reading_needs_catalog_read_and_writing_catalog_write(tenant):
    _key, raw = new_key(tenant, scopes=["catalog:read"])
    reader = bearer(raw)

    assert reader.get("/api/v1/products").status_code == 200
    refused = post_json(reader, "/api/v1/products", {"sku": "A", "name": "A", "price": "1"})
    assert refused.status_code == 403
    assert refused.json()["error"]["details"]["required_scope"] == "catalog:write"


def test_another_workspaces_key_gets_404_on_every_catalog_endpoint(other_tenant, tenant, settings):
    settings.API_RATE_LIMIT_REQUESTS = 1000
    product, view = product_with_view()
    variant = product.variants.create(name="Red", sku_suffix="RED")
    option = product.options.create(name="Gift wrap")
    brand = BrandFactory()
    _key, raw = new_key(other_tenant, scopes=WRITE)
    spy = bearer(raw)
    base = f"/api/v1/products/{product.pk}"

    writes = {  # path → the status of PATCH and DELETE (a list has neither: 405)
        base: 404,
        f"{base}/variants": 405,
        f"{base}/variants/{variant.pk}": 404,
        f"{base}/views": 405,
        f"{base}/views/{view.pk}": 404,
        f"{base}/options": 405,
        f"{base}/options/{option.pk}": 404,
        f"/api/v1/brands/{brand.pk}": 404,
    }
    for path, status in writes.items():
        assert spy.get(path).status_code == 404, path
        assert _patch(spy, path, {}).status_code == status, path
        assert spy.delete(path).status_code == status, path
    assert spy.get("/api/v1/products").json()["results"] == []
    assert post_json(spy, f"{base}/options", {"name": "x"}).status_code == 404
    with tenant_context(tenant):  # the requests left beta's schema active
        assert Product.objects.filter(pk=product.pk).exists()
