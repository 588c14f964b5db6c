"""DRF authentication and permissions for API keys (resolved once, by TenantMiddleware)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.throttling import BaseThrottle

from apps.billing.entitlements import feature_require
from apps.billing.models import Feature
from apps.core.api.ratelimit import rate_limit_hit
from apps.core.errors import ApplicationError
from apps.tenants.middleware import bearer_token, widget_key
from apps.tenants.models import ApiKey
from apps.tenants.services import api_key_touch


class TenantSuspended(ApplicationError):
    code = "tenant_suspended"
    status = 403
    message = _("This workspace is suspended. Contact Luneo support.")


class InsufficientScope(ApplicationError):
    code = "insufficient_scope"
    status = 403
    message = _("This API key does not have the scope this endpoint needs.")


class PublishableKeyNotAllowed(ApplicationError):
    code = "publishable_key_not_allowed"
    status = 403
    message = _("Publishable keys (pk_…) only work on widget endpoints. Use a secret key (sk_…).")


def api_key_admit(api_key: ApiKey) -> None:
    """What every use of a valid secret key passes, over HTTP and websockets alike.

    403 `tenant_suspended` for a suspended workspace, 402 `feature_not_in_plan` for a plan
    without API access.
    """
    if not api_key.tenant.is_active:
        raise TenantSuspended()
    feature_require(Feature.API, tenant=api_key.tenant)


def scope_require(api_key: ApiKey, scope: str) -> None:
    """403 `insufficient_scope` unless the key holds `scope`."""
    if scope not in api_key.scopes:
        raise InsufficientScope(details={"required_scope": scope, "key_scopes": api_key.scopes})


class ApiKeyAuthentication(BaseAuthentication):
    """`Authorization: Bearer sk_…`. `request.auth` is the ApiKey; `request.user` is None."""

    def authenticate(self, request):
        token = bearer_token(request._request)
        if (token or widget_key(request._request) or "").startswith("pk_"):
            raise PublishableKeyNotAllowed()
        if token is None:
            return None
        api_key: ApiKey | None = getattr(request._request, "api_key", None)
        if api_key is None:
            raise exceptions.AuthenticationFailed(_("Invalid, revoked or malformed API key."))
        api_key_admit(api_key)
        api_key_touch(api_key=api_key)
        return (None, api_key)

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "SecretKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A secret key of the workspace: `Authorization: Bearer sk_live_…`.",
        }


class HasApiKey(BasePermission):
    """A valid key, holding the scope the view declares for this method (if any).

    Views declare `required_scopes = {"GET": "account:read", "POST": "team:write"}`; HEAD needs
    what GET needs.
    """

    def has_permission(self, request, view) -> bool:
        if not isinstance(request.auth, ApiKey):
            raise exceptions.NotAuthenticated(_("Send your secret key as `Authorization: Bearer sk_…`."))
        method = "GET" if request.method == "HEAD" else request.method
        scope = getattr(view, "required_scopes", {}).get(method)
        if scope:
            scope_require(request.auth, scope)
        return True


class ApiKeyRateThrottle(BaseThrottle):
    """429 `rate_limited` with `Retry-After` once a key exceeds its budget. Requests without a key pass."""

    def allow_request(self, request, view) -> bool:
        self.retry_after = None
        if not isinstance(request.auth, ApiKey):
            return True
        self.retry_after = rate_limit_hit(
            bucket=(request.auth.tenant.schema_name, request.auth.prefix),
            limit=settings.API_RATE_LIMIT_REQUESTS,
            window=settings.API_RATE_LIMIT_WINDOW_SECONDS,
        )
        return self.retry_after is None

    def wait(self) -> int | None:
        return self.retry_after
