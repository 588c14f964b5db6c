"""Publishing and delivering events to a real local receiver: signing, retries, giving up."""

import hashlib
import hmac
import json
import socket
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core import mail
from django.db import transaction
from django.utils import timezone

from apps.core.notifications import user_group
from apps.core.schedules import SCHEDULES
from apps.core.signatures import signature_verify
from apps.orders.models import Order
from apps.orders.services import order_transition
from apps.tenants.models import User
from apps.webhooks import services
from apps.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from apps.webhooks.services import (
    MAX_ATTEMPTS,
    delivery_redeliver,
    endpoint_enable,
    event_publish,
    retry_delay,
)
from apps.webhooks.tasks import delivery_task
from config.celery import app as celery_app
from tests.support.factories.designs import ready_design
from tests.support.factories.orders import order_make
from tests.support.factories.products import product_make
from tests.support.factories.webhooks import endpoint_make
from tests.support.receiver import Answer

ORDER = {"id": "LU-000042", "status": "pending", "total": "24.00", "currency": "EUR"}


def publish(capture, type="order.created", data=ORDER):
    """Publish in a transaction that commits: its delivery tasks are queued (and, eagerly, run)."""
    with capture(execute=True):
        return event_publish(type=type, data=data)


def hmac_of(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def test_the_receiver_gets_a_signed_event_once_after_two_500s(
    tenant, receiver, deliver_eagerly, django_capture_on_commit_callbacks
):
    # Given an endpoint whose server fails twice before it answers 200
    endpoint, secret = endpoint_make(receiver.url)
    receiver.plan = [Answer(500, b"boom"), Answer(500, b"boom again"), Answer(200, b"thanks")]

    # When an order.created event is published and its delivery task runs with its retries
    event = publish(django_capture_on_commit_callbacks)

    # Then the receiver got the same event three times, and a 2xx exactly once
    assert [request.status for request in receiver.requests] == [500, 500, 200]
    assert len({request.body for request in receiver.requests}) == 1
    last = receiver.requests[-1]
    body = json.loads(last.body)
    assert body == {"id": event.public_id, "type": "order.created", "created": body["created"], "data": ORDER}
    assert last.body == json.dumps(body, separators=(",", ":")).encode()  # compact JSON
    assert last.path == "/hooks/luneo"
    assert last.headers["Content-Type"] == "application/json"
    assert last.headers["User-Agent"] == "Luneo-Webhooks/1.0"
    assert last.headers["Luneo-Event-Id"] == event.public_id
    assert last.headers["Luneo-Event-Type"] == "order.created"

    # And the signature verifies with the secret, by hand and with the helper
    parts = dict(item.split("=", 1) for item in last.headers["Luneo-Signature"].split(","))
    assert set(parts) == {"t", "v1"}
    assert hmac.compare_digest(parts["v1"], hmac_of(secret, parts["t"], last.body))
    assert signature_verify(secret=secret, header=last.headers["Luneo-Signature"], body=last.body)
    assert not signature_verify(secret="whsec_wrong", header=last.headers["Luneo-Signature"], body=last.body)

    # And every attempt is logged with its status code, response and duration
    delivery = WebhookDelivery.objects.get(event=event, endpoint=endpoint)
    attempts = list(delivery.attempts.order_by("number"))
    assert [(a.number, a.status_code, a.response_snippet) for a in attempts] == [
        (1, 500, "boom"),
        (2, 500, "boom again"),
        (3, 200, "thanks"),
    ]
    assert all(attempt.duration_ms >= 0 and attempt.error == "" for attempt in attempts)
    assert (delivery.status, delivery.attempt_count, delivery.last_status_code) == ("succeeded", 3, 200)
    assert delivery.next_attempt_at is None


def test_a_repeated_task_sends_nothing_more(
    tenant, receiver, deliver_eagerly, django_capture_on_commit_callbacks
):
    # Given a delivered event
    endpoint_make(receiver.url)
    publish(django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()

    # When its task runs again (redelivered by the broker, or swept), for the same or the next attempt
    delivery_task.apply(args=[delivery.pk, 1])
    delivery_task.apply(args=[delivery.pk, 2])

    # Then nothing more was sent
    assert len(receiver.requests) == 1
    assert WebhookAttempt.objects.count() == 1


def test_a_failed_attempt_schedules_the_next_with_backoff(
    tenant, receiver, django_capture_on_commit_callbacks
):
    # Given a published event whose receiver answers 503 (tasks are not run eagerly here)
    endpoint_make(receiver.url)
    receiver.default = Answer(503, b"")
    event = event_publish(type="order.created", data=ORDER)
    delivery = event.deliveries.get()

    # When the first attempt runs
    with django_capture_on_commit_callbacks() as queued:
        services.delivery_attempt(delivery_id=delivery.pk, number=1)

    # Then the next attempt is planned about 30 s later and its task queued after commit
    delivery.refresh_from_db()
    wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
    assert 30 * 0.8 - 1 <= wait <= 30 * 1.2
    assert (delivery.status, delivery.attempt_count, delivery.last_status_code) == ("pending", 1, 503)
    assert len(queued) == 1

    # And the second failure waits about 2 minutes
    services.delivery_attempt(delivery_id=delivery.pk, number=2)
    delivery.refresh_from_db()
    assert 120 * 0.8 - 1 <= (delivery.next_attempt_at - timezone.now()).total_seconds() <= 120 * 1.2


def test_the_backoff_grows_to_six_hours_and_spans_about_three_days():
    delays = [retry_delay(number) for number in range(1, MAX_ATTEMPTS)]

    assert 24 <= delays[0] <= 36
    assert max(delays) <= 6 * 3600 * 1.2
    assert 2.4 * 86400 <= sum(delays) <= 3.4 * 86400


def test_a_timeout_is_a_failed_attempt_then_retried(
    tenant, receiver, settings, deliver_eagerly, django_capture_on_commit_callbacks
):
    # Given a receiver slower than the timeout once, then fast
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.3
    endpoint_make(receiver.url)
    receiver.plan = [Answer(200, delay=1.0)]

    # When an event is published
    event = publish(django_capture_on_commit_callbacks)

    # Then the first attempt timed out, and the retry succeeded
    attempts = list(WebhookAttempt.objects.filter(delivery__event=event).order_by("number"))
    assert [(a.status_code, a.error) for a in attempts] == [(None, "timeout"), (200, "")]
    assert attempts[0].duration_ms >= 300
    assert event.deliveries.get().status == "succeeded"


def test_a_refused_connection_is_logged(tenant):
    # Given an endpoint on a port where nothing listens
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    endpoint_make(f"http://127.0.0.1:{port}/hooks")
    delivery = event_publish(type="order.created", data=ORDER).deliveries.get()

    # When it is attempted
    attempt = services.delivery_attempt(delivery_id=delivery.pk, number=1)

    # Then the attempt records a connection error and the delivery waits for its retry
    assert (attempt.status_code, attempt.error) == (None, "connection")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempt_count) == ("pending", 1)


def test_giving_up_fails_the_delivery_disables_the_endpoint_and_tells_the_owners(
    tenant, receiver, deliver_eagerly, django_capture_on_commit_callbacks
):
    # Given a receiver that always fails, and the owner's dashboard listening
    endpoint, _secret = endpoint_make(receiver.url, events=["order.created", "order.updated"])
    receiver.default = Answer(500, b"down")
    owner = User.objects.get(email="owner@alpha.test")
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(user_group("alpha", owner.pk), channel)

    # When an event is published and every attempt fails
    event = publish(django_capture_on_commit_callbacks)

    # Then after MAX_ATTEMPTS the delivery failed and the endpoint is disabled
    delivery = event.deliveries.get()
    assert len(receiver.requests) == MAX_ATTEMPTS
    assert (delivery.status, delivery.attempt_count, delivery.next_attempt_at) == (
        "failed",
        MAX_ATTEMPTS,
        None,
    )
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.disabled_reason) == (False, "failing")
    assert endpoint.disabled_at is not None

    # And the workspace's owner got an email with a link to the endpoint
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["owner@alpha.test"]
    assert receiver.url in mail.outbox[0].body
    assert f"/settings/webhooks/{endpoint.pk}/" in mail.outbox[0].body

    # And a notification reached the owner's dashboard
    message = async_to_sync(layer.receive)(channel)
    assert message["event"] == "webhooks.endpoint_disabled"
    assert message["payload"] == {"endpoint": endpoint.pk, "url": receiver.url, "event": event.public_id}

    # And the next events are not sent to it
    assert event_publish(type="order.updated", data=ORDER) is None


def test_a_disabled_endpoint_keeps_its_pending_deliveries_and_sends_them_once_enabled(
    tenant, receiver, deliver_eagerly, django_capture_on_commit_callbacks
):
    # Given a pending delivery whose endpoint is then disabled
    endpoint, _secret = endpoint_make(receiver.url)
    event = event_publish(type="order.created", data=ORDER)  # not committed: not sent yet
    services.endpoint_disable(endpoint=endpoint)

    # When its task runs, nothing is sent
    delivery_task.apply(args=[event.deliveries.get().pk, 1])
    assert receiver.requests == []

    # When the endpoint is enabled again, the waiting delivery is sent
    with django_capture_on_commit_callbacks(execute=True):
        endpoint_enable(endpoint=endpoint)
    assert [json.loads(request.body)["id"] for request in receiver.requests] == [event.public_id]
    assert event.deliveries.get().status == "succeeded"


def test_redeliver_sends_a_given_up_delivery_again_without_enabling_the_endpoint(
    tenant, receiver, deliver_eagerly, django_capture_on_commit_callbacks
):
    # Given a delivery given up on (its endpoint disabled), and a receiver that works again
    endpoint, secret = endpoint_make(receiver.url)
    receiver.default = Answer(500)
    delivery = publish(django_capture_on_commit_callbacks).deliveries.get()
    assert delivery.status == "failed"
    receiver.default = Answer(204, b"")

    # When it is redelivered
    with django_capture_on_commit_callbacks(execute=True):
        delivery_redeliver(delivery=delivery)

    # Then it is sent at once, signed with the secret, and succeeds; the endpoint stays disabled
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempt_count, delivery.last_status_code) == (
        "succeeded",
        MAX_ATTEMPTS + 1,
        204,
    )
    last = receiver.requests[-1]
    assert signature_verify(secret=secret, header=last.headers["Luneo-Signature"], body=last.body)
    endpoint.refresh_from_db()
    assert endpoint.is_active is False


def test_redeliver_of_a_succeeded_delivery_sends_it_again(
    tenant, receiver, deliver_eagerly, django_capture_on_commit_callbacks
):
    endpoint_make(receiver.url)
    publish(django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        delivery_redeliver(delivery=delivery)

    assert len(receiver.requests) == 2
    assert receiver.requests[0].body == receiver.requests[1].body
    assert WebhookAttempt.objects.filter(delivery=delivery).count() == 2


def test_a_rolled_back_transaction_publishes_nothing(tenant, receiver, django_capture_on_commit_callbacks):
    # Given a subscribed endpoint
    endpoint_make(receiver.url)

    # When the caller's transaction rolls back after publishing
    def order_create_that_fails():
        with transaction.atomic():
            event_publish(type="order.created", data=ORDER)
            raise RuntimeError("the order could not be saved")

    with django_capture_on_commit_callbacks() as queued, pytest.raises(RuntimeError):
        order_create_that_fails()

    # Then no event, no delivery and no task exist
    assert queued == []
    assert WebhookEvent.objects.count() == 0
    assert WebhookDelivery.objects.count() == 0


def test_an_event_goes_only_to_active_endpoints_subscribed_to_its_type(tenant, receiver):
    orders, _s1 = endpoint_make(receiver.url, events=["order.created"])
    designs, _s2 = endpoint_make(receiver.url, events=["design.ready", "design.failed"])
    paused, _s3 = endpoint_make(receiver.url, events=["design.ready"])
    services.endpoint_disable(endpoint=paused)

    event = event_publish(type="design.ready", data={"id": "dsg_1"})

    assert [delivery.endpoint for delivery in event.deliveries.all()] == [designs]
    assert event_publish(type="order.updated", data=ORDER) is None
    with pytest.raises(ValueError, match="Unknown webhook event type"):
        event_publish(type="order.deleted", data={})
    assert orders.deliveries.count() == 0


def test_the_sweep_queues_again_only_deliveries_overdue_and_pending(
    tenant, receiver, django_capture_on_commit_callbacks
):
    # Given a delivery whose task was lost 10 minutes ago, and one due just now
    endpoint_make(receiver.url)
    lost = event_publish(type="order.created", data=ORDER).deliveries.get()
    due_now = event_publish(type="order.created", data=ORDER).deliveries.get()
    WebhookDelivery.objects.filter(pk=lost.pk).update(next_attempt_at=timezone.now() - timedelta(minutes=10))

    # When the sweep runs
    with django_capture_on_commit_callbacks() as queued:
        count = services.deliveries_sweep()

    # Then only the lost one is queued again, and not again on the next sweep
    assert (count, len(queued)) == (1, 1)
    assert services.deliveries_sweep() == 0
    due_now.refresh_from_db()
    assert due_now.status == "pending"


def test_a_long_wait_is_left_to_the_sweep_not_to_a_delayed_task(
    tenant, receiver, django_capture_on_commit_callbacks
):
    # Given a delivery at its 5th attempt, whose next wait (about 2 h) outlasts the broker's
    # visibility timeout
    endpoint_make(receiver.url)
    receiver.default = Answer(500, b"down")
    delivery = event_publish(type="order.created", data=ORDER).deliveries.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempt_count=4)

    # When that attempt fails
    with django_capture_on_commit_callbacks() as queued:
        services.delivery_attempt(delivery_id=delivery.pk, number=5)

    # Then no task is queued; the delivery waits for the sweep
    delivery.refresh_from_db()
    assert queued == []
    assert delivery.status == "pending"
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=services.MAX_QUEUED_DELAY_SECONDS)


def test_an_endpoint_deleted_takes_its_deliveries_with_it(tenant, receiver):
    endpoint, _secret = endpoint_make(receiver.url)
    event = event_publish(type="order.created", data=ORDER)

    services.endpoint_delete(endpoint=endpoint)

    assert WebhookEndpoint.objects.count() == 0
    assert event.deliveries.count() == 0


def test_the_sweep_runs_every_few_minutes_in_every_workspace():
    [schedule] = [s for s in SCHEDULES if s.task == "apps.webhooks.tasks.deliveries_sweep_task"]

    assert schedule.per_tenant
    assert schedule.seconds <= services.SWEEP_GRACE.total_seconds()
    assert schedule.task in celery_app.tasks


def test_an_order_created_then_paid_reaches_the_receiver_as_order_created_then_order_updated(
    tenant, receiver, deliver_eagerly, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # Given an endpoint subscribed to both order events, and a ready design
    _endpoint, secret = endpoint_make(receiver.url, events=("order.created", "order.updated"))
    design = ready_design(product_make())

    # When the order service creates an order, then it is paid
    with django_capture_on_commit_callbacks(execute=True):
        order = order_make(design)
    with django_capture_on_commit_callbacks(execute=True):
        order_transition(order=order, status=Order.Status.PAID, actor="user:ops@alpha.test")

    # Then the receiver got two signed events about that order, in that order
    bodies = [json.loads(request.body) for request in receiver.requests]
    assert [(body["type"], body["data"]["status"]) for body in bodies] == [
        ("order.created", "pending"),
        ("order.updated", "paid"),
    ]
    assert {body["data"]["number"] for body in bodies} == {order.reference}
    assert all(
        signature_verify(secret=secret, header=request.headers["Luneo-Signature"], body=request.body)
        for request in receiver.requests
    )
