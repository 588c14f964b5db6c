"""Websocket counterpart of TenantMiddleware and WorkspaceAccessMiddleware (HTTP-only).

Sits inside Channels' session auth: from the Host header it finds the workspace (public hosts
→ the public tenant, unknown hosts refused at the handshake) and the user's membership in it,
and puts both in the scope for consumers:

    scope["tenant"]      Tenant
    scope["membership"]  Membership of scope["user"] in that tenant, or None
    scope["api_key"]     the secret key of an `Authorization: Bearer sk_…` header, or None
    scope["widget_key"]  on `/ws/widget/…`, the publishable key of `?key=pk_…` (else absent)

As for HTTP, a valid secret key picks the workspace whatever the host (an invalid one is refused
at the handshake); consumers that accept keys check its scopes (apps.designs.consumers). Widget
sockets take their workspace from the publishable key; apps.storefront.consumers checks the
Origin and the shopper session.
"""

from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port
from django_tenants.utils import get_public_schema_name, remove_www, schema_context

from .middleware import public_tenant
from .models import ApiKey, Domain, Membership, Tenant
from .selectors import api_key_authenticate


def scope_hostname(scope) -> str:
    """The Host header without port, as django-tenants reads it for HTTP."""
    for name, value in scope.get("headers", ()):
        if name == b"host":
            domain, _port = split_domain_port(value.decode("latin1"))
            return remove_www(domain)
    return ""


def scope_bearer(scope) -> str | None:
    """The token of an `Authorization: Bearer …` header (API clients; browsers cannot send one)."""
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, token = value.decode("latin1").partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                return token.strip()
    return None


def scope_widget_key(scope) -> str | None:
    """The `key` query parameter of a widget socket (browsers cannot send headers on websockets)."""
    if not scope.get("path", "").startswith("/ws/widget/"):
        return None
    return parse_qs(scope.get("query_string", b"").decode()).get("key", [""])[0] or ""


@database_sync_to_async
def api_key_resolve(token: str, key_type: str = ApiKey.Type.SECRET) -> ApiKey | None:
    """The active key `token` of `key_type` with its tenant, or None."""
    api_key = api_key_authenticate(token)
    if api_key is None or not api_key.is_active or api_key.type != key_type:
        return None
    return api_key


@database_sync_to_async
def workspace_resolve(hostname: str, user) -> tuple[Tenant | None, Membership | None]:
    with schema_context(get_public_schema_name()):
        if hostname in settings.PUBLIC_HOSTS:
            tenant = public_tenant()
        else:
            domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
            tenant = domain.tenant if domain is not None else None
        if tenant is None or user is None or not user.is_authenticated:
            return tenant, None
        return tenant, tenant.memberships.filter(user_id=user.pk).first()


class WorkspaceMiddleware(BaseMiddleware):
    async def __call__(self, scope, receive, send):
        widget_token = scope_widget_key(scope)
        if widget_token is not None:
            api_key = await api_key_resolve(widget_token, ApiKey.Type.PUBLISHABLE) if widget_token else None
            if api_key is None:
                return await WebsocketDenier.as_asgi()(scope, receive, send)
            keyed = {
                **scope,
                "tenant": api_key.tenant,
                "membership": None,
                "api_key": None,
                "widget_key": api_key,
            }
            return await super().__call__(keyed, receive, send)
        token = scope_bearer(scope)
        if token is not None:
            api_key = await api_key_resolve(token)
            if api_key is None:
                return await WebsocketDenier.as_asgi()(scope, receive, send)
            keyed = {**scope, "tenant": api_key.tenant, "membership": None, "api_key": api_key}
            return await super().__call__(keyed, receive, send)
        tenant, membership = await workspace_resolve(scope_hostname(scope), scope.get("user"))
        if tenant is None:
            return await WebsocketDenier.as_asgi()(scope, receive, send)
        workspace = {**scope, "tenant": tenant, "membership": membership, "api_key": None}
        return await super().__call__(workspace, receive, send)
