"""Settings → Webhooks in the dashboard: admins manage endpoints and read the delivery log."""

import pytest
from django.urls import reverse

from apps.tenants.models import Role
from apps.webhooks.models import WebhookEndpoint
from apps.webhooks.services import delivery_attempt, endpoint_secret, event_publish
from tests.support.clients import dashboard_client
from tests.support.factories.webhooks import endpoint_make
from tests.support.receiver import Answer
from tests.support.workspaces import member


def url(name: str, *args) -> str:
    return reverse(f"dashboard:webhooks:{name}", args=args)


@pytest.fixture
def admin(tenant):
    return dashboard_client(tenant, member(tenant, Role.ADMIN))


def test_an_admin_adds_an_endpoint_and_sees_its_secret_once(admin):
    # When an admin fills the form
    response = admin.post(
        url("new"),
        {
            "url": "https://hooks.example.com/luneo",
            "events": ["order.created", "design.ready"],
            "description": "ERP",
        },
    )

    # Then the page shows the secret, once
    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get()
    secret = endpoint_secret(endpoint)
    assert secret in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")
    assert (endpoint.events, endpoint.description) == (["design.ready", "order.created"], "ERP")

    # And never again: not in the list, not on the endpoint's page
    listing = admin.get(url("list")).content.decode()
    assert "https://hooks.example.com/luneo" in listing
    assert secret not in listing
    assert secret not in admin.get(url("detail", endpoint.pk)).content.decode()


def test_a_refused_url_is_shown_on_the_form(admin, settings):
    settings.WEBHOOK_BLOCK_PRIVATE_NETWORKS = True

    response = admin.post(url("new"), {"url": "http://10.0.0.7/hooks", "events": ["order.created"]})

    assert response.status_code == 422
    assert "private" in response.content.decode()
    assert WebhookEndpoint.objects.count() == 0


def test_the_delivery_log_shows_attempts_filters_and_redelivers(admin, receiver):
    # Given an endpoint with a failed attempt
    endpoint, _secret = endpoint_make(receiver.url)
    receiver.plan = [Answer(502, b"Bad gateway from upstream")]
    delivery = event_publish(type="order.created", data={"id": 7}).deliveries.get()
    delivery_attempt(delivery_id=delivery.pk, number=1)

    # When the admin opens the endpoint
    page = admin.get(url("detail", endpoint.pk)).content.decode()

    # Then the log shows the event, the status code and the response
    assert delivery.event.public_id in page
    assert "502" in page
    assert "Bad gateway from upstream" in page
    assert (
        delivery.event.public_id
        not in admin.get(url("detail", endpoint.pk), {"status": "succeeded"}).content.decode()
    )

    # And redeliver queues a new attempt
    response = admin.post(url("redeliver", delivery.pk))
    assert response.status_code == 302
    assert response["Location"] == url("detail", endpoint.pk)


def test_disable_enable_rotate_edit_and_delete(admin):
    endpoint, old_secret = endpoint_make("https://hooks.example.com/a")

    admin.post(url("disable", endpoint.pk))
    endpoint.refresh_from_db()
    assert endpoint.is_active is False
    assert "Disabled" in admin.get(url("list")).content.decode()

    admin.post(url("enable", endpoint.pk))
    endpoint.refresh_from_db()
    assert endpoint.is_active is True

    assert admin.get(url("rotate", endpoint.pk)).status_code == 200
    rotated = admin.post(url("rotate", endpoint.pk))
    endpoint.refresh_from_db()
    assert endpoint_secret(endpoint) != old_secret
    assert endpoint_secret(endpoint) in rotated.content.decode()

    edited = admin.post(
        url("edit", endpoint.pk), {"url": "https://hooks.example.com/b", "events": ["order.updated"]}
    )
    assert edited.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.events) == ("https://hooks.example.com/b", ["order.updated"])

    assert admin.get(url("delete", endpoint.pk)).status_code == 200
    assert admin.post(url("delete", endpoint.pk)).status_code == 302
    assert WebhookEndpoint.objects.count() == 0


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR])
def test_members_below_admin_are_refused(tenant, role):
    endpoint, _secret = endpoint_make("https://hooks.example.com/a")
    client = dashboard_client(tenant, member(tenant, role))

    assert client.get(url("list")).status_code == 403
    assert client.get(url("detail", endpoint.pk)).status_code == 403
    assert (
        client.post(url("new"), {"url": "https://x.example", "events": ["order.created"]}).status_code == 403
    )
    assert client.post(url("disable", endpoint.pk)).status_code == 403
    assert client.post(url("delete", endpoint.pk)).status_code == 403
    endpoint.refresh_from_db()
    assert endpoint.is_active


def test_another_workspace_admin_gets_404(other_tenant, tenant):
    endpoint, _secret = endpoint_make("https://hooks.example.com/a")
    beta_admin = dashboard_client(other_tenant, member(other_tenant, Role.ADMIN))

    assert beta_admin.get(url("detail", endpoint.pk)).status_code == 404
    assert beta_admin.post(url("delete", endpoint.pk)).status_code == 404
    assert "hooks.example.com" not in beta_admin.get(url("list")).content.decode()
