"""Webhook endpoints, made through the service."""

from apps.webhooks.services import endpoint_create


def endpoint_make(url: str, events=("order.created",), **fields):
    """An endpoint through the service: (endpoint, raw secret)."""
    return endpoint_create(url=url, events=list(events), **fields)
