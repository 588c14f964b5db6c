"""Who may call the API: the key matrix, scopes, suspended workspaces, last use."""

import pytest
from django.test import Client

from apps.tenants.models import ApiKey
from apps.tenants.services import api_key_revoke
from tests.support.clients import bearer, new_key


def test_a_valid_secret_key_sees_its_workspace_and_itself(tenant):
    # Given a secret key of alpha with one scope
    _key, raw = new_key(tenant, scopes=["account:read"])

    # When it asks who it is
    response = bearer(raw).get("/api/v1/me")

    # Then it gets its workspace and its own description
    assert response.status_code == 200
    assert response.json() == {
        "tenant": {"slug": "alpha", "name": "Alpha"},
        "key": {"name": "test", "type": "secret", "scopes": ["account:read"]},
    }


def test_another_workspaces_key_sees_only_its_own_workspace(tenant, other_tenant):
    # Given a key of beta, on a request sent to alpha's host
    _key, raw = new_key(other_tenant)

    # When it asks who it is
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_HOST="alpha.localhost").get("/api/v1/me")

    # Then the key, not the host, picks the workspace
    assert response.status_code == 200
    assert response.json()["tenant"]["slug"] == "beta"


def test_no_key_is_401_with_a_bearer_challenge(tenant):
    # When a request comes without any key
    response = Client().get("/api/v1/me")

    # Then it is refused in the one error format, with a WWW-Authenticate challenge
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_key_is_401(tenant):
    # Given a key that was revoked
    key, raw = new_key(tenant)
    api_key_revoke(api_key=key)

    # When it is used
    response = bearer(raw).get("/api/v1/me")

    # Then it no longer authenticates
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer sk_live_short",
        "Bearer not-a-key-at-all-but-long-enough",
        "Bearer sk_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
    ],
)
def test_malformed_or_unknown_keys_are_401(tenant, authorization):
    # When the Authorization header holds no valid secret key
    response = Client(HTTP_AUTHORIZATION=authorization).get("/api/v1/me")

    # Then the request is refused as unauthenticated, never as a 500
    assert response.status_code == 401
    assert response.json()["error"]["code"] in {"not_authenticated", "authentication_failed"}


def test_a_key_with_a_tampered_prefix_or_secret_is_401(tenant):
    # Given a real key, and two forgeries of it: another type prefix, and one changed character
    _key, raw = new_key(tenant)
    forgeries = ["xk_" + raw[3:], raw[:-1] + ("A" if raw[-1] != "A" else "B")]

    # When each forgery is used
    statuses = [bearer(forged).get("/api/v1/me").status_code for forged in forgeries]

    # Then none authenticates, while the real key still does
    assert statuses == [401, 401]
    assert bearer(raw).get("/api/v1/me").status_code == 200


def test_a_publishable_key_does_not_work_on_secret_key_endpoints(tenant):
    # Given a valid publishable key of alpha
    _key, raw = new_key(tenant, key_type=ApiKey.Type.PUBLISHABLE)
    assert raw.startswith("pk_")

    # When it calls a secret-key endpoint
    response = bearer(raw).get("/api/v1/me")

    # Then it is refused, with a message saying why (the key is valid, the endpoint is not for it)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "publishable_key_not_allowed"
    assert "Publishable" in response.json()["error"]["message"]


def test_a_key_without_the_scope_is_403_insufficient_scope(tenant):
    # Given a key that may only read products
    _key, raw = new_key(tenant, scopes=["products:read"])

    # When it calls an endpoint needing account:read
    response = bearer(raw).get("/api/v1/me")

    # Then it is refused, naming the scope it lacks
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "insufficient_scope"
    assert error["details"]["required_scope"] == "account:read"


def test_head_needs_the_same_scope_as_get(tenant):
    # Given a key without account:read
    _key, raw = new_key(tenant, scopes=["products:read"])

    # When it sends HEAD to a listing that needs account:read
    response = bearer(raw).head("/api/v1/members")

    # Then HEAD is no way around the scope
    assert response.status_code == 403


def test_a_suspended_workspaces_keys_get_403_tenant_suspended(suspended_tenant):
    # Given a valid key of a workspace that operators suspended
    _key, raw = new_key(suspended_tenant)

    # When it is used
    response = bearer(raw).get("/api/v1/me")

    # Then the API refuses with a clear code
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "tenant_suspended"


def test_using_a_key_records_when_it_was_last_used(tenant):
    # Given a key never used
    key, raw = new_key(tenant)
    assert key.last_used_at is None

    # When it makes a request
    bearer(raw).get("/api/v1/me")

    # Then its last use is recorded
    key.refresh_from_db()
    assert key.last_used_at is not None
