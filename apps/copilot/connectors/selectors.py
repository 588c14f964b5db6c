"""Reads: a workspace's connectors and what they hold (credentials decrypted only here)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.crypto import decrypt_json

from ..models import Connector, EmailThread, WhatsAppMessage
from .errors import NotConnected

NOT_CONNECTED = {
    Connector.Kind.NOTION: _("Notion is not connected: an admin connects it under Copilot → Connectors."),
    Connector.Kind.WHATSAPP: _("WhatsApp is not connected: an admin connects it under Copilot → Connectors."),
    Connector.Kind.GMAIL: _("Gmail is not connected: an admin connects it under Copilot → Connectors."),
}


def connector_get(*, kind: str) -> Connector | None:
    return Connector.objects.filter(kind=kind).first()


def connector_live(*, kind: str) -> Connector:
    """The connected connector of `kind`, or NotConnected saying who connects it and where."""
    connector = connector_get(kind=kind)
    if connector is None or connector.status != Connector.Status.CONNECTED:
        raise NotConnected(str(NOT_CONNECTED[kind]))
    return connector


def connector_credentials(connector: Connector) -> dict:
    try:
        return decrypt_json(connector.credentials)
    except ValueError as exc:  # the encryption keys changed and the old one is gone
        raise NotConnected(str(NOT_CONNECTED[connector.kind])) from exc


def connector_mask(connector: Connector) -> str:
    """What the page shows of the credentials: a hint, never the secret."""
    credentials = connector_credentials(connector)
    if connector.kind == Connector.Kind.WHATSAPP:
        sid = str(credentials.get("account_sid", ""))
        return f"{sid[:4]}…{sid[-4:]} · ••••••••"
    if connector.kind == Connector.Kind.GMAIL:
        return f"{connector.settings.get('email', '')} · ••••••••"
    return "••••••••" + str(credentials.get("token", ""))[-4:]


def whatsapp_message_list(*, limit: int = 20):
    return WhatsAppMessage.objects.all()[:limit]


def email_thread_list(*, label: str = "", search: str = ""):
    """The triaged threads, newest first; `label` keeps one label, `search` looks in the sender,
    subject and summary."""
    threads = EmailThread.objects.defer("body")
    if label:
        threads = threads.filter(label=label)
    if search:
        threads = threads.filter(
            Q(sender__icontains=search) | Q(subject__icontains=search) | Q(summary__icontains=search)
        )
    return threads


def email_thread_get(*, pk: int) -> EmailThread | None:
    return EmailThread.objects.filter(pk=pk).first()
