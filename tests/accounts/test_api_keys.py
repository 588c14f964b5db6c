"""Settings → API keys: the raw key is shown once, only its hash is stored, keys can be revoked."""

import hashlib

from apps.tenants.models import ApiKey, Role
from apps.tenants.services import api_key_create

NEW_KEY = {"name": "Shopify store", "mode": "live", "scopes": ["account:read", "orders:read"]}


def test_a_new_key_is_shown_once_and_only_its_hash_is_stored(as_role, tenant):
    client = as_role(Role.ADMIN)

    created = client.post("/settings/api-keys/new/", NEW_KEY)

    assert created.status_code == 200
    assert "no-store" in created["Cache-Control"]
    raw = created.context["raw_key"]
    assert raw.startswith("sk_live_")
    assert raw in created.text
    assert "It is shown only once" in created.text
    key = ApiKey.objects.get(tenant=tenant)
    assert key.name == "Shopify store"
    assert key.scopes == ["account:read", "orders:read"]
    assert key.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {key.prefix, key.key_hash, key.name}
    listing = client.get("/settings/api-keys/")
    assert raw not in listing.text
    assert f"{key.prefix}…" in listing.text
    assert "Shopify store" in listing.text
    assert "Never" in listing.text


def test_a_test_key(as_role, tenant):
    created = as_role(Role.OWNER).post("/settings/api-keys/new/", NEW_KEY | {"mode": "test"})

    assert created.context["raw_key"].startswith("sk_test_")


def test_a_key_needs_a_name_and_a_scope(as_role, tenant):
    response = as_role(Role.OWNER).post("/settings/api-keys/new/", {"name": "", "mode": "live"})

    assert response.status_code == 400
    assert response.context["form"].errors["scopes"] == ["Choose at least one scope."]
    assert "name" in response.context["form"].errors
    assert not ApiKey.objects.filter(tenant=tenant).exists()


def test_an_unknown_scope_is_a_form_error(as_role, tenant):
    response = as_role(Role.OWNER).post("/settings/api-keys/new/", NEW_KEY | {"scopes": ["root:all"]})

    assert response.status_code == 400
    assert "scopes" in response.context["form"].errors
    assert not ApiKey.objects.filter(tenant=tenant).exists()


def test_revoke_asks_for_confirmation_then_revokes(as_role, tenant):
    key, _raw = api_key_create(tenant=tenant, name="Old")
    client = as_role(Role.ADMIN)

    confirm = client.get(f"/settings/api-keys/{key.pk}/revoke/")
    assert confirm.status_code == 200
    assert "Revoke “Old”?" in confirm.text
    key.refresh_from_db()
    assert key.is_active

    response = client.post(f"/settings/api-keys/{key.pk}/revoke/", follow=True)

    key.refresh_from_db()
    assert not key.is_active
    assert "The key “Old” was revoked." in response.text
    assert "Revoked" in response.text


def test_revoke_with_htmx_returns_the_updated_row(as_role, tenant):
    key, _raw = api_key_create(tenant=tenant, name="Old")

    response = as_role(Role.OWNER).post(f"/settings/api-keys/{key.pk}/revoke/", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert f'<tr id="key-{key.pk}" class="row-muted">' in response.text
    assert "Revoked" in response.text
    assert 'hx-swap-oob="true"' in response.text


def test_keys_of_other_workspaces_are_never_shown_nor_revocable(as_role, tenant, other_tenant):
    theirs, _raw = api_key_create(tenant=other_tenant, name="Beta production key")
    client = as_role(Role.OWNER)

    listing = client.get("/settings/api-keys/")
    revoke = client.post(f"/settings/api-keys/{theirs.pk}/revoke/")

    assert "Beta production key" not in listing.text
    assert theirs.prefix not in listing.text
    assert revoke.status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active
