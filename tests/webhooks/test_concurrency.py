"""A delivery is never sent twice at once: an attempt in flight holds the delivery's row lock."""

import threading

import pytest
from django.db import connection

from apps.webhooks.errors import DeliveryInProgress
from apps.webhooks.models import WebhookAttempt
from apps.webhooks.services import delivery_attempt, delivery_redeliver, event_publish
from tests.support.factories.webhooks import endpoint_make
from tests.support.receiver import Answer

pytestmark = pytest.mark.django_db(transaction=True)  # two connections must see committed rows


def test_while_an_attempt_is_sending_a_second_one_and_a_redeliver_are_refused(tenant, receiver):
    # Given a committed delivery, and a receiver that takes a moment to answer
    endpoint_make(receiver.url)
    delivery = event_publish(type="order.created", data={"id": 1}).deliveries.get()
    receiver.plan = [Answer(200, delay=1.0)]
    results = {}

    def first_attempt():
        connection.set_tenant(tenant)
        try:
            results["first"] = delivery_attempt(delivery_id=delivery.pk, number=1)
        finally:
            connection.close()

    # When a second worker runs the same attempt while the first is sending
    thread = threading.Thread(target=first_attempt)
    thread.start()
    while thread.is_alive() and not receiver.requests:
        thread.join(0.02)
    second = delivery_attempt(delivery_id=delivery.pk, number=1)
    with pytest.raises(DeliveryInProgress):
        delivery_redeliver(delivery=delivery)
    thread.join()

    # Then only the first one sent it
    assert second is None
    assert results["first"].status_code == 200
    assert len(receiver.requests) == 1
    assert WebhookAttempt.objects.count() == 1
