"""Operators' admin for brands and products: pick a workspace, then its catalog."""

from django.db import connection
from django.test import Client
from django.urls import reverse
from django_tenants.utils import tenant_context

from apps.products.models import Product
from apps.tenants.models import User
from tests.conftest import PASSWORD
from tests.products.factories import BrandFactory, product_with_view


def _url(name: str, *args) -> str:
    return reverse(f"admin:{name}", args=args, urlconf="config.urls_public")


def test_operators_choose_a_workspace_then_see_and_edit_its_catalog(tenant):
    product, _view = product_with_view(sku="ADMIN-1")
    BrandFactory(name="Admin brand")
    connection.set_schema_to_public()
    operator = Client(HTTP_HOST="localhost")
    operator.force_login(User.objects.create_superuser("ops@luneo.test", PASSWORD))

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
