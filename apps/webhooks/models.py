"""Outbound webhooks: the brand's endpoints, the events we publish, and every delivery attempt.

An event is recorded once and gets one `WebhookDelivery` per endpoint subscribed to its type
when it is published; each POST to the endpoint is a `WebhookAttempt`. A delivery is `pending`
until an attempt answers 2xx (`succeeded`) or the last attempt fails (`failed`: we gave up).
"""

import secrets

from django.contrib.postgres.fields import ArrayField
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.hygiene import single_line

SNIPPET_LENGTH = 500


class EventType(models.TextChoices):
    DESIGN_READY = "design.ready", _("A design is ready")
    DESIGN_FAILED = "design.failed", _("A design failed")
    ORDER_CREATED = "order.created", _("An order was created")
    ORDER_UPDATED = "order.updated", _("An order changed status")
    PACK_READY = "pack.ready", _("An order's production pack is ready")


# Sent to one endpoint on request ("Send test event"), never subscribed to.
TEST_EVENT = "ping"
EVENT_TYPES = [*EventType.choices, (TEST_EVENT, _("A test event"))]


def event_public_id() -> str:
    return f"evt_{secrets.token_urlsafe(18)}"


class WebhookEndpoint(models.Model):
    class DisabledReason(models.TextChoices):
        MANUAL = "manual", _("Disabled by a member of the workspace")
        FAILING = "failing", _("Disabled after a delivery failed every attempt")

    url = models.URLField(_("URL"), max_length=2000)
    description = models.CharField(_("description"), max_length=200, blank=True, validators=[single_line])
    events = ArrayField(models.CharField(max_length=40, choices=EventType.choices), verbose_name=_("events"))
    secret = models.TextField(editable=False)  # the signing secret, encrypted (apps.core.crypto)
    is_active = models.BooleanField(_("active"), default=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=20, choices=DisabledReason.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.url


class WebhookEvent(models.Model):
    public_id = models.CharField(max_length=40, unique=True, default=event_public_id, editable=False)
    type = models.CharField(max_length=40, choices=EVENT_TYPES)
    payload = models.JSONField(encoder=DjangoJSONEncoder)  # the event's `data`
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")

    def __str__(self) -> str:
        return f"{self.public_id} {self.type}"


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempt_count = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)  # set while pending
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "endpoint"], name="webhook_delivery_unique_event_endpoint"
            )
        ]
        indexes = [
            # An endpoint's delivery log, all or by status, newest first.
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_endpoint"),
            models.Index(fields=["endpoint", "status", "-created_at"], name="webhook_delivery_ep_status"),
            # The sweep: pending deliveries that are due.
            models.Index(
                fields=["next_attempt_at"], condition=Q(status="pending"), name="webhook_delivery_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.endpoint_id} ({self.status})"


class WebhookAttempt(models.Model):
    class Error(models.TextChoices):
        TIMEOUT = "timeout", _("Timed out")
        CONNECTION = "connection", _("Connection failed")
        DNS = "dns", _("Host not found")
        TLS = "tls", _("TLS error")
        PROTOCOL = "protocol", _("Invalid HTTP response")
        FORBIDDEN_ADDRESS = "forbidden_address", _("Address not allowed")

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_snippet = models.CharField(max_length=SNIPPET_LENGTH, blank=True)
    error = models.CharField(max_length=30, choices=Error.choices, blank=True)
    error_detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["delivery", "number"]
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="webhook_attempt_unique_number")
        ]

    def __str__(self) -> str:
        return f"#{self.number} of {self.delivery_id}: {self.status_code or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
