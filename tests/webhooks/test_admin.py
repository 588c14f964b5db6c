"""Operators' read-only admin of a workspace's webhooks: logs visible, secrets never."""

from django.db import connection
from django.urls import reverse

from apps.webhooks.services import delivery_attempt, event_publish
from tests.support.clients import operator_client
from tests.support.factories.webhooks import endpoint_make


def _url(name: str, *args) -> str:
    return reverse(f"admin:webhooks_{name}", args=args, urlconf="config.urls_public")


def test_operators_read_endpoints_and_deliveries_without_secrets_or_changes(tenant, receiver):
    # Given an endpoint with an attempted delivery in workspace alpha
    endpoint, secret = endpoint_make(receiver.url)
    delivery = event_publish(type="order.created", data={"id": 1}).deliveries.get()
    delivery_attempt(delivery_id=delivery.pk, number=1)
    connection.set_schema_to_public()
    operator = operator_client()

    # When an operator opens the webhooks admin for alpha
    deliveries = operator.get(_url("webhookdelivery_changelist"), {"workspace": "alpha"})
    detail = operator.get(_url("webhookdelivery_change", delivery.pk))
    endpoint_page = operator.get(_url("webhookendpoint_change", endpoint.pk))
    events = operator.get(_url("webhookevent_changelist"))

    # Then the log is readable, the secret is not shown, and nothing can be added
    assert (
        deliveries.status_code == detail.status_code == endpoint_page.status_code == events.status_code == 200
    )
    assert delivery.event.public_id in deliveries.content.decode()
    assert secret not in endpoint_page.content.decode()
    assert operator.get(_url("webhookendpoint_add")).status_code == 403
