"""A paid order builds its production pack by itself, and `pack.ready` reaches the brand's receiver."""

import json
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from apps.core.signatures import signature_verify
from apps.orders.models import Order
from apps.orders.pack import order_pack_build, order_pack_request
from apps.tenants.models import Role
from apps.webhooks.models import WebhookEvent
from tests.support.clients import api_client, dashboard_client, error_code, post_json
from tests.support.factories.orders import order_make
from tests.support.factories.webhooks import endpoint_make
from tests.support.workspaces import member

P = Order.PackStatus
pytestmark = pytest.mark.usefixtures("deliver_eagerly")  # tasks queued after commit run at once


def pay(tenant, order: Order, capture):
    """Mark the order paid through the API; what is queued after commit runs here, at once."""
    with capture(execute=True):
        return post_json(
            api_client(tenant, ["orders:write"]),
            f"/api/v1/orders/{order.reference}/transition",
            {"status": "paid"},
        )


def ready_events(endpoint_receiver) -> list[dict]:
    """The pack.ready bodies the receiver got."""
    return [
        json.loads(request.body)
        for request in endpoint_receiver.requests
        if request.headers["Luneo-Event-Type"] == "pack.ready"
    ]


def test_a_paid_order_builds_its_pack_and_the_receiver_gets_pack_ready_signed(
    tenant,
    design,
    receiver,
    django_capture_on_commit_callbacks,
):
    # Given an endpoint subscribed to pack.ready, and a pending order with no pack
    _endpoint, secret = endpoint_make(receiver.url, events=("pack.ready",))
    order = order_make(design)
    assert order.pack_status == P.NONE

    # When the order is paid
    assert pay(tenant, order, django_capture_on_commit_callbacks).status_code == 200

    # Then its pack was built with nobody asking, and pack.ready was delivered once, signed
    order.refresh_from_db()
    assert (order.pack_status, order.pack_error) == (P.READY, "")
    [request] = receiver.requests
    assert signature_verify(secret=secret, header=request.headers["Luneo-Signature"], body=request.body)
    body = json.loads(request.body)
    assert body["type"] == "pack.ready"
    data = body["data"]
    assert set(data) == {"order", "url", "size", "built_at"}
    assert data["order"] == order.reference
    assert data["size"] == order.pack.size > 0
    assert parse_datetime(data["built_at"]) == order.pack_built_at

    # And the link is signed on the workspace's own host, and downloads that zip without a key
    link = urlsplit(data["url"])
    assert link.netloc == f"{tenant.schema_name}.{settings.BASE_DOMAIN}"
    download = Client(HTTP_HOST=link.netloc).get(link.path)
    assert download.status_code == 200
    assert len(b"".join(download.streaming_content)) == data["size"]


def test_a_second_paid_event_builds_nothing_more(
    tenant,
    design,
    receiver,
    django_capture_on_commit_callbacks,
):
    # Given an order paid, its pack built and announced
    endpoint_make(receiver.url, events=("pack.ready",))
    order = order_make(design)
    pay(tenant, order, django_capture_on_commit_callbacks)
    order.refresh_from_db()
    built = (order.pack.name, order.pack_built_at)

    # When it is said to be paid again
    again = pay(tenant, order, django_capture_on_commit_callbacks)

    # Then that is refused, and the pack is the same one, announced once
    assert (again.status_code, error_code(again)) == (409, "order_transition_not_allowed")
    order.refresh_from_db()
    assert (order.pack_status, order.pack.name, order.pack_built_at) == (P.READY, *built)
    assert len(ready_events(receiver)) == 1


def test_a_build_task_run_twice_for_one_request_keeps_one_pack_and_publishes_once(tenant, design):
    # Given a pack asked for once, and its task started twice (queued twice, two workers)
    endpoint_make("https://hooks.example.com/packs", events=("pack.ready",))
    order = order_pack_request(order=order_make(design))
    first, second = Order.objects.get(pk=order.pk), Order.objects.get(pk=order.pk)

    # When both builds finish, one after the other
    kept = order_pack_build(order=first)
    dropped = order_pack_build(order=second)

    # Then the first build stands, the second's zip is gone, and pack.ready was published once
    assert (kept.pack_status, dropped.pack_status) == (P.READY, P.READY)
    assert (dropped.pack.name, dropped.pack_built_at) == (kept.pack.name, kept.pack_built_at)
    assert kept.pack.storage.listdir("orders/packs")[1] == [kept.pack.name.rsplit("/", 1)[1]]
    [event] = WebhookEvent.objects.filter(type="pack.ready")
    assert event.payload["order"] == order.reference


def test_the_rebuild_button_replaces_the_pack_and_announces_the_new_link(
    tenant,
    design,
    receiver,
    django_capture_on_commit_callbacks,
):
    # Given a paid order whose pack was built and announced
    endpoint_make(receiver.url, events=("pack.ready",))
    order = order_make(design)
    pay(tenant, order, django_capture_on_commit_callbacks)
    editor = dashboard_client(tenant, member(tenant, Role.EDITOR))

    # When an editor rebuilds it from the order's page
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(reverse("dashboard:orders:pack-build", args=[order.number]))

    # Then a second pack.ready carries the new pack's link, and the first link is retired
    assert response.status_code == 302
    first, second = ready_events(receiver)
    assert first["data"]["url"] != second["data"]["url"]
    assert second["data"]["built_at"] > first["data"]["built_at"]
    host = Client(HTTP_HOST=urlsplit(first["data"]["url"]).netloc)
    assert host.get(urlsplit(first["data"]["url"]).path).status_code == 404
    assert host.get(urlsplit(second["data"]["url"]).path).status_code == 200
