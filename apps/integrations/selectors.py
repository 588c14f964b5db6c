"""Reads for connected shops (the current workspace's)."""

from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.crypto import decrypt, decrypt_json

from .errors import CredentialsInvalid, IntegrationNotFound
from .models import InboundWebhook, Integration

LIVE = (Integration.Status.CONNECTED, Integration.Status.ERROR)  # an import error does not stop webhooks
HINT_LABELS = {
    "access_token": gettext_lazy("Admin API access token"),
    "consumer_key": gettext_lazy("Consumer key"),
    "consumer_secret": gettext_lazy("Consumer secret"),
}


def integration_get(*, kind: str) -> Integration | None:
    """The shop of `kind` in any status (disconnected ones keep their import history), or None."""
    return Integration.objects.select_related("brand").filter(kind=kind).first()


def integration_live(*, kind: str) -> Integration:
    """The connected shop of `kind`; 404 `integration_not_found` otherwise."""
    integration = Integration.objects.filter(kind=kind, status__in=LIVE).first()
    if integration is None:
        raise IntegrationNotFound(details={"kind": kind})
    return integration


def integration_is_live(*, kind: str) -> bool:
    """Whether a shop of `kind` is connected (its webhooks are taken)."""
    return Integration.objects.filter(kind=kind, status__in=LIVE).exists()


def integration_credentials(*, integration: Integration) -> tuple[dict, str]:
    """(the client's credentials, the webhook secret), decrypted; 422 if no key opens them any more."""
    try:
        return decrypt_json(integration.credentials), decrypt(integration.webhook_secret)
    except ValueError as exc:
        raise CredentialsInvalid(
            _("The stored credentials cannot be read any more: reconnect the shop.")
        ) from exc


def integration_hints(*, integration: Integration) -> list[tuple[str, str]]:
    """(label, "…last 4 characters") of each stored secret: enough to recognize, never to reuse."""
    if integration.status not in LIVE:
        return []
    try:
        credentials, webhook_secret = integration_credentials(integration=integration)
    except CredentialsInvalid:
        return []
    hints = [
        (str(HINT_LABELS.get(name, name)), f"…{value[-4:]}") for name, value in sorted(credentials.items())
    ]
    return [*hints, (_("Webhook secret"), f"…{webhook_secret[-4:]}")]


def import_progress_key(kind: str) -> str:
    return f"{connection.schema_name}:integrations:import:{kind}"


def import_progress(*, kind: str) -> dict | None:
    """{"state": "queued"|"running", "count"} while an import of `kind` is under way, else None."""
    return cache.get(import_progress_key(kind))


def inbound_webhook_list(*, kind: str, limit: int = 10) -> QuerySet[InboundWebhook]:
    """The latest deliveries of `kind`, newest first."""
    return InboundWebhook.objects.filter(kind=kind).select_related("order")[:limit]
