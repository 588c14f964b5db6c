"""JSON and form posts to a connector's API (Notion, Twilio): one client, errors made clear.

The API roots are settings (NOTION_API_URL, TWILIO_API_URL), never a URL a workspace typed, so
requests go straight out (no SSRF guard needed) and never follow redirects.
"""

import httpx2
from django.conf import settings
from django.utils.translation import gettext as _

from .errors import CredentialsRefused, ServiceRefused, ServiceUnavailable

RETRY_AFTER_DEFAULT = 30


def retry_after(response: httpx2.Response) -> int:
    """Whole seconds a 429 asks to wait (its Retry-After), at least 1."""
    try:
        return max(1, int(float(response.headers.get("Retry-After", RETRY_AFTER_DEFAULT))))
    except ValueError:
        return RETRY_AFTER_DEFAULT


def request(service: str, method: str, url: str, *, refused: dict[int, str] | None = None, **options) -> dict:
    """Send one request to `service`'s API; its JSON answer (a dict), or an ApplicationError that
    says what happened: the credentials refused (401/403), a refusal (`refused` messages by
    status, else the service's own), a rate limit, the service down or too slow."""
    timeout = httpx2.Timeout(settings.CONNECTOR_TIMEOUT_SECONDS, connect=5.0)
    try:
        with httpx2.Client(timeout=timeout, follow_redirects=False) as client:
            response = client.request(method, url, **options)
    except httpx2.TimeoutException as exc:
        raise ServiceUnavailable(
            _("%(service)s did not answer in time: try again later.") % {"service": service}
        ) from exc
    except httpx2.HTTPError as exc:
        raise ServiceUnavailable(
            _("%(service)s cannot be reached: try again later.") % {"service": service}
        ) from exc
    status = response.status_code
    if status in (401, 403):
        raise CredentialsRefused(
            _("%(service)s refused the credentials: connect it again with valid ones.")
            % {"service": service},
            details={"status": status},
        )
    if status == 429:
        wait = retry_after(response)
        raise ServiceUnavailable(
            _("%(service)s is limiting requests: try again in %(seconds)d seconds.")
            % {"service": service, "seconds": wait},
            retry_after=wait,
            details={"status": status},
        )
    if status >= 500:
        raise ServiceUnavailable(
            _("%(service)s is not answering (error %(status)d): try again later.")
            % {"service": service, "status": status},
            details={"status": status},
        )
    body = _json(response)
    if status >= 400:
        said = str(body.get("message") or "")[:300]
        message = (refused or {}).get(status) or _("%(service)s refused the request: %(reason)s") % {
            "service": service,
            "reason": said or status,
        }
        raise ServiceRefused(message, details={"status": status, "code": str(body.get("code") or "")})
    return body


def _json(response: httpx2.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
