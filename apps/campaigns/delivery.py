"""How campaign e-mail leaves Luneo: through Brevo's API (django-anymail) with the workspace's own
key, else the platform's `BREVO_API_KEY`, otherwise through the project's `EMAIL_BACKEND` (SMTP in
production, the console under `make run`, memory in tests)."""

import hashlib
from dataclasses import dataclass
from email.utils import formataddr

import dkim
from anymail.backends.base import AnymailBaseBackend
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as db_connection

from apps.core.crypto import decrypt

from .models import SendingSettings

BREVO_BACKEND = "anymail.backends.brevo.EmailBackend"


@dataclass(frozen=True)
class Rendered:
    """One message as a recipient gets it."""

    subject: str
    preheader: str
    html: str
    text: str
    language: str


def sending_settings() -> SendingSettings:
    """The workspace's settings (unsaved defaults when it has none)."""
    return SendingSettings.objects.first() or SendingSettings()


def brevo_key() -> str:
    """The Brevo API key in use: the workspace's, else the platform's ("" for none)."""
    own = sending_settings().brevo_api_key
    return decrypt(own) if own else settings.BREVO_API_KEY


def provider() -> str:
    """Who carries the mail, named as its send rate is shared: `brevo` (the platform's key),
    `brevo:<hash of the key>` (a workspace's own), `smtp:<host>` (the mail backend)."""
    own = sending_settings().brevo_api_key
    if own:
        return f"brevo:{hashlib.sha256(decrypt(own).encode()).hexdigest()[:16]}"
    return "brevo" if settings.BREVO_API_KEY else f"smtp:{settings.EMAIL_HOST}"


def mail_connection():
    """One connection for a batch of messages (SMTP keeps its session open across them)."""
    key = brevo_key()
    return get_connection(BREVO_BACKEND, api_key=key) if key else get_connection()


def rate_per_minute() -> int:
    return sending_settings().rate_per_minute or settings.CAMPAIGNS_RATE_PER_MINUTE


def sender() -> str:
    """`"<workspace name>" <address>`: recipients see the brand, not Luneo. The address is the
    workspace's sender address, else CAMPAIGNS_FROM_EMAIL."""
    tenant = getattr(db_connection, "tenant", None)
    address = sending_settings().from_email or settings.CAMPAIGNS_FROM_EMAIL
    return formataddr((getattr(tenant, "name", "") or "Luneo", address))


# What the signature covers: the unsubscribe headers too, so that no relay can change them.
DKIM_HEADERS = [
    b"From",
    b"To",
    b"Subject",
    b"Date",
    b"Message-ID",
    b"MIME-Version",
    b"Content-Type",
    b"List-Unsubscribe",
    b"List-Unsubscribe-Post",
]


class SignedMessage(EmailMultiAlternatives):
    """A message signed with the platform's DKIM key as it is serialised for SMTP."""

    def message(self, **kwargs):
        mime = super().message(**kwargs)
        signature = dkim.sign(
            mime.as_bytes(linesep="\r\n"),
            settings.DKIM_SELECTOR.encode(),
            settings.DKIM_DOMAIN.encode(),
            settings.DKIM_PRIVATE_KEY.encode(),
            canonicalize=(b"relaxed", b"relaxed"),
            include_headers=DKIM_HEADERS,
        )
        name, _sep, value = signature.decode().partition(":")
        mime[name] = " ".join(value.split())  # unfolded: relaxed canonicalisation ignores folding
        return mime


def _signs(connection) -> bool:
    """Mail is signed when DKIM is configured and it leaves through SMTP (Brevo signs its own)."""
    configured = settings.DKIM_DOMAIN and settings.DKIM_PRIVATE_KEY
    return bool(configured) and not isinstance(connection, AnymailBaseBackend)


def message_build(
    rendered: Rendered, *, to: str, headers: dict | None = None, connection=None, from_email: str = ""
):
    """The e-mail (plain text and HTML alternatives) ready to `send()`; `from_email` defaults to
    `sender()` (read it once for a batch)."""
    kind = SignedMessage if _signs(connection) else EmailMultiAlternatives
    message = kind(
        subject=rendered.subject,
        body=rendered.text,
        from_email=from_email or sender(),
        to=[to],
        headers=headers or {},
        connection=connection,
    )
    message.attach_alternative(rendered.html, "text/html")
    return message
