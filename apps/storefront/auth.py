"""Who may call the widget's API: a publishable key, from one of its brand's allowed origins.

`WidgetKeyAuthentication` accepts only the `pk_…` key TenantMiddleware resolved for
`/api/v1/widget/…`; `AllowedOrigin` then requires the browser's `Origin` to be one of the
brand's allowed origins and sets `request.brand`. `WidgetRateThrottle` counts requests per key
and shopper IP. `shopper_session(request)` reads the `X-Luneo-Session` token.
"""

from urllib.parse import urlsplit

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.throttling import BaseThrottle

from apps.accounts.authentication import TenantSuspended
from apps.core.api.ratelimit import rate_limit_hit
from apps.core.errors import ApplicationError
from apps.tenants.models import ApiKey

from .errors import OriginNotAllowed, PublishableKeyInvalid, SessionInvalid
from .selectors import widget_brand
from .sessions import session_read

SESSION_HEADER = "HTTP_X_LUNEO_SESSION"


def request_origin(request) -> str:
    """The page's origin: its Origin header or, on a same-origin GET (browsers send none), its Referer's."""
    origin = request.META.get("HTTP_ORIGIN")
    if origin:
        return origin
    referer = urlsplit(request.META.get("HTTP_REFERER", ""))
    return f"{referer.scheme}://{referer.netloc}" if referer.scheme and referer.netloc else ""


def origin_allowed(request) -> bool:
    """Whether the request's Origin is one of its publishable key's brand's allowed origins."""
    api_key = getattr(request, "api_key", None)
    if api_key is None or api_key.type != ApiKey.Type.PUBLISHABLE:
        return False
    brand = widget_brand(api_key)
    return brand is not None and request_origin(request) in brand.allowed_origins


class WidgetKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        api_key = getattr(request._request, "api_key", None)
        if api_key is None or api_key.type != ApiKey.Type.PUBLISHABLE:
            raise readable_by_page(request, PublishableKeyInvalid())
        if not api_key.tenant.is_active:
            raise readable_by_page(request, TenantSuspended())
        return (None, api_key)

    def authenticate_header(self, request) -> str:
        return 'Key realm="widget"'


class WidgetKeyScheme(OpenApiAuthenticationExtension):
    target_class = WidgetKeyAuthentication
    name = "PublishableKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "query",
            "name": "key",
            "description": (
                "A brand's publishable key (`pk_live_…`), from a page on one of the brand's allowed "
                "origins (the browser's `Origin` header is checked)."
            ),
        }


def readable_by_page(request, error: ApplicationError) -> ApplicationError:
    """`error`, answered with CORS headers (storefront.cors): the widget tells the merchant what to fix."""
    request._request.cors_error = True
    return error


class AllowedOrigin(BasePermission):
    def has_permission(self, request, view) -> bool:
        brand = widget_brand(request.auth)
        if brand is None:
            raise readable_by_page(request, PublishableKeyInvalid())
        if request_origin(request._request) not in brand.allowed_origins:
            raise readable_by_page(
                request, OriginNotAllowed(details={"origin": request_origin(request._request) or None})
            )
        request.brand = brand
        return True


def client_ip(request) -> str:
    """The shopper's address: REMOTE_ADDR, or the one our TRUSTED_PROXY_COUNT proxies saw.

    Each trusted proxy appends the address it received from; entries further left came from
    the client and may be forged, so they are never used.
    """
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if hops and len(forwarded) >= hops:
        return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")


class WidgetRateThrottle(BaseThrottle):
    """429 `rate_limited` once a key × shopper IP exceeds WIDGET_RATE_LIMIT_REQUESTS per window."""

    def allow_request(self, request, view) -> bool:
        self.retry_after = rate_limit_hit(
            bucket=("widget", request.auth.tenant.schema_name, request.auth.prefix, client_ip(request)),
            limit=settings.WIDGET_RATE_LIMIT_REQUESTS,
            window=settings.WIDGET_RATE_LIMIT_WINDOW_SECONDS,
        )
        return self.retry_after is None

    def wait(self) -> int | None:
        return self.retry_after


def designs_throttle(request) -> int | None:
    """Designs cost generation: per key × shopper IP, WIDGET_DESIGNS_PER_HOUR. Seconds to wait, or None."""
    return rate_limit_hit(
        bucket=("widget-designs", request.auth.tenant.schema_name, request.auth.prefix, client_ip(request)),
        limit=settings.WIDGET_DESIGNS_PER_HOUR,
        window=3600,
    )


def shopper_session(request) -> str:
    """The session id of the request's `X-Luneo-Session` token; 401 `session_invalid` without one."""
    session_id = session_read(
        request.META.get(SESSION_HEADER),
        schema=request.auth.tenant.schema_name,
        brand_id=request.brand.pk,
    )
    if session_id is None:
        raise SessionInvalid()
    return session_id
