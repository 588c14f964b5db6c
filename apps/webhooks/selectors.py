"""Reads for outbound webhooks: endpoints and their delivery logs."""

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import TEST_EVENT, WebhookAttempt, WebhookDelivery, WebhookEndpoint


def endpoint_count() -> int:
    return WebhookEndpoint.objects.count()


def endpoint_list() -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.order_by("-created_at", "-pk")


def endpoint_get(*, pk: int) -> WebhookEndpoint:
    """The endpoint, or Http404."""
    return get_object_or_404(WebhookEndpoint, pk=pk)


def delivery_list(*, endpoint: WebhookEndpoint, status: str | None = None) -> QuerySet[WebhookDelivery]:
    """The endpoint's deliveries, newest first, with their event and attempts (oldest first)."""
    deliveries = endpoint.deliveries.select_related("event").prefetch_related(
        Prefetch("attempts", queryset=WebhookAttempt.objects.order_by("number"))
    )
    if status:
        deliveries = deliveries.filter(status=status)
    return deliveries.order_by("-created_at", "-pk")


def deliveries_failing(*, limit: int = 20) -> list[WebhookDelivery]:
    """The current workspace's failed deliveries, and pending ones that already failed an attempt
    (retrying), newest first, with their event and endpoint: what operators look at first."""
    Status = WebhookDelivery.Status
    failing = WebhookDelivery.objects.filter(
        Q(status=Status.FAILED) | Q(status=Status.PENDING, attempt_count__gt=0)
    )
    return list(failing.select_related("event", "endpoint").order_by("-created_at", "-pk")[:limit])


def endpoint_test_last(*, endpoint: WebhookEndpoint) -> WebhookDelivery | None:
    """The endpoint's latest test event delivery, with its attempts; None if none was sent."""
    return delivery_list(endpoint=endpoint).filter(event__type=TEST_EVENT).first()


def delivery_get(*, pk: int) -> WebhookDelivery:
    """The delivery, or Http404."""
    return get_object_or_404(WebhookDelivery.objects.select_related("event", "endpoint"), pk=pk)
