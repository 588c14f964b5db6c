"""DRF authentication and permissions for API keys (resolved once, by TenantMiddleware)."""

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission

from apps.core.errors import ApplicationError

from .middleware import bearer_token
from .models import ApiKey
from .services import api_key_touch


class TenantSuspended(ApplicationError):
    code = "tenant_suspended"
    status = 403
    message = "This workspace is suspended. Contact Luneo support."


class InsufficientScope(ApplicationError):
    code = "insufficient_scope"
    status = 403
    message = "This API key does not have the scope this endpoint needs."


class ApiKeyAuthentication(BaseAuthentication):
    """`Authorization: Bearer sk_…`. `request.auth` is the ApiKey; `request.user` is None."""

    def authenticate(self, request):
        if bearer_token(request._request) is None:
            return None
        api_key: ApiKey | None = getattr(request._request, "api_key", None)
        if api_key is None:
            raise exceptions.AuthenticationFailed("Invalid, revoked or malformed API key.")
        if not api_key.tenant.is_active:
            raise TenantSuspended()
        api_key_touch(api_key=api_key)
        return (None, api_key)

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class HasApiKey(BasePermission):
    """A valid key, holding the scope the view declares for this method (if any).

    Views declare `required_scopes = {"GET": "account:read", "POST": "team:write"}`.
    """

    def has_permission(self, request, view) -> bool:
        if not isinstance(request.auth, ApiKey):
            raise exceptions.NotAuthenticated("Send your secret key as `Authorization: Bearer sk_…`.")
        scope = getattr(view, "required_scopes", {}).get(request.method)
        if scope and scope not in request.auth.scopes:
            raise InsufficientScope(details={"required_scope": scope, "key_scopes": request.auth.scopes})
        return True
