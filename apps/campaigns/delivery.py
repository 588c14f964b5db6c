"""How campaign e-mail leaves Luneo: through Brevo's API (django-anymail) when `BREVO_API_KEY` is
set, otherwise through the project's `EMAIL_BACKEND` (SMTP in production, the console under
`make run`, memory in tests)."""

from dataclasses import dataclass
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as db_connection

BREVO_BACKEND = "anymail.backends.brevo.EmailBackend"


@dataclass(frozen=True)
class Rendered:
    """One message as a recipient gets it."""

    subject: str
    preheader: str
    html: str
    text: str
    language: str


def mail_connection():
    """One connection for a batch of messages (SMTP keeps its session open across them)."""
    if settings.BREVO_API_KEY:
        return get_connection(BREVO_BACKEND, api_key=settings.BREVO_API_KEY)
    return get_connection()


def sender() -> str:
    """`"<workspace name>" <CAMPAIGNS_FROM_EMAIL>`: recipients see the brand, not Luneo."""
    tenant = getattr(db_connection, "tenant", None)
    return formataddr((getattr(tenant, "name", "") or "Luneo", settings.CAMPAIGNS_FROM_EMAIL))


def message_build(rendered: Rendered, *, to: str, headers: dict | None = None, connection=None):
    """The e-mail (plain text and HTML alternatives) ready to `send()`."""
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=sender(),
        to=[to],
        headers=headers or {},
        connection=connection,
    )
    message.attach_alternative(rendered.html, "text/html")
    return message
