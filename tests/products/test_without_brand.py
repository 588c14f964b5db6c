"""A product without a brand: the pages say why no widget can show it and lead to creating a brand."""

import pytest

from apps.brands.services import brand_create
from apps.products.models import Product
from apps.tenants.models import Role
from tests.support.clients import dashboard_client
from tests.support.workspaces import member

NEW_PRODUCT = {
    "sku": "POSTER",
    "name": "Poster",
    "price": "20",
    "currency": "EUR",
    "status": "draft",
    "shape": "flat",
}


@pytest.fixture
def admin(tenant):
    return dashboard_client(tenant, member(tenant, Role.ADMIN))


def test_the_new_product_page_of_a_workspace_without_brand_says_why_and_links_to_a_new_brand(admin, tenant):
    page = admin.get("/products/new/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "Your workspace has no brand yet." in html
    assert "no widget can show it" in html
    assert 'href="/settings/brands/new/"' in html


def test_an_editor_who_cannot_create_brands_is_told_whom_to_ask(tenant):
    editor = dashboard_client(tenant, member(tenant, Role.EDITOR))

    html = editor.get("/products/new/").content.decode()

    assert "Ask an admin of the workspace to create a brand." in html
    assert 'href="/settings/brands/new/"' not in html


def test_a_product_made_without_brand_says_so_on_its_page(admin, tenant):
    created = admin.post("/products/new/", NEW_PRODUCT)
    product = Product.objects.get(sku="POSTER")
    without_any_brand = admin.get(f"/products/{product.pk}/").content.decode()
    brand_create(name="Acme")
    with_a_brand_to_choose = admin.get(f"/products/{product.pk}/").content.decode()

    assert created.status_code == 302
    assert "Your workspace has no brand yet." in without_any_brand
    assert 'href="/settings/brands/new/"' in without_any_brand
    assert "This product has no brand, so no widget can show it" in with_a_brand_to_choose
    assert f'href="/products/{product.pk}/edit/"' in with_a_brand_to_choose


def test_the_only_brand_is_chosen_for_a_new_product(admin, tenant):
    brand = brand_create(name="Acme")
    page = admin.get("/products/new/").content.decode()
    brand_create(name="Other")
    two_brands = admin.get("/products/new/").content.decode()

    assert f'<option value="{brand.pk}" selected>' in page
    assert f'<option value="{brand.pk}" selected>' not in two_brands
    assert "Your workspace has no brand yet." not in page
