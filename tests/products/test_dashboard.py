"""Dashboard catalog pages: list, product forms, the print area drawn on the mockup, roles, isolation."""

import pytest
from django_tenants.utils import tenant_context

from apps.products.models import Product, View
from apps.tenants.models import Role
from tests.support.clients import dashboard_client
from tests.support.factories.products import ProductFactory, image_upload, product_with_view
from tests.support.workspaces import member


@pytest.fixture
def editor(tenant):
    return dashboard_client(tenant, member(tenant, Role.EDITOR))


@pytest.fixture
def viewer(tenant):
    return dashboard_client(tenant, member(tenant, Role.VIEWER))


def test_the_list_searches_filters_and_pages(viewer, tenant):
    ProductFactory(sku="MUG-1", name="Red mug", status="active")
    ProductFactory(sku="TEE-1", name="Tee", status="draft")
    for number in range(26):
        ProductFactory(sku=f"BULK-{number}", status="archived")

    found = viewer.get("/products/?search=mug")
    drafts = viewer.get("/products/?status=draft")
    second_page = viewer.get("/products/?status=archived&page=2")

    assert found.status_code == 200
    assert b"Red mug" in found.content
    assert b"TEE-1" not in found.content
    assert b"TEE-1" in drafts.content
    assert b"MUG-1" not in drafts.content
    assert second_page.content.count(b"BULK-") == 1


def test_the_product_page_draws_each_print_area_over_its_mockup(viewer, tenant):
    product, view = product_with_view()

    page = viewer.get(f"/products/{product.pk}/")
    image = viewer.get(f"/products/{product.pk}/views/{view.pk}/mockup/")

    html = page.content.decode()
    assert page.status_code == 200
    assert 'viewBox="0 0 400 300"' in html
    assert 'points="50,50 300,50 300,250 50,250"' in html
    assert "250 × 200 mm · 300 DPI" in html
    assert "3024 × 2433 px" in html
    assert image.status_code == 200
    assert b"".join(image.streaming_content).startswith(b"\x89PNG")


def test_an_editor_creates_a_product_and_a_taken_sku_is_a_form_error(editor, tenant):
    created = editor.post(
        "/products/new/",
        {
            "sku": "POSTER",
            "name": "Poster",
            "price": "20",
            "currency": "EUR",
            "status": "draft",
            "shape": "flat",
        },
    )
    again = editor.post(
        "/products/new/",
        {
            "sku": "POSTER",
            "name": "Again",
            "price": "20",
            "currency": "EUR",
            "status": "draft",
            "shape": "flat",
        },
    )

    product = Product.objects.get(sku="POSTER")
    assert created.status_code == 302
    assert created["Location"] == f"/products/{product.pk}/"
    assert again.status_code == 400
    assert "Another product already has this SKU." in again.content.decode()


def test_an_editor_adds_a_view_with_a_rectangle_and_edits_it_as_a_polygon(editor, tenant):
    product = ProductFactory()
    fields = {"name": "front", "area_shape": "rect", "width_mm": "100", "height_mm": "80", "dpi": "300"}
    fields |= {"bleed_mm": "3", "safe_mm": "3", "blend_mode": "normal", "position": "0"}

    added = editor.post(
        f"/products/{product.pk}/views/new/",
        {
            **fields,
            "mockup_upload": image_upload(400, 300),
            "rect_x": 10,
            "rect_y": 20,
            "rect_width": 100,
            "rect_height": 80,
        },
    )
    view = View.objects.get(product=product)
    edited = editor.post(
        f"/products/{product.pk}/views/{view.pk}/edit/",
        {**fields, "area_shape": "polygon", "points": "[[10, 10], [390, 10], [200, 290]]"},
    )
    outside = editor.post(
        f"/products/{product.pk}/views/{view.pk}/edit/",
        {**fields, "area_shape": "polygon", "points": "[[10, 10], [900, 10], [200, 290]]"},
    )

    assert added.status_code == 302, added.content.decode()
    assert edited.status_code == 302
    view.refresh_from_db()
    assert view.area_points == [[10, 10], [390, 10], [200, 290]]
    assert outside.status_code == 400
    assert "inside the 400 × 300 px mockup" in outside.content.decode()


def test_a_viewer_sees_but_cannot_change_the_catalog(viewer, tenant):
    product, view = product_with_view()

    page = viewer.get(f"/products/{product.pk}/")

    assert "Add a view" not in page.content.decode()
    assert viewer.get("/products/new/").status_code == 403
    assert viewer.get(f"/products/{product.pk}/edit/").status_code == 403
    assert viewer.post(f"/products/{product.pk}/options/", {"options-0-name": "x"}).status_code == 403
    assert viewer.post(f"/products/{product.pk}/views/{view.pk}/delete/").status_code == 403
    assert viewer.post(f"/products/{product.pk}/delete/").status_code == 403
    assert Product.objects.filter(pk=product.pk).exists()


def test_another_workspaces_people_get_404_on_every_catalog_page(other_tenant, tenant):
    product, view = product_with_view()
    variant = product.variants.create(name="Red", sku_suffix="RED")
    spy = dashboard_client(other_tenant, member(other_tenant, Role.OWNER, email="spy@beta.test"))
    base = f"/products/{product.pk}"

    for path in [
        f"{base}/",
        f"{base}/edit/",
        f"{base}/views/new/",
        f"{base}/views/{view.pk}/edit/",
        f"{base}/views/{view.pk}/mockup/",
    ]:
        assert spy.get(path).status_code == 404, path
    for path in [
        f"{base}/delete/",
        f"{base}/views/{view.pk}/delete/",
        f"{base}/variants/{variant.pk}/delete/",
        f"{base}/variants/{variant.pk}/edit/",
        f"{base}/options/",
    ]:
        assert spy.post(path).status_code == 404, path
    with tenant_context(tenant):
        assert Product.objects.filter(pk=product.pk).exists()
