"""DRF authentication and permissions for API keys (resolved once, by TenantMiddleware)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission

from apps.billing.entitlements import feature_require
from apps.billing.models import Feature
from apps.core.errors import ApplicationError

from .middleware import bearer_token, widget_key
from .models import ApiKey
from .services import api_key_touch


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
        if not api_key.tenant.is_active:
            raise TenantSuspended()
        feature_require(Feature.API, tenant=api_key.tenant)
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
        if scope and scope not in request.auth.scopes:
            raise InsufficientScope(details={"required_scope": scope, "key_scopes": request.auth.scopes})
        return True
