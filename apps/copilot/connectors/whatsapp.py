"""WhatsApp through Twilio: template messages (Content API SIDs `HX…`) from the workspace's
WhatsApp sender, their status reported back to a callback Twilio signs, and the customers'
replies posted (signed the same way) to the inbound URL.

Twilio's REST API takes Basic auth (Account SID, Auth Token) and form posts. Its callbacks carry
`X-Twilio-Signature`: base64 of HMAC-SHA1, keyed with the Auth Token, over the full URL Twilio
called followed by every POST parameter's name and value, sorted by name.
"""

import base64
import hashlib
import hmac
import json
import re

from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.tenants.services import tenant_url

from ..models import Connector
from . import http
from .errors import ServiceRefused
from .selectors import connector_credentials, connector_live

SERVICE = "Twilio"
ACCOUNT_SID = re.compile(r"^AC[0-9a-f]{32}$")
AUTH_TOKEN = re.compile(r"^[0-9a-zA-Z]{32}$")
CONTENT_SID = re.compile(r"^HX[0-9a-f]{32}$")
E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def phone_e164(value: str) -> str:
    """`value` as E.164 (+ and 7 to 15 digits, spaces, dots, dashes and brackets dropped), or ""."""
    number = re.sub(r"[\s().\-]", "", str(value or ""))
    if number.startswith("00"):
        number = "+" + number[2:]
    return number if E164.match(number) else ""


def sender_clean(value: str) -> str:
    """`whatsapp:+E164` from "whatsapp:+33…" or "+33…"; ValueError with the message to show."""
    raw = str(value or "").strip()
    number = phone_e164(raw.removeprefix("whatsapp:"))
    if not number:
        raise ValueError(
            _("Enter the WhatsApp sender as whatsapp:+ and its number, e.g. whatsapp:+14155238886.")
        )
    return f"whatsapp:{number}"


def _url(path: str) -> str:
    return f"{settings.TWILIO_API_URL.rstrip('/')}/2010-04-01{path}"


def twilio_account(*, account_sid: str, auth_token: str) -> dict:
    """GET /2010-04-01/Accounts/{sid}.json: the account (proves the credentials work)."""
    return http.request(SERVICE, "GET", _url(f"/Accounts/{account_sid}.json"), auth=(account_sid, auth_token))


def status_callback_url() -> str:
    """Where Twilio reports a message's status: the workspace's canonical host, never a request's."""
    return tenant_url(connection.tenant, reverse("dashboard:copilot:whatsapp-status"))


def inbound_url() -> str:
    """Where Twilio posts the customers' replies (configured on the sender in Twilio's Console):
    the workspace's canonical host, the URL its signature covers."""
    return tenant_url(connection.tenant, reverse("dashboard:copilot:whatsapp-inbound"))


def phone_mask(number: str) -> str:
    """`+33612345678` → `+33 6•• ••• •78`: the country code, the first digit after it and the
    last two (what a card may show of a customer's number)."""
    digits = phone_e164(number).removeprefix("+")
    if not digits:
        return "—"
    country, national = digits[:2], digits[2:]
    shown = "".join(
        digit if index == 0 or index >= len(national) - 2 else "•" for index, digit in enumerate(national)
    )
    groups = [shown[start : start + 3] for start in range(0, len(shown), 3)]
    return f"+{country} " + " ".join(groups)


def whatsapp_send(
    to: str, template_sid: str, variables: dict, *, status_callback: str = "", credentials: dict | None = None
) -> dict:
    """Send the template `template_sid` with `variables` to `to` (+E164) from the workspace's
    sender; Twilio reports its status to `status_callback`. Returns {"sid", "status"}.

    Errors: NotConnected, CredentialsRefused, ServiceRefused (Twilio's error code in
    `details["code"]`, e.g. 21211 a number it cannot send to), ServiceUnavailable (transient)."""
    connector = connector_live(kind=Connector.Kind.WHATSAPP)
    credentials = credentials or connector_credentials(connector)
    sid = credentials["account_sid"]
    form = {
        "From": connector.settings["sender"],
        "To": f"whatsapp:{to}",
        "ContentSid": template_sid,
        "ContentVariables": json.dumps({str(k): str(v) for k, v in variables.items()}, ensure_ascii=False),
        "StatusCallback": status_callback or status_callback_url(),
    }
    url = _url(f"/Accounts/{sid}/Messages.json")
    answer = http.request(SERVICE, "POST", url, auth=(sid, credentials["auth_token"]), data=form)
    message_sid = str(answer.get("sid") or "")
    if not message_sid:
        raise ServiceRefused(_("Twilio did not say which message it made."))
    return {"sid": message_sid, "status": str(answer.get("status") or "queued")}


def signature(auth_token: str, url: str, params: dict[str, list[str]]) -> str:
    """The X-Twilio-Signature of a POST to `url` with `params` (each name's values)."""
    payload = url + "".join(name + value for name in sorted(params) for value in sorted(params[name]))
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def signature_valid(auth_token: str, url: str, params: dict[str, list[str]], received: str) -> bool:
    return bool(received) and hmac.compare_digest(signature(auth_token, url, params), received)
