"""Send test event: a signed `ping` to one endpoint through the real delivery, its answer on the page."""

import json
import socket

import pytest
from django.conf import settings
from django.urls import reverse

from apps.core.signatures import signature_verify
from apps.tenants.models import Role
from apps.webhooks.models import WebhookDelivery, WebhookEvent
from apps.webhooks.services import endpoint_disable
from tests.support.clients import api_client, dashboard_client, error_code
from tests.support.factories.webhooks import endpoint_make
from tests.support.receiver import Answer
from tests.support.workspaces import member

HTMX = {"HTTP_HX_REQUEST": "true"}
pytestmark = pytest.mark.usefixtures("deliver_eagerly")  # tasks queued after commit run at once


def send_url(endpoint) -> str:
    return reverse("dashboard:webhooks:test", args=[endpoint.pk])


@pytest.fixture
def admin(tenant):
    return dashboard_client(tenant, member(tenant, Role.ADMIN))


def test_the_button_sends_a_signed_ping_and_the_page_shows_the_answer(
    admin, receiver, django_capture_on_commit_callbacks
):
    # Given an endpoint subscribed to order events only, answering 200
    endpoint, secret = endpoint_make(receiver.url, events=("order.created",))
    receiver.plan = [Answer(200, b"pong")]
    detail = admin.get(reverse("dashboard:webhooks:detail", args=[endpoint.pk])).text
    assert "Send test event" in detail
    assert f'hx-post="{send_url(endpoint)}"' in detail

    # When an admin presses Send test event (htmx)
    with django_capture_on_commit_callbacks(execute=True):
        sent = admin.post(send_url(endpoint), **HTMX)

    # Then the panel says it is on its way, and polls for the answer
    assert sent.status_code == 200
    assert "Sending the test event" in sent.text
    assert f'hx-get="{send_url(endpoint)}"' in sent.text

    # And the receiver got one ping, signed with the endpoint's secret
    [request] = receiver.requests
    assert request.headers["Luneo-Event-Type"] == "ping"
    assert signature_verify(secret=secret, header=request.headers["Luneo-Signature"], body=request.body)
    body = json.loads(request.body)
    assert (body["type"], body["data"]["endpoint"]) == ("ping", endpoint.pk)

    # And the next poll shows the status code and the duration, and stops polling
    panel = admin.get(send_url(endpoint), **HTMX).text
    attempt = WebhookDelivery.objects.get(event__type="ping").attempts.get()
    assert "HTTP 200" in panel
    assert f"{attempt.duration_ms} ms" in panel
    assert "pong" in panel
    assert "hx-get" not in panel


def test_without_javascript_the_button_goes_back_to_the_page_which_shows_the_answer(
    admin, receiver, django_capture_on_commit_callbacks
):
    endpoint, _secret = endpoint_make(receiver.url)
    receiver.plan = [Answer(503, b"down for maintenance")]

    with django_capture_on_commit_callbacks(execute=True):
        sent = admin.post(send_url(endpoint))

    assert sent.status_code == 302
    assert sent["Location"] == reverse("dashboard:webhooks:detail", args=[endpoint.pk])
    page = admin.get(sent["Location"]).text
    assert "HTTP 503" in page
    assert "down for maintenance" in page


def test_a_failed_test_is_tried_once_and_leaves_the_endpoint_active(
    admin, receiver, django_capture_on_commit_callbacks
):
    # Given an endpoint whose server answers 500 (retries would run at once here)
    endpoint, _secret = endpoint_make(receiver.url)
    receiver.default = Answer(500, b"boom")

    # When a test event is sent
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(send_url(endpoint), **HTMX)

    # Then it was tried once, failed, and the endpoint stays active
    assert len(receiver.requests) == 1
    delivery = WebhookDelivery.objects.get(event__type="ping")
    assert (delivery.status, delivery.attempt_count, delivery.next_attempt_at) == ("failed", 1, None)
    endpoint.refresh_from_db()
    assert endpoint.is_active
    assert "HTTP 500" in admin.get(send_url(endpoint), **HTMX).text


def test_an_unreachable_endpoint_shows_the_error(admin, django_capture_on_commit_callbacks):
    # Given an endpoint on a port where nothing listens
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    endpoint, _secret = endpoint_make(f"http://127.0.0.1:{port}/hooks")

    with django_capture_on_commit_callbacks(execute=True):
        admin.post(send_url(endpoint), **HTMX)

    assert "Connection failed" in admin.get(send_url(endpoint), **HTMX).text


def test_a_disabled_endpoint_can_be_tested_and_stays_disabled(
    admin, receiver, django_capture_on_commit_callbacks
):
    endpoint, _secret = endpoint_make(receiver.url)
    endpoint_disable(endpoint=endpoint)

    with django_capture_on_commit_callbacks(execute=True):
        admin.post(send_url(endpoint), **HTMX)

    assert [request.headers["Luneo-Event-Type"] for request in receiver.requests] == ["ping"]
    endpoint.refresh_from_db()
    assert not endpoint.is_active


def test_a_second_press_within_seconds_sends_nothing_more(
    admin, receiver, django_capture_on_commit_callbacks
):
    endpoint, _secret = endpoint_make(receiver.url)

    with django_capture_on_commit_callbacks(execute=True):
        admin.post(send_url(endpoint), **HTMX)
        again = admin.post(send_url(endpoint), **HTMX)
        plain = admin.post(send_url(endpoint), follow=True)

    assert again.status_code == 200  # htmx swaps 2xx answers only
    assert "A test event was just sent to this endpoint" in again.text
    assert "A test event was just sent to this endpoint" in plain.text
    assert len(receiver.requests) == 1
    assert WebhookEvent.objects.filter(type="ping").count() == 1


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR])
def test_members_below_admin_cannot_send_a_test_event(
    tenant, receiver, role, django_capture_on_commit_callbacks
):
    endpoint, _secret = endpoint_make(receiver.url)
    client = dashboard_client(tenant, member(tenant, role))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(send_url(endpoint), **HTMX)

    assert response.status_code == 403
    assert client.get(send_url(endpoint)).status_code == 403
    assert receiver.requests == []
    assert not WebhookEvent.objects.filter(type="ping").exists()


def test_another_workspace_gets_404_for_the_endpoint(other_tenant, tenant, receiver):
    endpoint, _secret = endpoint_make(receiver.url)
    beta_admin = dashboard_client(other_tenant, member(other_tenant, Role.ADMIN))
    beta_key = api_client(other_tenant, ["webhooks:write"])

    assert beta_admin.post(send_url(endpoint), **HTMX).status_code == 404
    assert beta_key.post(f"/api/v1/webhooks/endpoints/{endpoint.pk}/test").status_code == 404
    assert receiver.requests == []


def test_the_api_sends_a_test_event_and_refuses_a_second_one_at_once(
    tenant, receiver, django_capture_on_commit_callbacks
):
    endpoint, secret = endpoint_make(receiver.url)
    client = api_client(tenant, ["webhooks:write"])
    path = f"/api/v1/webhooks/endpoints/{endpoint.pk}/test"

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(path)
    again = client.post(path)

    assert sent.status_code == 202
    body = sent.json()
    assert (body["event_type"], body["endpoint"], body["status"]) == ("ping", endpoint.pk, "pending")
    [request] = receiver.requests
    assert request.headers["Luneo-Event-Id"] == body["event"]
    assert signature_verify(secret=secret, header=request.headers["Luneo-Signature"], body=request.body)
    log = client.get(f"/api/v1/webhooks/endpoints/{endpoint.pk}/deliveries").json()["results"]
    assert (log[0]["status"], log[0]["attempts"][0]["status_code"]) == ("succeeded", 200)
    assert (again.status_code, error_code(again)) == (429, "webhook_test_too_soon")
    assert 1 <= again.json()["error"]["details"]["retry_after"] <= 10


def test_a_key_without_the_webhooks_scope_cannot_send(tenant, receiver):
    endpoint, _secret = endpoint_make(receiver.url)

    response = api_client(tenant, ["orders:read"]).post(f"/api/v1/webhooks/endpoints/{endpoint.pk}/test")

    assert response.status_code == 403
    assert not WebhookEvent.objects.filter(type="ping").exists()


@pytest.mark.parametrize(
    ("language", "button", "intro"),
    [
        ("fr", "Envoyer un événement de test", "Envoyez un événement de test signé"),
        ("zh-hans", "发送测试事件", "发送一个已签名的测试事件"),
    ],
)
def test_the_button_and_the_panel_are_translated(admin, receiver, language, button, intro):
    endpoint, _secret = endpoint_make(receiver.url)
    admin.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = admin.get(reverse("dashboard:webhooks:detail", args=[endpoint.pk])).text

    assert button in page
    assert intro in page
