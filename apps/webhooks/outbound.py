"""Where webhooks may go, and the one POST that delivers them.

SSRF: with WEBHOOK_BLOCK_PRIVATE_NETWORKS (production), a URL whose host is, or resolves to,
an address that is not public (private, loopback, link-local, multicast, reserved, shared,
unspecified, or such an IPv4 address mapped into IPv6) is refused when the endpoint is saved
and again before every attempt.

DNS rebinding: the host is resolved once per attempt, every address it resolves to is checked,
and the connection goes to the checked address (the URL's host is kept in `Host` and in TLS
SNI, so certificates are verified against the name). A name cannot answer a public address to
the check and a private one to the connection. The cost: no fallback to the host's other
addresses when the first one is down (IPv4 addresses are tried first), and no HTTP proxy.
Redirects are not followed (a 3xx is a failed attempt), so a receiver cannot bounce us inward.
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

from apps.core.netguard import IPAddress, address_allowed, addresses_resolve, ip_literal

from .errors import WebhookUrlForbidden, WebhookUrlInvalid
from .models import SNIPPET_LENGTH, WebhookAttempt

URL_MAX_LENGTH = 2000
SNIPPET_MAX_BYTES = 4 * SNIPPET_LENGTH  # UTF-8: at most 4 bytes a character
USER_AGENT = "Luneo-Webhooks/1.0"
Error = WebhookAttempt.Error


def _forbidden(addresses: list[IPAddress]) -> list[IPAddress]:
    if not settings.WEBHOOK_BLOCK_PRIVATE_NETWORKS:
        return []
    return [address for address in addresses if not address_allowed(address)]


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
        forbidden = _forbidden(addresses)
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


class AddressRefused(Exception):
    """The URL's host resolves to an address webhooks may not be sent to."""


def _pinned(url: str) -> tuple[httpx2.URL, dict, dict]:
    """The URL with its host replaced by a checked address, the Host header and the TLS name."""
    target = httpx2.URL(url)
    addresses = addresses_resolve(target.host, target.port or (443 if target.scheme == "https" else 80))
    forbidden = _forbidden(addresses)
    if forbidden:
        raise AddressRefused(str(forbidden[0]))
    headers = {"Host": target.netloc.decode("ascii")}
    extensions = (
        {"sni_hostname": target.host} if target.scheme == "https" and ip_literal(target.host) is None else {}
    )
    return target.copy_with(host=str(addresses[0])), headers, extensions


def _read_snippet(response: httpx2.Response) -> str:
    """The first SNIPPET_LENGTH characters of the body (read as UTF-8), reading no more than needed."""
    data = b""
    for chunk in response.iter_bytes():
        data += chunk
        if len(data) >= SNIPPET_MAX_BYTES:
            break
    return data[:SNIPPET_MAX_BYTES].decode("utf-8", errors="replace")[:SNIPPET_LENGTH]


def _error(exc: Exception) -> tuple[str, str]:
    if isinstance(exc, AddressRefused):
        return Error.FORBIDDEN_ADDRESS, f"{exc} is not a public address"
    if isinstance(exc, socket.gaierror):
        return Error.DNS, str(exc)
    if isinstance(exc, httpx2.TimeoutException):
        return Error.TIMEOUT, f"no answer within {settings.WEBHOOK_TIMEOUT_SECONDS:g} s"
    if isinstance(exc, SoftTimeLimitExceeded):
        return Error.TIMEOUT, "the answer took longer than the task's time limit"
    cause = exc
    while cause is not None and not isinstance(cause, ssl.SSLError):
        cause = cause.__cause__ or cause.__context__
    if cause is not None:
        return Error.TLS, str(cause)
    if isinstance(exc, httpx2.ProtocolError | httpx2.DecodingError):
        return Error.PROTOCOL, str(exc)
    return Error.CONNECTION, str(exc) or type(exc).__name__


def post(*, url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    """POST `body` to `url` once (WEBHOOK_TIMEOUT_SECONDS per network step, no redirects, no proxy)."""
    started = time.monotonic()

    def elapsed() -> int:
        return round((time.monotonic() - started) * 1000)

    try:
        target, host_header, extensions = _pinned(url)
        with (
            httpx2.Client(timeout=settings.WEBHOOK_TIMEOUT_SECONDS, trust_env=False) as client,
            client.stream(
                "POST",
                target,
                content=body,
                headers={**headers, **host_header, "User-Agent": USER_AGENT},
                extensions=extensions,
            ) as response,
        ):
            snippet = _read_snippet(response)
            return Outcome(duration_ms=elapsed(), status_code=response.status_code, snippet=snippet)
    except (
        httpx2.TransportError,
        httpx2.DecodingError,
        AddressRefused,
        OSError,
        SoftTimeLimitExceeded,
    ) as exc:
        # SoftTimeLimitExceeded: a receiver trickling its answer past the task's soft limit.
        error, detail = _error(exc)
        return Outcome(duration_ms=elapsed(), error=error, error_detail=detail[:300])
