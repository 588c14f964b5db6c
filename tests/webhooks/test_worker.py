"""An event delivered by a real Celery worker process to a real local receiver."""

import json
import time

import pytest

from apps.core.signatures import signature_verify
from apps.webhooks.models import WebhookDelivery
from apps.webhooks.services import event_publish
from tests.support.factories.webhooks import endpoint_make

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]
TIMEOUT_SECONDS = 30


def test_the_worker_delivers_a_committed_event(worker, tenant, receiver):
    # Given an endpoint
    endpoint, secret = endpoint_make(receiver.url)

    # When an event is published and committed (autocommit here: queued at once)
    event = event_publish(type="order.created", data={"id": "LU-000001"})

    # Then the worker POSTs it, signed, and records the success
    deadline = time.monotonic() + TIMEOUT_SECONDS
    delivery = WebhookDelivery.objects.get(event=event, endpoint=endpoint)
    while time.monotonic() < deadline and delivery.status == "pending":
        time.sleep(0.2)
        delivery.refresh_from_db()
    assert delivery.status == "succeeded", worker.log()[-3000:]
    [request] = receiver.requests
    assert json.loads(request.body)["id"] == event.public_id
    assert signature_verify(secret=secret, header=request.headers["Luneo-Signature"], body=request.body)
