"""Writes for outbound webhooks: endpoints, publishing events, and delivering them.

Delivery: `event_publish` records the event and one delivery per subscribed active endpoint,
and queues attempt 1 after commit. Each attempt (`delivery_attempt`, run by the task) holds the
delivery's row lock while it POSTs, so a delivery is never sent twice at once; a task carries
the attempt number it is for and does nothing once that attempt exists, so a repeated, swept or
raced task is a no-op. A failed attempt schedules the next one with exponential backoff and
jitter (`retry_delay`: 30 s, 2 min, 8 min, 32 min, ~2 h, then every ~6 h; MAX_ATTEMPTS over
about 3 days); `next_attempt_at` lets `deliveries_sweep` re-queue a delivery whose task was
lost — and send the longer waits, which are not queued as delayed tasks (the Redis broker
hands a task out again after its visibility timeout, one hour). After the last attempt the
delivery fails, the endpoint is disabled and the workspace's owners are told. A disabled
endpoint's pending deliveries wait; enabling it resumes them.

A test event (`endpoint_test`, type `ping`) goes to one endpoint through the same task and
attempt, once: it is never retried and never disables the endpoint.
"""

import json
import random
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from apps.billing.entitlements import limit_reserve
from apps.billing.models import Limit
from apps.core import crypto
from apps.core.hygiene import single_line
from apps.core.signatures import secret_new, signature_header
from apps.tenants.models import Tenant
from apps.tenants.services import owners_notify, tenant_url

from . import outbound
from .errors import DeliveryInProgress, WebhookDescriptionInvalid, WebhookEventsInvalid, WebhookTestTooSoon
from .models import TEST_EVENT, EventType, WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from .selectors import endpoint_count

FIRST_RETRY_SECONDS = 30
BACKOFF_FACTOR = 4
MAX_RETRY_SECONDS = 6 * 3600
JITTER = 0.2  # each delay is drawn within ±20 %
MAX_ATTEMPTS = 17  # the last about 3 days after the first
MAX_QUEUED_DELAY_SECONDS = 45 * 60  # longer waits are left to the sweep (broker visibility timeout: 1 h)
SWEEP_GRACE = timedelta(minutes=5)  # a delivery this late is deemed lost and queued again
SWEEP_BATCH = 500
DESCRIPTION_MAX_LENGTH = 200
TEST_EVENT_INTERVAL = timedelta(seconds=10)  # at most one test event per endpoint in this time
ENDPOINT_DISABLED_EVENT = "webhooks.endpoint_disabled"
Status = WebhookDelivery.Status


def retry_delay(attempt_number: int) -> float:
    """Seconds to wait after failed attempt `attempt_number` (1-based) before the next one."""
    base = min(FIRST_RETRY_SECONDS * BACKOFF_FACTOR ** (attempt_number - 1), MAX_RETRY_SECONDS)
    return base * random.uniform(1 - JITTER, 1 + JITTER)  # spreads load; not a secret


# --- endpoints -------------------------------------------------------------------------------


def _events_clean(events) -> list[str]:
    if not isinstance(events, list | tuple) or not events:
        raise WebhookEventsInvalid(details={"allowed": EventType.values})
    unknown = sorted({str(event) for event in events} - set(EventType.values))
    if unknown:
        raise WebhookEventsInvalid(details={"unknown": unknown, "allowed": EventType.values})
    return [event for event in EventType.values if event in events]


def _description_clean(description: str) -> str:
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise WebhookDescriptionInvalid()
    try:
        single_line(description)
    except ValidationError as exc:
        raise WebhookDescriptionInvalid(
            exc.messages[0], details={"fields": {"description": exc.messages}}
        ) from exc
    return description


def endpoint_create(*, url: str, events: list[str], description: str = "") -> tuple[WebhookEndpoint, str]:
    """A new active endpoint and its signing secret (`whsec_…`, returned this once, stored encrypted)."""
    fields = {
        "url": outbound.url_validate(url),
        "events": _events_clean(events),
        "description": _description_clean(description),
    }
    raw = secret_new()
    with limit_reserve(Limit.WEBHOOK_ENDPOINTS, used=endpoint_count):
        endpoint = WebhookEndpoint.objects.create(**fields, secret=crypto.encrypt(raw))
    return endpoint, raw


def endpoint_update(
    *, endpoint: WebhookEndpoint, url: str | None = None, events=None, description: str | None = None
) -> WebhookEndpoint:
    """Change the fields given (None leaves a field as it is)."""
    if url is not None:
        endpoint.url = outbound.url_validate(url)
    if events is not None:
        endpoint.events = _events_clean(events)
    if description is not None:
        endpoint.description = _description_clean(description)
    endpoint.save()
    return endpoint


def endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    """Delete the endpoint with its deliveries and attempts (the events stay)."""
    endpoint.delete()


def endpoint_secret(endpoint: WebhookEndpoint) -> str:
    return crypto.decrypt(endpoint.secret)


def endpoint_secret_rotate(*, endpoint: WebhookEndpoint) -> tuple[WebhookEndpoint, str]:
    """A new signing secret, used from the next attempt on; the old one stops at once."""
    raw = secret_new()
    endpoint.secret = crypto.encrypt(raw)
    endpoint.save(update_fields=["secret", "updated_at"])
    return endpoint, raw


def endpoint_disable(*, endpoint: WebhookEndpoint, reason: str = WebhookEndpoint.DisabledReason.MANUAL):
    """Stop sending to the endpoint: new events skip it; its pending deliveries wait."""
    endpoint.is_active = False
    endpoint.disabled_at = timezone.now()
    endpoint.disabled_reason = reason
    endpoint.save(update_fields=["is_active", "disabled_at", "disabled_reason", "updated_at"])
    return endpoint


@transaction.atomic
def endpoint_enable(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Send to the endpoint again; its pending deliveries are attempted at once."""
    endpoint.is_active = True
    endpoint.disabled_at = None
    endpoint.disabled_reason = ""
    endpoint.save(update_fields=["is_active", "disabled_at", "disabled_reason", "updated_at"])
    pending = endpoint.deliveries.filter(status=Status.PENDING)
    pending.update(next_attempt_at=timezone.now())
    for delivery_id, attempt_count in pending.values_list("pk", "attempt_count"):
        _queue(delivery_id, attempt_count + 1)
    return endpoint


# --- events ----------------------------------------------------------------------------------


def _queue(delivery_id: int, number: int, *, manual: bool = False, countdown: float | None = None) -> None:
    from .tasks import delivery_task  # tasks import this module

    def send() -> None:
        delivery_task.apply_async(args=[delivery_id, number], kwargs={"manual": manual}, countdown=countdown)

    transaction.on_commit(send)


def event_publish(*, type: str, data: dict) -> WebhookEvent | None:
    """Record an event for the endpoints subscribed to `type`; they get it once the caller commits.

    Call it inside the transaction that makes the change: if that rolls back, nothing is sent.
    Returns None (and records nothing) when no active endpoint wants this type.
    """
    if type not in EventType.values:
        raise ValueError(f"Unknown webhook event type {type!r}")
    endpoint_ids = list(
        WebhookEndpoint.objects.filter(is_active=True, events__contains=[type]).values_list("pk", flat=True)
    )
    if not endpoint_ids:
        return None
    now = timezone.now()
    event = WebhookEvent.objects.create(type=type, payload=data, created_at=now)
    deliveries = WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(event=event, endpoint_id=pk, next_attempt_at=now) for pk in endpoint_ids]
    )
    for delivery in deliveries:
        _queue(delivery.pk, 1)
    return event


@transaction.atomic
def endpoint_test(*, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """Send the endpoint a signed `ping` event after commit, through the delivery task, once.

    Also to a disabled endpoint (to check it before enabling it). One test per endpoint per
    TEST_EVENT_INTERVAL: 429 `webhook_test_too_soon` otherwise (a double click sends one).
    """
    locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)  # one test at a time
    now = timezone.now()
    last = (
        locked.deliveries.filter(event__type=TEST_EVENT, created_at__gt=now - TEST_EVENT_INTERVAL)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is not None:
        wait = (last + TEST_EVENT_INTERVAL - now).total_seconds()
        raise WebhookTestTooSoon(retry_after=wait)
    data = {
        "endpoint": locked.pk,
        "message": "A test event from Luneo: this endpoint receives signed events.",
    }
    event = WebhookEvent.objects.create(type=TEST_EVENT, payload=data, created_at=now)
    delivery = WebhookDelivery.objects.create(
        event=event, endpoint=locked, next_attempt_at=now, created_at=now
    )
    _queue(delivery.pk, 1, manual=True)
    return delivery


def event_body(event: WebhookEvent) -> bytes:
    """What is POSTed, and signed: compact JSON `{"id", "type", "created", "data"}`."""
    body = {
        "id": event.public_id,
        "type": event.type,
        "created": int(event.created_at.timestamp()),
        "data": event.payload,
    }
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def event_headers(*, event: WebhookEvent, secret: str, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "Luneo-Event-Id": event.public_id,
        "Luneo-Event-Type": event.type,
        "Luneo-Signature": signature_header(secret=secret, body=body),
    }


# --- deliveries ------------------------------------------------------------------------------


def delivery_redeliver(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Queue a new attempt now, whatever the delivery's status (a failed one too).

    The endpoint stays as it is: a disabled endpoint gets this attempt, not the next events.
    409 `delivery_in_progress` while an attempt is being sent.
    """
    with transaction.atomic():
        try:
            locked = WebhookDelivery.objects.select_for_update(nowait=True).get(pk=delivery.pk)
        except DatabaseError as exc:  # locked: an attempt is being sent
            raise DeliveryInProgress() from exc
        if locked.status == Status.PENDING:
            locked.next_attempt_at = timezone.now()
            locked.save(update_fields=["next_attempt_at", "updated_at"])
        _queue(locked.pk, locked.attempt_count + 1, manual=True)
    return locked


def _attempt_due(delivery: WebhookDelivery, number: int, manual: bool) -> bool:
    if delivery.attempt_count + 1 != number:
        return False  # this attempt was made already (a repeated, swept or raced task)
    if manual:
        return True
    return delivery.status == Status.PENDING and delivery.endpoint.is_active


def delivery_attempt(*, delivery_id: int, number: int, manual: bool = False) -> WebhookAttempt | None:
    """Make attempt `number` of the delivery, unless it is not due; record it and plan what follows.

    Holds the delivery's row lock while sending; a delivery locked by another attempt is skipped.
    """
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("event", "endpoint")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or not _attempt_due(delivery, number, manual):
            return None
        event, endpoint = delivery.event, delivery.endpoint
        body = event_body(event)
        started_at = timezone.now()
        headers = event_headers(event=event, secret=endpoint_secret(endpoint), body=body)
        outcome = outbound.post(url=endpoint.url, body=body, headers=headers)
        return _attempt_record(delivery, outcome, started_at)


def _attempt_record(delivery: WebhookDelivery, outcome: outbound.Outcome, started_at) -> WebhookAttempt:
    attempt = WebhookAttempt.objects.create(
        delivery=delivery,
        number=delivery.attempt_count + 1,
        started_at=started_at,
        duration_ms=outcome.duration_ms,
        status_code=outcome.status_code,
        response_snippet=outcome.snippet,
        error=outcome.error,
        error_detail=outcome.error_detail,
    )
    delivery.attempt_count = attempt.number
    delivery.last_status_code = outcome.status_code
    delivery.last_attempt_at = started_at
    if attempt.succeeded:
        delivery.status, delivery.next_attempt_at = Status.SUCCEEDED, None
    elif delivery.status == Status.PENDING and delivery.event.type == TEST_EVENT:
        delivery.status, delivery.next_attempt_at = Status.FAILED, None  # a test is tried once
    elif delivery.status == Status.PENDING and attempt.number >= MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = Status.FAILED, None
        _give_up(delivery)
    elif delivery.status == Status.PENDING:
        delay = retry_delay(attempt.number)
        delivery.next_attempt_at = timezone.now() + timedelta(seconds=delay)
        if delay <= MAX_QUEUED_DELAY_SECONDS:
            _queue(delivery.pk, attempt.number + 1, countdown=delay)
    # A manual attempt on a finished delivery leaves it failed (or succeeded) when it fails.
    delivery.save()
    return attempt


def _give_up(delivery: WebhookDelivery) -> None:
    """The last attempt failed: disable the endpoint and tell the workspace's owners."""
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        return
    endpoint_disable(endpoint=endpoint, reason=WebhookEndpoint.DisabledReason.FAILING)
    tenant = Tenant.objects.get(schema_name=connection.schema_name)
    owners_notify(
        tenant=tenant,
        event=ENDPOINT_DISABLED_EVENT,
        payload={"endpoint": endpoint.pk, "url": endpoint.url, "event": delivery.event.public_id},
        template="webhooks/email/endpoint_disabled",
        context={
            "endpoint": endpoint,
            "delivery": delivery,
            "link": tenant_url(tenant, reverse("dashboard:webhooks:detail", args=[endpoint.pk])),
        },
    )


def deliveries_sweep() -> int:
    """Queue again the pending deliveries overdue by SWEEP_GRACE (their task was lost). Returns how many."""
    with transaction.atomic():
        overdue = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                status=Status.PENDING,
                endpoint__is_active=True,
                next_attempt_at__lte=timezone.now() - SWEEP_GRACE,
            )
            .order_by("next_attempt_at")
            .values_list("pk", "attempt_count")[:SWEEP_BATCH]
        )
        ids = [pk for pk, _count in overdue]
        # Not re-queued again before another SWEEP_GRACE has passed.
        WebhookDelivery.objects.filter(pk__in=ids).update(next_attempt_at=timezone.now())
        for pk, attempt_count in overdue:
            _queue(pk, attempt_count + 1)
    return len(overdue)
