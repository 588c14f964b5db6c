"""The links in a campaign's messages, all on the workspace's canonical host (never a request's
`Host`): the click redirect (signed, so it cannot be used to send people elsewhere) and the
unsubscribe page (RFC 8058: the same URL answers the one-click POST)."""

from urllib.parse import urlencode

from django.core import signing
from django.db import connection
from django.urls import reverse

from apps.tenants.services import tenant_url

from .models import Recipient

CLICK_SALT = "campaigns.click"


def _url(name: str, recipient: Recipient, query: str = "") -> str:
    path = reverse(f"campaigns-public:{name}", kwargs={"token": recipient.token})
    return tenant_url(connection.tenant, f"{path}?{query}" if query else path)


def click_url(recipient: Recipient, target: str) -> str:
    """Luneo's redirect to `target`, which records the click first."""
    signed = signing.Signer(salt=CLICK_SALT).sign(target)
    return _url("click", recipient, urlencode({"u": signed}))


def click_target(signed: str) -> str | None:
    """The URL a click link leads to, if its signature holds."""
    try:
        return signing.Signer(salt=CLICK_SALT).unsign(signed)
    except signing.BadSignature:
        return None


def unsubscribe_url(recipient: Recipient) -> str:
    return _url("unsubscribe", recipient)


def preferences_url(recipient: Recipient) -> str:
    return _url("preferences", recipient)


def list_unsubscribe_headers(recipient: Recipient) -> dict[str, str]:
    """RFC 2369 + RFC 8058: mail clients show an unsubscribe button that POSTs to the link."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(recipient)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
