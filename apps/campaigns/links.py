"""The links in a campaign's messages, all on the workspace's canonical host (never a request's
`Host`): the click redirect (signed, so it cannot be used to send people elsewhere) and the
unsubscribe page (RFC 8058: the same URL answers the one-click POST)."""

import functools
from urllib.parse import urlencode

from django.core import signing
from django.db import connection
from django.urls import reverse
from django.utils.crypto import salted_hmac

from apps.tenants.services import tenant_url

from .models import Recipient

CLICK_SALT = "campaigns.click"
TOKEN = "0" * 32  # a stand-in token: recipients' tokens are 32 characters [0-9a-f] or urlsafe


@functools.lru_cache(maxsize=256)
def _base(schema: str, name: str) -> tuple[str, str]:
    """The link's URL around the token, per workspace: reversed once, not once per message."""
    url = tenant_url(connection.tenant, reverse(f"campaigns-public:{name}", kwargs={"token": TOKEN}))
    before, _token, after = url.partition(TOKEN)
    return before, after


def _url(name: str, recipient: Recipient, query: str = "") -> str:
    before, after = _base(connection.schema_name, name)
    url = f"{before}{recipient.token}{after}"
    return f"{url}?{query}" if query else url


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


def open_url(recipient: Recipient) -> str:
    """The 1×1 image that records an open, when the campaign tracks opens (off by default)."""
    return _url("open", recipient)


def brevo_webhook_credentials() -> str:
    """The "user:password" Brevo's event webhook must send as basic auth, one per workspace, so
    that the address given to one brand's Brevo account opens no other workspace."""
    return f"brevo:{salted_hmac('campaigns.brevo-webhook', connection.schema_name).hexdigest()[:32]}"


def brevo_webhook_url() -> str:
    """The address to give Brevo for its transactional events, credentials included."""
    url = tenant_url(connection.tenant, reverse("campaigns-public:brevo-tracking"))
    scheme, _sep, rest = url.partition("://")
    return f"{scheme}://{brevo_webhook_credentials()}@{rest}"
