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


def endpoints_failing(since) -> list[dict]:
    """This workspace's endpoints with a delivery that failed (every attempt) since `since`, or
    disabled for failing: url, active, failed count, when and why it last failed."""
    failed = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.FAILED, updated_at__gte=since)
    endpoints = (
        WebhookEndpoint.objects.filter(
            Q(deliveries__in=failed) | Q(disabled_reason=WebhookEndpoint.DisabledReason.FAILING)
        )
        .distinct()
        .order_by("url")
    )
    rows = []
    for endpoint in endpoints:
        last = (
            WebhookAttempt.objects.filter(delivery__endpoint=endpoint)
            .exclude(status_code__gte=200, status_code__lt=300)
            .order_by("-started_at", "-pk")
            .first()
        )
        error = ""
        if last is not None:
            error = last.get_error_display() if last.error else f"HTTP {last.status_code}"
            if last.error_detail:
                error = f"{error}: {last.error_detail}"
        rows.append(
            {
                "id": endpoint.pk,
                "url": endpoint.url,
                "is_active": endpoint.is_active,
                "disabled_reason": endpoint.get_disabled_reason_display() if endpoint.disabled_reason else "",
                "failed": failed.filter(endpoint=endpoint).count(),
                "last_failed_at": last.started_at if last else None,
                "last_error": error,
            }
        )
    return rows
