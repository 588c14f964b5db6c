"""Operators' admin for brands and products: pick a workspace, then its catalog."""

import pytest
from django.db import connection
from django.urls import reverse
from django_tenants.utils import tenant_context

from apps.products.models import Product, Variant
from tests.support.clients import operator_client
from tests.support.factories.brands import BrandFactory
from tests.support.factories.products import product_with_view


def _url(name: str, *args) -> str:
    return reverse(f"admin:{name}", args=args, urlconf="config.urls_public")


def test_operators_choose_a_workspace_then_see_and_edit_its_catalog(tenant):
    product, _view = product_with_view(sku="ADMIN-1")
    BrandFactory(name="Admin brand")
    connection.set_schema_to_public()
    operator = operator_client()

    chooser = operator.get(_url("products_product_changelist"))
    products = operator.get(_url("products_product_changelist"), {"workspace": "alpha"})
    change = operator.get(_url("products_product_change", product.pk))
    brands = operator.get(_url("brands_brand_changelist"))
    saved = operator.post(
        _url("products_product_change", product.pk),
        {
            "sku": "ADMIN-1",
            "name": "Renamed",
            "price": "5.00",
            "currency": "EUR",
            "status": "active",
            "shape": "flat",
            "description": "",
            "brand": "",
            **{
                f"{prefix}-{key}": value
                for prefix in ("variants", "views", "options")
                for key, value in {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"}.items()
            },
            "views-TOTAL_FORMS": "1",
            "views-INITIAL_FORMS": "1",
            "views-0-id": str(_view.pk),
            "views-0-product": str(product.pk),
        },
    )

    assert "alpha" in chooser.content.decode()
    assert "ADMIN-1" in products.content.decode()
    assert change.status_code == 200
    assert "Admin brand" in brands.content.decode()
    assert saved.status_code == 302, saved.content.decode()[:2000]
    with tenant_context(tenant):
        assert Product.objects.get(pk=product.pk).name == "Renamed"


def _product_form(product: Product, view, **fields) -> dict:
    """The product's change form as posted, with the variant rows given in `fields`."""
    return {
        "sku": product.sku,
        "name": product.name,
        "price": "5.00",
        "currency": "EUR",
        "status": "active",
        "shape": "flat",
        "description": "",
        "brand": "",
        **{
            f"{prefix}-{key}": "0"
            for prefix in ("variants", "options")
            for key in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
        "views-TOTAL_FORMS": "1",
        "views-INITIAL_FORMS": "1",
        "views-0-id": str(view.pk),
        "views-0-product": str(product.pk),
        **fields,
    }


@pytest.mark.parametrize(
    "attributes",
    ['{"colour": "\\u0000"}', '{"size": NaN}', "[" * 5000 + "]" * 5000, '{"k": "\\ud800"}'],
    ids=["nul", "nan", "deep", "surrogate"],
)
def test_json_that_staff_type_is_checked_like_any_input_a_form_error_not_a_500(tenant, attributes):
    product, view = product_with_view(sku="ADMIN-2")
    connection.set_schema_to_public()
    operator = operator_client()
    operator.get(_url("products_product_changelist"), {"workspace": "alpha"})
    variant = {
        "variants-TOTAL_FORMS": "1",
        "variants-0-name": "Red",
        "variants-0-sku_suffix": "RED",
        "variants-0-attributes": attributes,
        "variants-0-price_delta": "0",
    }

    response = operator.post(
        _url("products_product_change", product.pk), _product_form(product, view, **variant)
    )

    assert response.status_code == 200
    assert "Enter a valid JSON." in response.content.decode()
    with tenant_context(tenant):
        assert not Variant.objects.exists()


def test_a_name_on_two_lines_is_a_form_error_in_the_admin_too(tenant):
    product, view = product_with_view(sku="ADMIN-3")
    connection.set_schema_to_public()
    operator = operator_client()
    operator.get(_url("products_product_changelist"), {"workspace": "alpha"})

    response = operator.post(
        _url("products_product_change", product.pk), _product_form(product, view, name="Mug\nBcc: x@y")
    )

    assert response.status_code == 200
    assert "Use a single line" in response.content.decode()
    with tenant_context(tenant):
        assert Product.objects.get(pk=product.pk).name == product.name
