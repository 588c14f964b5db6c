"""Websocket counterpart of TenantMiddleware and WorkspaceAccessMiddleware (HTTP-only).

Sits inside Channels' session auth: from the Host header it finds the workspace (public hosts
→ the public tenant, unknown hosts refused at the handshake) and puts it in the scope for
consumers, with the key the socket presents:

    scope["tenant"]      Tenant
    scope["api_key"]     the secret key of an `Authorization: Bearer sk_…` header, or None
    scope["widget_key"]  on `/ws/widget/…`, the publishable key of `?key=pk_…` (else absent)

As for HTTP, a valid secret key picks the workspace whatever the host (an invalid one is refused
at the handshake). Sockets without a key are browsers holding a session cookie: their Origin
must be the very host they open on (a workspace's own host, or its verified custom domain),
so no other site, and no other workspace, can open a socket with the member's cookie; API
clients send no Origin and need none. Widget sockets take their workspace from the
publishable key; apps.storefront.consumers checks the Origin and the shopper session.

`access_refusal` is what consumers ask, when a socket opens and again whenever its access may
have changed (apps.accounts.consumers): the rules of REST, on fresh rows.
"""

from importlib import import_module
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.contrib.auth import get_user
from django.db.models import Q
from django.http.request import split_domain_port
from django_tenants.utils import get_public_schema_name, remove_www, schema_context

from apps.billing.entitlements import entitlements_forget
from apps.core.errors import ApplicationError
from apps.core.notifications import access_group
from apps.tenants.middleware import public_tenant
from apps.tenants.models import ApiKey, Domain, Tenant
from apps.tenants.selectors import api_key_authenticate

from .authentication import api_key_admit, scope_require
from .support import SESSION_KEY as SUPPORT_SESSION_KEY
from .support import support_session_current


def scope_header(scope, name: bytes) -> str:
    """A request header of the handshake ("" when absent)."""
    return next((value.decode("latin1") for key, value in scope.get("headers", ()) if key == name), "")


def scope_hostname(scope) -> str:
    """The Host header without port, as django-tenants reads it for HTTP."""
    domain, _port = split_domain_port(scope_header(scope, b"host"))
    return remove_www(domain)


def origin_is_own_host(scope) -> bool:
    """Whether the handshake's Origin names the host the socket opens on (ports aside)."""
    host, _port = split_domain_port(scope_header(scope, b"host"))
    try:
        origin = urlsplit(scope_header(scope, b"origin")).hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False
    return bool(host) and origin == host


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
def workspace_resolve(hostname: str) -> Tenant | None:
    """The workspace served on `hostname` (its own host or verified custom domain), as for HTTP."""
    with schema_context(get_public_schema_name()):
        if hostname in settings.PUBLIC_HOSTS:
            return public_tenant()
        domains = Domain.objects.select_related("tenant").filter(domain=hostname)
        domain = domains.filter(Q(is_primary=True) | Q(verified_at__isnull=False)).first()
        return domain.tenant if domain is not None else None


class WorkspaceMiddleware(BaseMiddleware):
    async def __call__(self, scope, receive, send):
        widget_token = scope_widget_key(scope)
        if widget_token is not None:
            api_key = await api_key_resolve(widget_token, ApiKey.Type.PUBLISHABLE) if widget_token else None
            if api_key is None:
                return await WebsocketDenier.as_asgi()(scope, receive, send)
            keyed = {**scope, "tenant": api_key.tenant, "api_key": None, "widget_key": api_key}
            return await super().__call__(keyed, receive, send)
        token = scope_bearer(scope)
        if token is not None:
            api_key = await api_key_resolve(token)
            if api_key is None:
                return await WebsocketDenier.as_asgi()(scope, receive, send)
            keyed = {**scope, "tenant": api_key.tenant, "api_key": api_key}
            return await super().__call__(keyed, receive, send)
        tenant = await workspace_resolve(scope_hostname(scope))
        if tenant is None or not origin_is_own_host(scope):
            return await WebsocketDenier.as_asgi()(scope, receive, send)
        workspace = {**scope, "tenant": tenant, "api_key": None}
        return await super().__call__(workspace, receive, send)


def access_groups(scope) -> list[str]:
    """The access groups of a socket: its workspace's, and its key's or its member's."""
    schema = scope["tenant"].schema_name
    key = scope.get("api_key") or scope.get("widget_key")
    if key is not None:
        return [access_group(schema), access_group(schema, key_id=key.pk)]
    user = scope.get("user")
    if user is not None and user.is_authenticated:
        return [access_group(schema), access_group(schema, user_id=user.pk)]
    return [access_group(schema)]


@database_sync_to_async
def access_refusal(scope, *, key_scope: str | None) -> int | None:
    """The HTTP status REST would refuse this socket's principal with now, or None if it may go on.

    Reads the workspace, the key or the membership afresh (not from the handshake or the
    process's caches, whose entitlements it forgets) and applies the rules of REST: a secret
    key must be active (401), its workspace active (403) with API access in its plan (402), and
    hold `key_scope` (403; None: the socket is for members only); a publishable key must be
    active (401) in an active workspace (403); otherwise the session must still log the same
    person in (401: logged out, deactivated, password changed) and they must be a member of the
    active workspace (403).
    """
    with schema_context(get_public_schema_name()):
        tenant = Tenant.objects.filter(pk=scope["tenant"].pk).first()
        if tenant is None:
            return 403
        entitlements_forget(tenant)
        handshake_key = scope.get("api_key") or scope.get("widget_key")
        if handshake_key is None:
            return _member_refusal(scope, tenant)
        api_key = ApiKey.objects.filter(pk=handshake_key.pk).first()
        if api_key is None or not api_key.is_active:
            return 401
        api_key.tenant = tenant
        if api_key.type == ApiKey.Type.PUBLISHABLE:
            return None if tenant.is_active else 403
        return _secret_key_refusal(api_key, key_scope)


def _member_refusal(scope, tenant: Tenant) -> int | None:
    user, session = _session_user(scope)
    if not user.is_authenticated or user.pk != scope["user"].pk:
        return 401
    member_id = user.pk
    if SUPPORT_SESSION_KEY in session:  # an operator's support access: the member's socket, until it ends
        support = support_session_current(
            session_id=session[SUPPORT_SESSION_KEY], tenant=tenant, operator=user
        )
        if support is None:
            return 403
        member_id = scope["support_member_id"] = support.member_id
        scope["support_expires_at"] = support.expires_at
    if not tenant.is_active or not tenant.memberships.filter(user_id=member_id).exists():
        return 403
    return None


def _session_user(scope):
    """Who the socket's session logs in now, read afresh as Django reads it for a request, and the session.

    Nobody (AnonymousUser) once the session is gone (logged out), the person is inactive, or
    their password changed since (the session's auth hash no longer matches). Read in the
    workspace's schema, as HTTP requests to its host wrote it: cache keys carry the schema.
    """
    session_store = import_module(settings.SESSION_ENGINE).SessionStore
    with schema_context(scope["tenant"].schema_name):
        session = session_store(scope["session"].session_key)
        return get_user(SimpleNamespace(session=session)), session


def _secret_key_refusal(api_key: ApiKey, key_scope: str | None) -> int | None:
    if key_scope is None:
        return 403
    try:
        api_key_admit(api_key)
        scope_require(api_key, key_scope)
    except ApplicationError as error:
        return error.status
    return None
