"""Where webhooks may go, and the one POST that delivers them.

SSRF: with WEBHOOK_BLOCK_PRIVATE_NETWORKS (production), a URL whose host is, or resolves to,
an address that is not public (see apps.core.netguard) is refused when the endpoint is saved,
and every attempt goes through netguard's client, which checks the addresses it connects to
(so a name rebound to a private address after the check is refused too). Redirects are not
followed (a 3xx is a failed attempt), so a receiver cannot bounce us inward.
"""

import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx2
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from apps.core.netguard import AddressRefused, addresses_forbidden, addresses_resolve, guarded_client

from .errors import WebhookUrlForbidden, WebhookUrlInvalid
from .models import SNIPPET_LENGTH, WebhookAttempt

URL_MAX_LENGTH = 2000
SNIPPET_MAX_BYTES = 4 * SNIPPET_LENGTH  # UTF-8: at most 4 bytes a character
USER_AGENT = "Luneo-Webhooks/1.0"
Error = WebhookAttempt.Error


def url_validate(url: str) -> str:
    """The URL, stripped, if webhooks may be sent to it; else WebhookUrlInvalid or WebhookUrlForbidden."""
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except (ValidationError, ValueError):
        raise WebhookUrlInvalid() from None
    if len(url) > URL_MAX_LENGTH:
        raise WebhookUrlInvalid(_("The URL is limited to %(max)d characters.") % {"max": URL_MAX_LENGTH})
    if parts.username or parts.password:
        raise WebhookUrlInvalid(_("Leave credentials out of the URL; verify the signature instead."))
    if settings.WEBHOOK_BLOCK_PRIVATE_NETWORKS:
        try:
            addresses = addresses_resolve(parts.hostname, port)
        except OSError:
            raise WebhookUrlInvalid(_("The host of this URL could not be found.")) from None
        forbidden = addresses_forbidden(addresses)
        if forbidden:
            raise WebhookUrlForbidden(details={"address": str(forbidden[0])})
    return url


@dataclass(frozen=True)
class Outcome:
    """What one POST came to: a status code and the start of the body, or an error."""

    duration_ms: int
    status_code: int | None = None
    snippet: str = ""
    error: str = ""
    error_detail: str = ""


def _read_snippet(response: httpx2.Response) -> str:
    """The first SNIPPET_LENGTH characters of the body (read as UTF-8), reading no more than needed."""
    data = b""
    for chunk in response.iter_bytes():
        data += chunk
        if len(data) >= SNIPPET_MAX_BYTES:
            break
    return data[:SNIPPET_MAX_BYTES].decode("utf-8", errors="replace")[:SNIPPET_LENGTH]


def _cause(exc: BaseException, kind: type[BaseException]) -> BaseException | None:
    """`exc` or the first exception of type `kind` in what caused it."""
    while exc is not None and not isinstance(exc, kind):
        exc = exc.__cause__ or exc.__context__
    return exc


def _error(exc: Exception) -> tuple[str, str]:
    if isinstance(exc, AddressRefused):
        return Error.FORBIDDEN_ADDRESS, str(exc)
    dns_failure = _cause(exc, socket.gaierror)
    if dns_failure is not None:
        return Error.DNS, str(dns_failure)
    if isinstance(exc, httpx2.TimeoutException):
        return Error.TIMEOUT, f"no answer within {settings.WEBHOOK_TIMEOUT_SECONDS:g} s"
    if isinstance(exc, SoftTimeLimitExceeded):
        return Error.TIMEOUT, "the answer took longer than the task's time limit"
    tls_failure = _cause(exc, ssl.SSLError)
    if tls_failure is not None:
        return Error.TLS, str(tls_failure)
    if isinstance(exc, httpx2.ProtocolError | httpx2.DecodingError):
        return Error.PROTOCOL, str(exc)
    return Error.CONNECTION, str(exc) or type(exc).__name__


def post(*, url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    """POST `body` to `url` once (WEBHOOK_TIMEOUT_SECONDS per network step, no redirects, no proxy)."""
    started = time.monotonic()

    def elapsed() -> int:
        return round((time.monotonic() - started) * 1000)

    try:
        with (
            guarded_client(timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as client,
            client.stream(
                "POST", url, content=body, headers={**headers, "User-Agent": USER_AGENT}
            ) as response,
        ):
            snippet = _read_snippet(response)
            return Outcome(duration_ms=elapsed(), status_code=response.status_code, snippet=snippet)
    except (
        httpx2.TransportError,
        httpx2.DecodingError,
        OSError,
        SoftTimeLimitExceeded,
    ) as exc:
        # SoftTimeLimitExceeded: a receiver trickling its answer past the task's soft limit.
        error, detail = _error(exc)
        return Outcome(duration_ms=elapsed(), error=error, error_detail=detail[:300])
