"""The webhooks API: endpoints CRUD with the secret shown once, delivery logs, redelivery, scopes."""

import json

import pytest
import yaml
from django.core.management import call_command
from django.db import connection
from django.test import Client

from apps.webhooks.models import WebhookEndpoint
from apps.webhooks.services import endpoint_secret, event_publish
from tests.support.clients import api_client, error_code
from tests.support.factories.webhooks import endpoint_make
from tests.support.receiver import Answer

ENDPOINTS = "/api/v1/webhooks/endpoints"


def send(client: Client, method: str, path: str, data=None):
    return getattr(client, method)(path, json.dumps(data or {}), content_type="application/json")


@pytest.fixture
def client(tenant) -> Client:
    return api_client(tenant, ["webhooks:write"])


def test_create_shows_the_secret_once_and_stores_it_encrypted(client):
    # When an endpoint is registered
    response = send(
        client,
        "post",
        ENDPOINTS,
        {"url": "https://hooks.example.com/luneo", "events": ["order.updated", "order.created"]},
    )

    # Then the answer holds the secret, which is stored encrypted and never shown again
    assert response.status_code == 201
    body = response.json()
    endpoint = WebhookEndpoint.objects.get(pk=body["id"])
    assert body["secret"].startswith("whsec_")
    assert endpoint.secret != body["secret"]
    assert endpoint_secret(endpoint) == body["secret"]
    assert body["events"] == ["order.created", "order.updated"]
    assert (body["is_active"], body["description"]) == (True, "")
    assert "secret" not in client.get(f"{ENDPOINTS}/{endpoint.pk}").json()
    assert "secret" not in client.get(ENDPOINTS).json()["results"][0]


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        ({"url": "ftp://example.com", "events": ["order.created"]}, 422, "webhook_url_invalid"),
        ({"url": "https://example.com", "events": ["order.deleted"]}, 422, "webhook_events_invalid"),
        ({"url": "https://example.com", "events": []}, 422, "webhook_events_invalid"),
        ({"url": "https://example.com"}, 400, "validation_error"),
        ({"url": "https://example.com", "events": ["order.created"], "secret": "x"}, 400, "validation_error"),
    ],
)
def test_bad_input_is_refused(client, data, status, code):
    response = send(client, "post", ENDPOINTS, data)

    assert (response.status_code, error_code(response)) == (status, code)
    assert WebhookEndpoint.objects.count() == 0


def test_a_private_url_is_refused_in_production(client, settings):
    settings.WEBHOOK_BLOCK_PRIVATE_NETWORKS = True

    response = send(
        client, "post", ENDPOINTS, {"url": "http://169.254.169.254/", "events": ["order.created"]}
    )

    assert (response.status_code, error_code(response)) == (422, "webhook_url_forbidden")


def test_update_disable_enable_rotate_and_delete(client):
    endpoint, old_secret = endpoint_make("https://hooks.example.com/a")
    path = f"{ENDPOINTS}/{endpoint.pk}"

    changed = send(client, "patch", path, {"description": "ERP", "events": ["design.ready"]})
    assert changed.status_code == 200
    assert (changed.json()["description"], changed.json()["events"], changed.json()["url"]) == (
        "ERP",
        ["design.ready"],
        "https://hooks.example.com/a",
    )

    disabled = send(client, "patch", path, {"is_active": False}).json()
    assert (disabled["is_active"], disabled["disabled_reason"]) == (False, "manual")
    assert send(client, "patch", path, {"is_active": True}).json()["is_active"] is True

    rotated = client.post(f"{path}/rotate-secret")
    assert rotated.status_code == 200
    new_secret = rotated.json()["secret"]
    assert new_secret.startswith("whsec_")
    assert new_secret != old_secret
    endpoint.refresh_from_db()
    assert endpoint_secret(endpoint) == new_secret

    assert client.delete(path).status_code == 204
    assert client.get(path).status_code == 404


def test_deliveries_are_listed_with_attempts_filtered_and_paginated(client, receiver):
    # Given an endpoint with one failed attempt and one succeeded delivery
    from apps.webhooks.services import delivery_attempt

    endpoint, _secret = endpoint_make(receiver.url)
    receiver.plan = [Answer(500, b"nope")]
    first = event_publish(type="order.created", data={"id": 1}).deliveries.get()
    second = event_publish(type="order.created", data={"id": 2}).deliveries.get()
    delivery_attempt(delivery_id=first.pk, number=1)
    delivery_attempt(delivery_id=second.pk, number=1)
    path = f"{ENDPOINTS}/{endpoint.pk}/deliveries"

    # When the log is read
    everything = client.get(path).json()["results"]
    pending = client.get(path, {"status": "pending"}).json()["results"]
    page = client.get(path, {"page_size": 1}).json()

    # Then each delivery shows its event, status and attempts
    assert [d["id"] for d in everything] == [second.pk, first.pk]
    assert [d["id"] for d in pending] == [first.pk]
    attempt = pending[0]["attempts"][0]
    assert (attempt["number"], attempt["status_code"], attempt["response_snippet"]) == (1, 500, "nope")
    assert pending[0]["event"] == first.event.public_id
    assert pending[0]["event_type"] == "order.created"
    assert pending[0]["next_attempt_at"] is not None
    assert len(page["results"]) == 1
    assert page["next"]
    assert client.get(path, {"status": "lost"}).status_code == 400


def test_redeliver_answers_202(client, receiver):
    endpoint_make(receiver.url)
    delivery = event_publish(type="order.created", data={"id": 1}).deliveries.get()

    response = client.post(f"/api/v1/webhooks/deliveries/{delivery.pk}/redeliver")

    assert response.status_code == 202
    assert response.json()["id"] == delivery.pk


def test_the_webhooks_scope_is_required_for_every_method(tenant):
    endpoint, _secret = endpoint_make("https://hooks.example.com/a")
    others = api_client(tenant, ["orders:read", "orders:write", "designs:read"])

    assert others.get(ENDPOINTS).status_code == 403
    assert others.get(f"{ENDPOINTS}/{endpoint.pk}").status_code == 403
    assert (
        send(others, "post", ENDPOINTS, {"url": "https://x.example", "events": ["order.created"]}).status_code
        == 403
    )
    assert send(others, "patch", f"{ENDPOINTS}/{endpoint.pk}", {"description": "x"}).status_code == 403
    assert others.delete(f"{ENDPOINTS}/{endpoint.pk}").status_code == 403
    assert Client().get(ENDPOINTS).status_code == 401


def test_another_workspace_key_gets_404_for_endpoints_and_deliveries(other_tenant, tenant, receiver):
    # Given alpha's endpoint and delivery
    endpoint, _secret = endpoint_make(receiver.url)
    delivery = event_publish(type="order.created", data={"id": 1}).deliveries.get()
    beta = api_client(other_tenant, ["webhooks:write"])
    path = f"{ENDPOINTS}/{endpoint.pk}"

    # Then beta's key sees none of them
    assert beta.get(ENDPOINTS).json()["results"] == []
    assert beta.get(path).status_code == 404
    assert send(beta, "patch", path, {"description": "mine"}).status_code == 404
    assert beta.post(f"{path}/rotate-secret").status_code == 404
    assert beta.get(f"{path}/deliveries").status_code == 404
    assert beta.post(f"/api/v1/webhooks/deliveries/{delivery.pk}/redeliver").status_code == 404
    assert beta.delete(path).status_code == 404
    connection.set_tenant(tenant)
    endpoint.refresh_from_db()
    assert endpoint.description == ""


def test_the_openapi_schema_documents_the_webhooks_endpoints(db, tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    paths = yaml.safe_load(target.read_text())["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/webhooks/endpoints"])
    assert {"get", "patch", "delete"} <= set(paths["/api/v1/webhooks/endpoints/{id}"])
    assert "201" in paths["/api/v1/webhooks/endpoints"]["post"]["responses"]
    assert "post" in paths["/api/v1/webhooks/endpoints/{id}/rotate-secret"]
    deliveries = paths["/api/v1/webhooks/endpoints/{id}/deliveries"]["get"]
    assert {"status", "cursor"} <= {parameter["name"] for parameter in deliveries["parameters"]}
    assert "202" in paths["/api/v1/webhooks/deliveries/{id}/redeliver"]["post"]["responses"]
    assert "webhooks:write" in paths["/api/v1/webhooks/endpoints"]["get"]["description"]
