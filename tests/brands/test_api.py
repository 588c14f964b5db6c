"""/api/v1/brands: CRUD, validation, the publishable key, isolation."""

import json

import pytest

from apps.brands.models import Brand
from apps.tenants.models import ApiKey
from tests.support.clients import bearer, new_key, post_json
from tests.support.factories.products import image_upload


@pytest.fixture
def client(tenant):
    _key, raw = new_key(tenant, scopes=["catalog:read", "catalog:write"])
    return bearer(raw)


def test_creating_a_brand_returns_its_publishable_key(client, tenant):
    response = post_json(
        client,
        "/api/v1/brands",
        {"name": "Acme", "primary_color": "#112233", "allowed_origins": ["https://shop.example"]},
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["publishable_key"].startswith("pk_live_")
    key = ApiKey.objects.get(brand_ref=body["id"])
    assert (key.type, key.tenant_id) == (ApiKey.Type.PUBLISHABLE, tenant.pk)
    assert client.get(f"/api/v1/brands/{body['id']}").json()["publishable_key"] == body["publishable_key"]


def test_brand_update_delete_and_key_rotation(client, tenant):
    brand_id = post_json(client, "/api/v1/brands", {"name": "Acme"}).json()["id"]

    changed = client.patch(
        f"/api/v1/brands/{brand_id}",
        json.dumps({"blocked_words": ["Spam"], "allow_text_layers": False}),
        content_type="application/json",
    )
    rotated = client.post(f"/api/v1/brands/{brand_id}/publishable-key")

    assert changed.status_code == 200
    assert (changed.json()["blocked_words"], changed.json()["allow_text_layers"]) == (["spam"], False)
    assert rotated.status_code == 201
    assert (
        ApiKey.objects.filter(brand_ref=brand_id, revoked_at__isnull=True).get().prefix
        == rotated.json()["prefix"]
    )
    assert client.delete(f"/api/v1/brands/{brand_id}").status_code == 204
    assert not ApiKey.objects.filter(brand_ref=brand_id, revoked_at__isnull=True).exists()


def test_a_logo_is_uploaded_as_multipart(client, tenant):
    response = client.post("/api/v1/brands", {"name": "Logo Co", "logo": image_upload(64, 64)})

    assert response.status_code == 201, response.json()
    assert response.json()["has_logo"] is True


def test_a_form_with_more_fields_than_django_parses_is_413_in_the_error_format(client, tenant):
    # 1000 blocked words are allowed, but a multipart form stops at 1000 fields: JSON has no such limit
    words = [f"word{index}" for index in range(1000)]

    form = client.post(
        "/api/v1/brands", {"name": "Logo Co", "logo": image_upload(64, 64), "blocked_words": words}
    )
    as_json = post_json(client, "/api/v1/brands", {"name": "Words Co", "blocked_words": words})

    assert form.status_code == 413
    assert form.json()["error"]["code"] == "request_too_large"
    assert as_json.status_code == 201, as_json.json()
    assert not Brand.objects.filter(name="Logo Co").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "A", "primary_color": "blue"}, "primary_color"),
        ({"name": "A", "font": "papyrus"}, "font"),
        ({"name": "A", "moderation": {}}, "moderation"),
    ],
)
def test_bad_brand_settings_are_400_naming_the_field(client, tenant, body, field):
    response = post_json(client, "/api/v1/brands", body)

    assert response.status_code == 400
    assert field in response.json()["error"]["details"]["fields"]
    assert not Brand.objects.exists()


def test_a_well_formed_brand_setting_that_breaks_a_rule_is_422_naming_the_field(client, tenant):
    response = post_json(client, "/api/v1/brands", {"name": "A", "allowed_origins": ["http://shop.example"]})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "brand_invalid"
    assert "allowed_origins" in response.json()["error"]["details"]["fields"]
    assert not Brand.objects.exists()


@pytest.mark.parametrize(
    ("name", "status"), [("\x1f" + "A" * 100, 400), ("Ac\x1fme", 422), ("\x89Acme", 422), ("   ", 422)]
)
def test_a_name_too_long_as_sent_with_a_control_character_or_only_spaces_is_refused(
    client, tenant, name, status
):
    response = post_json(client, "/api/v1/brands", {"name": name})

    assert response.status_code == status
    assert "name" in str(response.json()["error"]["details"])
    assert not Brand.objects.exists()


def test_a_taken_brand_name_is_409(client, tenant):
    post_json(client, "/api/v1/brands", {"name": "Acme"})

    response = post_json(client, "/api/v1/brands", {"name": "Acme"})

    assert (response.status_code, response.json()["error"]["code"]) == (409, "brand_name_taken")


def test_another_workspaces_key_sees_no_brand(other_tenant, tenant, client):
    brand_id = post_json(client, "/api/v1/brands", {"name": "Acme"}).json()["id"]
    _key, raw = new_key(other_tenant, scopes=["catalog:read", "catalog:write"])
    spy = bearer(raw)

    assert spy.get("/api/v1/brands").json()["results"] == []
    assert spy.get(f"/api/v1/brands/{brand_id}").status_code == 404
    assert spy.post(f"/api/v1/brands/{brand_id}/publishable-key").status_code == 404
    assert spy.delete(f"/api/v1/brands/{brand_id}").status_code == 404


def test_blank_blocked_words_are_dropped_not_refused(client, tenant):
    response = post_json(
        client, "/api/v1/brands", {"name": "Blank Co", "blocked_words": ["Gore", "", " \x1e ", "gore"]}
    )

    assert response.status_code == 201, response.content
    assert response.json()["blocked_words"] == ["gore"]
