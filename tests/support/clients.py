"""Django test clients and real HTTP calls: people on the dashboard, operators, API keys.

Fixtures: `public_client` (an anonymous visitor on the public site), `as_role` (a member of
`tenant` with a role), `operator` (a superuser in the admin), `_custom_hosts` (ALLOWED_HOSTS as
the settings make it), `test_views` (tests.support.urls served on every host).
"""

import http.client
import json
import time
from urllib.parse import urlsplit

import pytest
from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.db import connection
from django.test import Client
from django.urls import reverse

from apps.tenants.hosts import AllowedHosts, allowed_hosts_forget
from apps.tenants.models import ApiKey, Role, Tenant, User
from apps.tenants.services import api_key_create
from tests.support.factories.tenants import PASSWORD
from tests.support.workspaces import host, member

PUBLIC_HOST = "localhost"


def dashboard_client(tenant: Tenant, user: User) -> Client:
    """A browser session logged into `tenant`'s host."""
    client = Client(HTTP_HOST=host(tenant))
    client.force_login(user)
    return client


@pytest.fixture
def public_client(db) -> Client:
    """An anonymous visitor on the public site."""
    return Client(HTTP_HOST=PUBLIC_HOST)


@pytest.fixture
def as_role(tenant):
    """`as_role(role)`: a client logged into `tenant`'s dashboard as a member with that role."""

    def make(role: str = Role.OWNER) -> Client:
        return dashboard_client(tenant, member(tenant, role))

    return make


def totp_code(secret: str, offset: int = 0) -> str:
    """The code an authenticator app shows for `secret` now (`offset` periods away), by allauth."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD + offset))


def totp_activate(user: User) -> str:
    """Turn on `user`'s authenticator app through allauth's own API; its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def staff_login(client: Client, user: User) -> Client:
    """Log a staff member into `client` as the console requires: with an authenticator app (turned
    on here), the session confirmed with its code at allauth's reauthentication page."""
    client.force_login(user)
    secret = totp_activate(user)
    response = client.post(
        reverse("mfa_reauthenticate", urlconf="config.urls_public"), {"code": totp_code(secret)}
    )
    assert response.status_code == 302, response
    return client


def operator_client() -> Client:
    """An operator (a new superuser) logged into the admin on the public host, with 2FA."""
    return staff_login(
        Client(HTTP_HOST=PUBLIC_HOST), User.objects.create_superuser("ops@luneo.test", PASSWORD)
    )


@pytest.fixture
def operator(tenant) -> Client:
    """`operator_client()`, the public schema active."""
    connection.set_schema_to_public()
    return operator_client()


def admin_url(model, view: str, *args) -> str:
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"
    return reverse(name, args=args, urlconf="config.urls_public")


@pytest.fixture
def _custom_hosts(settings):
    """The test runner replaced ALLOWED_HOSTS by a plain list: give back the settings' own kind,
    which admits verified custom domains."""
    settings.ALLOWED_HOSTS = AllowedHosts(settings.ALLOWED_HOSTS)
    allowed_hosts_forget()


@pytest.fixture
def test_views(settings):
    """Serve tests/support/urls.py (test-only views, then the API) on every host."""
    settings.ROOT_URLCONF = settings.PUBLIC_SCHEMA_URLCONF = "tests.support.urls"


# --- the API ---------------------------------------------------------------------------------


def new_key(tenant: Tenant, scopes: list[str] | None = None, key_type: str = ApiKey.Type.SECRET):
    """A fresh key of `tenant`: (ApiKey, raw key)."""
    return api_key_create(tenant=tenant, name="test", scopes=scopes, key_type=key_type)


def bearer(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def api_client(tenant: Tenant, scopes: list[str] | None = None) -> Client:
    """An API client holding a fresh secret key of `tenant`."""
    return bearer(new_key(tenant, scopes)[1])


def post_json(client: Client, path: str, data=None, idempotency_key: str | None = None, **headers):
    if idempotency_key is not None:
        headers["Idempotency-Key"] = idempotency_key
    return client.post(
        path, json.dumps({} if data is None else data), content_type="application/json", headers=headers
    )


def error_code(response) -> str:
    return response.json()["error"]["code"]


def http_call(live_server, method: str, path: str, raw_key: str, body=None, headers=None):
    """One real HTTP request to the live server: (status, headers, JSON body)."""
    url = urlsplit(live_server.url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    all_headers = {
        "Authorization": f"Bearer {raw_key}",
        "Content-Type": "application/json",
        **(headers or {}),
    }
    try:
        conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=all_headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), json.loads(response.read() or b"null")
    finally:
        conn.close()
