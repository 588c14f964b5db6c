"""Helpers for API tests: keys, JSON requests, and real HTTP against the live server."""

import http.client
import json
from urllib.parse import urlsplit

import pytest
from django.test import Client

from apps.tenants.models import ApiKey, Tenant
from apps.tenants.services import api_key_create, tenant_reactivate, tenant_suspend


def new_key(tenant: Tenant, scopes: list[str] | None = None, key_type: str = ApiKey.Type.SECRET):
    """A fresh key of `tenant`: (ApiKey, raw key)."""
    return api_key_create(tenant=tenant, name="test", scopes=scopes, key_type=key_type)


def bearer(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def post_json(client: Client, path: str, data, idempotency_key: str | None = None):
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key is not None else {}
    return client.post(path, json.dumps(data), content_type="application/json", headers=headers)


def http_call(live_server, method: str, path: str, raw_key: str, body=None, headers=None):
    """One real HTTP request to the live server: (status, headers, JSON body)."""
    url = urlsplit(live_server.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    all_headers = {
        "Authorization": f"Bearer {raw_key}",
        "Content-Type": "application/json",
        **(headers or {}),
    }
    try:
        connection.request(
            method, path, body=json.dumps(body) if body is not None else None, headers=all_headers
        )
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), json.loads(response.read() or b"null")
    finally:
        connection.close()


@pytest.fixture
def suspended_tenant(tenant):
    """Workspace alpha, suspended for this test only (other tests share it: always reactivated)."""
    tenant_suspend(tenant=tenant)
    try:
        yield tenant
    finally:
        tenant_reactivate(tenant=tenant)
