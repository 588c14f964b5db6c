"""Settings → Integrations: connect, import, disconnect; admins only; one workspace's shops only."""

import pytest
from django.db import connection

from apps.integrations.models import Integration
from apps.integrations.tasks import etl_products_import
from apps.products.models import Product
from apps.tenants.models import Role
from tests.support.clients import dashboard_client
from tests.support.factories.integrations import shopify_connect
from tests.support.fakes.shops import SHOPIFY_SECRET, SHOPIFY_TOKEN, WOO_KEY, WOO_SECRET
from tests.support.workspaces import member

PAGE = "/settings/integrations/"


@pytest.fixture
def admin(tenant):
    return dashboard_client(tenant, member(tenant, Role.ADMIN))


def connect_form(fake_shop, token=SHOPIFY_TOKEN) -> dict:
    return {
        "shopify-shop_url": fake_shop.url,
        "shopify-access_token": token,
        "shopify-api_secret": SHOPIFY_SECRET,
    }


def test_an_admin_connects_shopify_and_sees_where_to_send_webhooks(admin, fake_shop):
    response = admin.post(f"{PAGE}shopify/connect/", connect_form(fake_shop))

    assert response.status_code == 302
    page = admin.get(PAGE).content.decode()
    assert Integration.objects.get().status == "connected"
    assert "http://alpha.localhost/api/v1/integrations/shopify/webhooks" in page
    assert "orders/create" in page
    assert f"…{SHOPIFY_TOKEN[-4:]}" in page
    assert SHOPIFY_TOKEN not in page
    assert SHOPIFY_SECRET not in page


def test_credentials_the_shop_refuses_are_shown_on_the_form(admin, fake_shop):
    response = admin.post(f"{PAGE}shopify/connect/", connect_form(fake_shop, token="shpat_" + "0" * 32))

    assert response.status_code == 400
    assert "The shop refused these credentials" in response.content.decode()
    assert not Integration.objects.exists()


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER])
def test_editors_and_viewers_see_the_page_but_cannot_connect(tenant, fake_shop, role):
    client = dashboard_client(tenant, member(tenant, role))

    page = client.get(PAGE)
    response = client.post(f"{PAGE}shopify/connect/", connect_form(fake_shop))

    assert page.status_code == 200
    assert "Only owners and admins can connect a shop." in page.content.decode()
    assert response.status_code == 403
    assert not Integration.objects.exists()


def test_import_is_queued_once_shows_progress_then_the_result(
    admin, fake_shop, django_capture_on_commit_callbacks
):
    integration = shopify_connect(fake_shop)

    with django_capture_on_commit_callbacks() as callbacks:
        first = admin.post(f"{PAGE}shopify/import/")
        second = admin.post(f"{PAGE}shopify/import/", follow=True)

    assert first.status_code == 302
    assert len(callbacks) == 1
    assert "An import is already under way." in second.content.decode()
    assert 'hx-trigger="every 2s"' in second.content.decode()
    etl_products_import.apply(args=[integration.pk])  # what the queued callback sends to a worker
    status = admin.get(f"{PAGE}shopify/").content.decode()
    assert "3 products." in status
    assert "hx-trigger" not in status
    assert Product.objects.filter(status="draft").count() == 3


def test_an_admin_disconnects_a_shop(admin, fake_shop):
    shopify_connect(fake_shop)

    response = admin.post(f"{PAGE}shopify/disconnect/")

    assert response.status_code == 302
    assert Integration.objects.get().status == "disconnected"
    assert "Not connected" in admin.get(PAGE).content.decode()


def test_the_woocommerce_form_connects_with_its_own_fields(admin, fake_shop):
    form = {
        "woocommerce-shop_url": fake_shop.url,
        "woocommerce-consumer_key": WOO_KEY,
        "woocommerce-consumer_secret": WOO_SECRET,
        "woocommerce-webhook_secret": "a webhook secret",
    }

    assert admin.post(f"{PAGE}woocommerce/connect/", form).status_code == 302

    assert Integration.objects.get().kind == "woocommerce"


def test_another_workspace_sees_none_of_alphas_shops(other_tenant, tenant, fake_shop):
    shopify_connect(fake_shop)
    beta = dashboard_client(other_tenant, member(other_tenant, Role.ADMIN))

    page = beta.get(PAGE).content.decode()
    disconnect = beta.post(f"{PAGE}shopify/disconnect/")

    assert fake_shop.url not in page
    assert disconnect.status_code == 404
    connection.set_tenant(tenant)  # the requests ran in beta's schema
    assert Integration.objects.get().status == "connected"
