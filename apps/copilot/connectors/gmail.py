"""Gmail: Google OAuth through django-allauth's Google provider, then the Gmail API.

The Google app is allauth's (GOOGLE_CLIENT_ID, GOOGLE_SECRET, the app people sign in with); the
code is exchanged with allauth's OAuth2 client. Its consent asks for Gmail's read and modify
scopes, offline (a refresh token). Google allows only registered redirect addresses, so every
workspace returns to one address on the public host, `/connectors/google/return/`, which sends
the browser on to the workspace named in the signed `state`; the workspace's page then checks
that `state` is the one it issued to this signed-in admin (session nonce) before exchanging the
code. An access token lasts an hour: it is refreshed with the refresh token when it has less than
a minute left, or when Gmail refuses it.

What the copilot does with Gmail: read recent inbox threads (text only: links and images are
never fetched), apply labels, and make drafts. It never sends.
"""

import base64
import re
import secrets
from email.message import EmailMessage
from email.utils import parseaddr
from urllib.parse import urlencode

import requests
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Client, OAuth2Error
from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from apps.core.crypto import encrypt_json
from apps.tenants.services import public_url

from ..models import Connector
from . import http
from .errors import CredentialsRefused, NotConnected, ServiceRefused, ServiceUnavailable
from .selectors import NOT_CONNECTED, connector_credentials, connector_get

SERVICE = "Gmail"
PROVIDER = "google"  # allauth's Google provider
SCOPES = (
    "openid",
    "email",
    "https://www.googleapis.com/auth/gmail.readonly",
    "https://www.googleapis.com/auth/gmail.modify",
)
STATE_SALT = "copilot.gmail.oauth"
STATE_MAX_AGE = 600  # seconds from "Connect" to Google's answer
SESSION_NONCE = "copilot_gmail_oauth_nonce"
REFRESH_MARGIN = 60  # seconds: a token with less left is refreshed first
BODY_MAX = 8000  # characters of a message's text kept
THREAD_ID = re.compile(r"^[0-9a-f]{1,32}$")


# --- OAuth ---------------------------------------------------------------------------------------


def google_app() -> SocialApp | None:
    """allauth's Google app (from SOCIALACCOUNT_PROVIDERS or the admin), None when there is none."""
    try:
        return get_adapter().get_app(None, provider=PROVIDER)
    except SocialApp.DoesNotExist:
        return None


def _google_app() -> SocialApp:
    app = google_app()
    if app is None:
        raise NotConnected(
            _("Google sign-in is not set up on this platform: an operator sets GOOGLE_CLIENT_ID.")
        )
    return app


def return_url() -> str:
    """The one redirect address registered with Google: on the public host, whatever host asked."""
    return public_url(reverse("connector-google-return", urlconf=settings.PUBLIC_SCHEMA_URLCONF))


def authorize_url(request) -> str:
    """Google's consent page for this workspace and admin; the nonce stays in their session."""
    app = _google_app()
    nonce = secrets.token_urlsafe(24)
    request.session[SESSION_NONCE] = nonce
    state = signing.dumps(
        {"schema": connection.schema_name, "user": request.user.pk, "nonce": nonce}, salt=STATE_SALT
    )
    params = {
        "client_id": app.client_id,
        "redirect_uri": return_url(),
        "response_type": "code",
        "scope": " ".join(SCOPES),
        "access_type": "offline",
        "prompt": "consent",  # a refresh token every time, even for a Google account seen before
        "include_granted_scopes": "true",
        "state": state,
    }
    return f"{settings.GOOGLE_OAUTH_AUTHORIZE_URL}?{urlencode(params)}"


def state_read(state: str) -> dict | None:
    """The signed state's contents, None when forged or older than ten minutes."""
    try:
        data = signing.loads(state, salt=STATE_SALT, max_age=STATE_MAX_AGE)
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) and {"schema", "user", "nonce"} <= data.keys() else None


def state_check(request, state: str) -> bool:
    """True when `state` was issued here to this admin and not used yet (its nonce is spent)."""
    data = state_read(state)
    nonce = request.session.pop(SESSION_NONCE, None)
    return bool(
        data
        and nonce
        and data["schema"] == connection.schema_name
        and data["user"] == request.user.pk
        and secrets.compare_digest(str(data["nonce"]), nonce)
    )


def _client(app: SocialApp) -> OAuth2Client:
    return OAuth2Client(
        None, app.client_id, app.secret, "POST", settings.GOOGLE_OAUTH_TOKEN_URL, return_url()
    )


def code_exchange(code: str) -> dict:
    """Google's tokens for the consent's `code` (allauth's client): access, refresh, expiry."""
    try:
        tokens = _client(_google_app()).get_access_token(code)
    except OAuth2Error as exc:
        raise CredentialsRefused(_("Google refused the sign-in: try connecting Gmail again.")) from exc
    except requests.RequestException as exc:
        raise ServiceUnavailable(_("Google cannot be reached: try again later.")) from exc
    if not tokens.get("refresh_token"):
        raise CredentialsRefused(_("Google gave no lasting access: try connecting Gmail again."))
    return _tokens(tokens, refresh_token=str(tokens["refresh_token"]))


def _tokens(answer: dict, *, refresh_token: str) -> dict:
    lifetime = int(answer.get("expires_in") or 3600)
    return {
        "access_token": str(answer["access_token"]),
        "refresh_token": refresh_token,
        "expires_at": int(timezone.now().timestamp()) + lifetime,
    }


def _refreshed(refresh_token: str) -> dict:
    app = _google_app()
    data = {
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
        "client_id": app.client_id,
        "client_secret": app.secret,
    }
    refused = {400: _("Google no longer accepts this connection: connect Gmail again.")}
    try:
        answer = http.request("Google", "POST", settings.GOOGLE_OAUTH_TOKEN_URL, data=data, refused=refused)
    except ServiceRefused as exc:
        raise CredentialsRefused(exc.message) from exc
    if not answer.get("access_token"):
        raise CredentialsRefused(refused[400])
    return _tokens(answer, refresh_token=str(answer.get("refresh_token") or refresh_token))


def _connector() -> Connector:
    """The Gmail connector, whatever its last test said (a refresh may mend it)."""
    connector = connector_get(kind=Connector.Kind.GMAIL)
    if connector is None:
        raise NotConnected(str(NOT_CONNECTED[Connector.Kind.GMAIL]))
    return connector


def access_token(*, force: bool = False) -> str:
    """The connected Gmail's access token, refreshed first when it is (nearly) expired or `force`d.
    The row is locked while refreshing, so two requests refresh once. Google refusing the refresh
    (access revoked) marks the connector in error, with the reason."""
    connector = _connector()
    credentials = connector_credentials(connector)
    if not force and credentials.get("expires_at", 0) - REFRESH_MARGIN > timezone.now().timestamp():
        return credentials["access_token"]
    try:
        with transaction.atomic():
            connector = Connector.objects.select_for_update().get(pk=connector.pk)
            current = connector_credentials(connector)
            if current["access_token"] != credentials["access_token"]:
                return current["access_token"]  # another request refreshed it meanwhile
            tokens = _refreshed(current["refresh_token"])
            connector.credentials = encrypt_json(tokens)
            connector.save(update_fields=["credentials", "updated_at"])
    except CredentialsRefused as exc:
        Connector.objects.filter(pk=connector.pk).update(
            status=Connector.Status.ERROR, last_error=exc.message, updated_at=timezone.now()
        )
        raise
    return tokens["access_token"]


def token_revoke(token: str) -> None:
    """Ask Google to forget the grant (on disconnect); a failure is not the person's problem."""
    try:
        http.request("Google", "POST", settings.GOOGLE_OAUTH_REVOKE_URL, data={"token": token})
    except (ServiceUnavailable, ServiceRefused, CredentialsRefused):
        pass


# --- the Gmail API -------------------------------------------------------------------------------


def _url(path: str) -> str:
    return f"{settings.GMAIL_API_URL.rstrip('/')}/gmail/v1/users/me{path}"


def api(method: str, path: str, *, token: str | None = None, **options) -> dict:
    """One Gmail API call with the workspace's token; refused once (an expired token): refreshed
    and tried again."""
    for attempt in (1, 2):
        bearer = token or access_token(force=attempt == 2)
        try:
            return http.request(
                SERVICE, method, _url(path), headers={"Authorization": f"Bearer {bearer}"}, **options
            )
        except CredentialsRefused:
            if token or attempt == 2:
                raise
    raise AssertionError("unreachable")


def profile(*, token: str | None = None) -> dict:
    """GET users/me/profile: the mailbox's address (proves the token works)."""
    return api("GET", "/profile", token=token)


def inbox_thread_ids(*, days: int, limit: int) -> list[str]:
    """The latest inbox threads' ids, newest first."""
    params = {"labelIds": "INBOX", "maxResults": limit, "q": f"newer_than:{days}d"}
    threads = api("GET", "/threads", params=params).get("threads") or []
    return [str(t["id"]) for t in threads if isinstance(t, dict) and THREAD_ID.match(str(t.get("id", "")))]


def thread_get(thread_id: str) -> dict:
    return api("GET", f"/threads/{thread_id}", params={"format": "full"})


def label_ids() -> dict[str, str]:
    """The mailbox's labels: name → id."""
    labels = api("GET", "/labels").get("labels") or []
    return {str(label.get("name")): str(label.get("id")) for label in labels if isinstance(label, dict)}


def label_create(name: str) -> str:
    body = {"name": name, "labelListVisibility": "labelShow", "messageListVisibility": "show"}
    return str(api("POST", "/labels", json=body)["id"])


def thread_label(thread_id: str, label_id: str) -> None:
    api("POST", f"/threads/{thread_id}/modify", json={"addLabelIds": [label_id]})


def draft_save(*, draft_id: str, thread_id: str, to: str, subject: str, body: str, in_reply_to: str) -> str:
    """A draft reply in the thread, never sent: `draft_id`'s content replaced, or a new draft
    when there is none (or it was deleted in Gmail); the draft's id."""
    message = EmailMessage()
    message["To"] = to
    message["Subject"] = subject if subject.lower().startswith("re:") else f"Re: {subject}"
    if in_reply_to:
        message["In-Reply-To"] = message["References"] = in_reply_to
    message.set_content(body)
    draft = {"message": {"raw": base64.urlsafe_b64encode(message.as_bytes()).decode(), "threadId": thread_id}}
    if draft_id:
        try:
            return str(
                api("PUT", f"/drafts/{draft_id}", json={"id": draft_id, **draft}).get("id") or draft_id
            )
        except ServiceRefused:
            pass  # deleted in Gmail meanwhile: a new one
    return str(api("POST", "/drafts", json=draft).get("id") or "")


# --- reading a thread ----------------------------------------------------------------------------


def _header(payload: dict, name: str) -> str:
    for header in payload.get("headers") or []:
        if isinstance(header, dict) and str(header.get("name", "")).lower() == name.lower():
            return str(header.get("value") or "")
    return ""


def _decoded(data: str) -> str:
    try:
        return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)).decode("utf-8", "replace")
    except (ValueError, TypeError):
        return ""


def _text(payload: dict) -> str:
    """A message's text: its text/plain part, else its HTML part with the tags removed (nothing
    in it is fetched or rendered)."""
    parts, plain, html = [payload], [], []
    while parts:
        part = parts.pop(0)
        if not isinstance(part, dict):
            continue
        parts.extend(part.get("parts") or [])
        data = (part.get("body") or {}).get("data")
        if data and part.get("mimeType") == "text/plain":
            plain.append(_decoded(data))
        elif data and part.get("mimeType") == "text/html":
            html.append(strip_tags(_decoded(data)))
    return "\n".join(plain or html).replace("\x00", "")[:BODY_MAX]


def thread_summary(thread: dict) -> dict:
    """What the inbox keeps of a thread: its first message's sender, subject and text, the last
    message's id to reply to, and when that message came (ms since the epoch)."""
    messages = [m for m in thread.get("messages") or [] if isinstance(m, dict)]
    if not messages:
        return {}
    first, last = messages[0].get("payload") or {}, messages[-1]
    name, address = parseaddr(_header(first, "From"))
    return {
        "gmail_id": str(thread.get("id") or ""),
        "sender": address[:254],
        "sender_name": name[:200],
        "subject": _header(first, "Subject")[:300],
        "body": _text(first),
        "reply_to_message": _header(last.get("payload") or {}, "Message-ID")[:300],
        "received_ms": int(last.get("internalDate") or 0),
    }
