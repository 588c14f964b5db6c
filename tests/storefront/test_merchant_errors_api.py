"""The widget can read the errors only the merchant can fix: they carry the page's CORS header.

Without it the browser hides the answer and the widget could only say "network error"; with it,
the shopper sees "Personalization unavailable" and the merchant's console the server's reason.
"""

import pytest

from apps.brands.services import brand_create, brand_publishable_key_create
from apps.tenants.services import tenant_reactivate, tenant_suspend
from tests.support.clients import error_code
from tests.support.factories.products import product_make
from tests.support.widget import Widget

SHOP = "https://shop.example"


@pytest.fixture
def shop(tenant):
    brand = brand_create(name="Maison", allowed_origins=[SHOP])
    _key, raw = brand_publishable_key_create(brand=brand)
    return {"brand": brand, "widget": Widget(raw), "sku": product_make(brand=brand).sku}


def test_a_revoked_key_is_readable_by_the_page(shop):
    brand_publishable_key_create(brand=shop["brand"])  # rotation revokes the page's key

    response = shop["widget"].get("config", product=shop["sku"])

    assert response.status_code == 401
    assert error_code(response) == "publishable_key_invalid"
    assert response["Access-Control-Allow-Origin"] == SHOP


def test_a_missing_key_is_readable_by_the_page(shop):
    response = Widget("").get("config", product=shop["sku"])

    assert error_code(response) == "publishable_key_invalid"
    assert response["Access-Control-Allow-Origin"] == SHOP


def test_a_suspended_workspace_is_readable_by_the_page(tenant, shop):
    tenant_suspend(tenant=tenant)
    try:
        response = shop["widget"].get("config", product=shop["sku"])
    finally:
        tenant_reactivate(tenant=tenant)

    assert response.status_code == 403
    assert error_code(response) == "tenant_suspended"
    assert response["Access-Control-Allow-Origin"] == SHOP


def test_an_unknown_product_is_readable_by_the_page(shop):
    response = shop["widget"].get("config", product="NOPE")

    assert error_code(response) == "product_not_found"
    assert response["Access-Control-Allow-Origin"] == SHOP
