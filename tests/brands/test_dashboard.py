"""Settings → Brands: admins create and edit brands, see the publishable key, rotate it."""

import re

import pytest

from apps.brands.models import Brand
from apps.brands.services import brand_create
from apps.tenants.models import ApiKey, Role
from tests.support.clients import dashboard_client
from tests.support.factories.brands import BRAND_FORM
from tests.support.factories.products import image_upload
from tests.support.workspaces import member


@pytest.fixture
def admin(tenant):
    return dashboard_client(tenant, member(tenant, Role.ADMIN))


def test_an_admin_creates_a_brand_and_sees_its_publishable_key(admin, tenant):
    created = admin.post(
        "/settings/brands/new/", {**BRAND_FORM, "logo_upload": image_upload(80, 40)}, follow=True
    )

    brand = Brand.objects.get()
    raw = re.search(r"pk_live_[\w-]+", created.content.decode()).group(0)
    key = ApiKey.objects.get(brand_ref=brand.pk)
    assert created.redirect_chain == [(f"/settings/brands/{brand.pk}/#embed", 302)]
    assert key.prefix == raw[:16]
    assert brand.allowed_origins == ["https://shop.example", "https://www.shop.example"]
    assert brand.blocked_words == ["spam", "scam"]
    assert (brand.allow_photo_upload, brand.allow_text_layers) == (True, False)
    assert admin.get(f"/settings/brands/{brand.pk}/logo/").status_code == 200


def test_bad_settings_are_form_errors(admin, tenant):
    response = admin.post(
        "/settings/brands/new/", {**BRAND_FORM, "allowed_origins": "http://shop.example/path"}
    )

    assert response.status_code == 400
    assert "is not an origin" in response.content.decode()
    assert not Brand.objects.exists()


def test_rotating_the_key_shows_a_new_one_and_revokes_the_old(admin, tenant):
    brand = brand_create(name="Acme")

    first = admin.post(f"/settings/brands/{brand.pk}/key/")
    second = admin.post(f"/settings/brands/{brand.pk}/key/")

    assert first.status_code == second.status_code == 302
    assert ApiKey.objects.filter(brand_ref=brand.pk).count() == 2
    assert ApiKey.objects.filter(brand_ref=brand.pk, revoked_at__isnull=True).count() == 1


def test_an_admin_edits_a_brand(admin, tenant):
    brand = brand_create(name="Acme")

    response = admin.post(f"/settings/brands/{brand.pk}/", {**BRAND_FORM, "name": "Acme Shop"})

    assert response.status_code == 302
    brand.refresh_from_db()
    assert (brand.name, brand.default_language) == ("Acme Shop", "fr")


def test_editors_see_brands_but_cannot_change_them(tenant):
    brand = brand_create(name="Acme")
    editor = dashboard_client(tenant, member(tenant, Role.EDITOR))

    assert "Acme" in editor.get("/settings/brands/").content.decode()
    assert editor.get("/settings/brands/new/").status_code == 403
    assert editor.post(f"/settings/brands/{brand.pk}/", BRAND_FORM).status_code == 403
    assert editor.post(f"/settings/brands/{brand.pk}/key/").status_code == 403


def test_another_workspaces_admin_gets_404(other_tenant, tenant):
    brand = brand_create(name="Acme")
    spy = dashboard_client(other_tenant, member(other_tenant, Role.OWNER, email="spy@beta.test"))

    assert spy.get(f"/settings/brands/{brand.pk}/").status_code == 404
    assert spy.post(f"/settings/brands/{brand.pk}/key/").status_code == 404
    assert spy.get(f"/settings/brands/{brand.pk}/logo/").status_code == 404
