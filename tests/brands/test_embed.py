"""The publishable key and the embed snippet are always shown again: brand page, product page, API."""

import re
from html import unescape

import pytest
from django.db import IntegrityError, transaction
from django_tenants.utils import tenant_context

from apps.brands.services import brand_create, brand_publishable_key_create
from apps.tenants.models import ApiKey, Role
from apps.tenants.services import api_key_create
from tests.support.clients import bearer, dashboard_client, new_key
from tests.support.factories.products import ProductFactory
from tests.support.workspaces import member

FORM = {
    "name": "Acme",
    "primary_color": "#112233",
    "secondary_color": "#445566",
    "font": "dejavu-sans",
    "default_language": "en",
    "allowed_origins": "https://shop.example",
}


@pytest.fixture
def admin(tenant):
    return dashboard_client(tenant, member(tenant, Role.ADMIN))


def text(response) -> str:
    """The page as its reader sees it (entities decoded)."""
    return unescape(response.content.decode())


def snippet_tags(raw_key: str, sku: str) -> list[str]:
    return [
        f'/widget/v1/luneo.js" data-luneo-key="{raw_key}" async></script>',
        f'<div data-luneo-product="{sku}">',
    ]


def test_the_brand_page_shows_the_key_and_the_snippet_after_creation_and_after_reload(admin, tenant):
    created = admin.post("/settings/brands/new/", FORM, follow=True)

    raw = re.search(r"pk_live_[\w-]+", created.content.decode()).group(0)
    brand_path = created.redirect_chain[-1][0].split("#")[0]
    reloaded = admin.get(brand_path)
    for page in (created, reloaded):
        assert page.status_code == 200
        html = text(page)
        assert f'<code id="publishable-key" class="secret">{raw}</code>' in html
        for tag in snippet_tags(raw, "SKU"):
            assert tag in html
        assert 'data-copy-target="#embed-snippet"' in html
    assert "Brand created." in text(created)
    assert ApiKey.objects.get(publishable_value=raw).key_hash  # found by its hash as before


def test_the_product_page_shows_the_snippet_with_its_sku_to_every_member(tenant):
    brand = brand_create(name="Acme", allowed_origins=["https://shop.example"])
    _key, raw = brand_publishable_key_create(brand=brand)
    product = ProductFactory(sku="MUG-1", brand=brand, status="active")
    viewer = dashboard_client(tenant, member(tenant, Role.VIEWER))

    first, again = viewer.get(f"/products/{product.pk}/"), viewer.get(f"/products/{product.pk}/")

    for page in (first, again):
        assert page.status_code == 200
        for tag in snippet_tags(raw, "MUG-1"):
            assert tag in text(page)
    assert "shows active products only" not in text(first)


def test_the_snippet_escapes_the_sku_and_a_draft_product_is_said_to_be_hidden(admin, tenant):
    brand = brand_create(name="Acme")
    brand_publishable_key_create(brand=brand)
    product = ProductFactory(sku='MUG"<1', brand=brand, status="draft")

    page = admin.get(f"/products/{product.pk}/")

    assert 'data-luneo-product="MUG&quot;&lt;1"' in text(page)
    assert "The widget shows active products only" in text(page)
    assert f'href="/settings/brands/{brand.pk}/#embed"' in page.content.decode()


def test_the_api_shows_each_brands_publishable_key_and_snippet(tenant):
    brand = brand_create(name="Acme")
    _key, raw = brand_publishable_key_create(brand=brand)
    keyless = brand_create(name="Keyless")
    _secret, secret = new_key(tenant, scopes=["catalog:read"])
    client = bearer(secret)

    one = client.get(f"/api/v1/brands/{brand.pk}").json()
    listed = {item["name"]: item for item in client.get("/api/v1/brands").json()["results"]}

    assert one["publishable_key"] == raw
    assert one["embed_snippet"].startswith("<script src=")
    assert f'data-luneo-key="{raw}"' in one["embed_snippet"]
    assert listed["Acme"]["publishable_key"] == raw
    assert (listed["Keyless"]["publishable_key"], listed["Keyless"]["embed_snippet"]) == (None, None)
    assert keyless.pk in {item["id"] for item in listed.values()}


def test_a_key_made_before_values_were_kept_is_said_so_and_rotation_is_offered(admin, tenant):
    brand = brand_create(name="Acme")
    key, raw = brand_publishable_key_create(brand=brand)
    ApiKey.objects.filter(pk=key.pk).update(publishable_value="")  # as rows made before the change
    product = ProductFactory(brand=brand)
    _secret, secret = new_key(tenant, scopes=["catalog:read"])

    brand_page = text(admin.get(f"/settings/brands/{brand.pk}/"))
    product_page = text(admin.get(f"/products/{product.pk}/"))
    api = bearer(secret).get(f"/api/v1/brands/{brand.pk}").json()
    rotated = admin.post(f"/settings/brands/{brand.pk}/key/", follow=True)

    for page in (brand_page, product_page):
        assert (
            f"The active key <code>{key.prefix}…</code> was created before Luneo kept publishable keys"
            in page
        )
        assert raw not in page
    assert "Rotate key" in brand_page
    assert (api["publishable_key"], api["embed_snippet"]) == (None, None)
    new = ApiKey.objects.get(brand_ref=brand.pk, revoked_at__isnull=True)
    assert new.publishable_value in text(rotated)
    assert "the previous one has stopped working" in text(rotated)


def test_secret_keys_are_never_kept(tenant):
    secret, raw = api_key_create(tenant=tenant, name="server")

    assert secret.publishable_value == ""
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiKey.objects.filter(pk=secret.pk).update(publishable_value=raw)


def test_another_workspace_sees_neither_the_brand_nor_the_product_page(other_tenant, tenant):
    brand = brand_create(name="Acme")
    _key, raw = brand_publishable_key_create(brand=brand)
    product = ProductFactory(brand=brand)
    spy = dashboard_client(other_tenant, member(other_tenant, Role.OWNER, email="spy@beta.test"))
    _secret, secret = new_key(other_tenant, scopes=["catalog:read"])

    pages = [spy.get(f"/settings/brands/{brand.pk}/"), spy.get(f"/products/{product.pk}/")]
    api = bearer(secret).get(f"/api/v1/brands/{brand.pk}")
    with tenant_context(other_tenant):
        listed = bearer(secret).get("/api/v1/brands").content.decode()

    assert [page.status_code for page in pages] == [404, 404]
    assert all(raw not in page.content.decode() for page in pages)
    assert api.status_code == 404
    assert raw not in listed
