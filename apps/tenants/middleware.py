"""Resolve the workspace for each request: secret API key, publishable widget key, then the host."""

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import get_public_schema_name

from .models import ApiKey, Domain, Tenant
from .selectors import api_key_authenticate
from .services import tenant_url

WIDGET_API_PREFIX = "/api/v1/widget/"
ACCOUNT_PREFIX = "/accounts/"
LOGOUT_PATH = "/accounts/logout/"
DOMAIN_HANDOFF_PATH = "/handoff/domain/"


def bearer_token(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def widget_key(request) -> str | None:
    """The publishable key of a widget call: `?key=pk_…` (what the widget sends) or `X-Luneo-Key`."""
    return request.GET.get("key") or request.META.get("HTTP_X_LUNEO_KEY") or None


_public_tenant: Tenant | None = None


def public_tenant() -> Tenant:
    """The public schema's tenant row, read once per process (it never changes)."""
    global _public_tenant
    if _public_tenant is None:
        _public_tenant, _created = Tenant.objects.get_or_create(
            schema_name=get_public_schema_name(), defaults={"name": "Luneo"}
        )
    return _public_tenant


class TenantMiddleware(TenantMainMiddleware):
    """Sets `request.tenant` (and the schema) and `request.api_key` (None without a valid key).

    A request with a valid secret key runs in the key's workspace whatever the host; so does a
    widget call (`/api/v1/widget/…`) with a valid publishable key. An invalid, revoked or missing
    key leaves the decision to the API's authentication, which answers 401 in the one error format.
    """

    def process_request(self, request):
        request.api_key = None
        if request.path.startswith(WIDGET_API_PREFIX):
            expected, token = ApiKey.Type.PUBLISHABLE, widget_key(request)
        elif request.path.startswith("/api/"):
            expected, token = ApiKey.Type.SECRET, bearer_token(request)
        else:
            expected, token = None, None
        if token:
            api_key = api_key_authenticate(token)  # schema-qualified SQL: any search_path will do
            if api_key is not None and api_key.is_active and api_key.type == expected:
                request.api_key = api_key
                return self._activate(request, api_key.tenant)
        connection.set_schema_to_public()
        hostname = self.hostname_from_request(request)
        if hostname in settings.PUBLIC_HOSTS:
            return self._activate(request, public_tenant())
        domains = Domain.objects.select_related("tenant").filter(domain=hostname)
        domain = domains.filter(Q(is_primary=True) | Q(verified_at__isnull=False)).first()
        if domain is None:
            raise Http404(f'No workspace at "{hostname}"')
        if domain.is_custom and request.path.startswith(ACCOUNT_PREFIX) and request.path != LOGOUT_PATH:
            return account_page_elsewhere(request, domain.tenant)
        return self._activate(request, domain.tenant)

    def _activate(self, request, tenant: Tenant):
        request.tenant = tenant
        connection.set_tenant(tenant)
        self.setup_url_routing(request)


def account_page_elsewhere(request, tenant: Tenant):
    """Account pages (log in, sign up, password reset, e-mail confirmation) are never served on a
    custom domain, whose DNS its owner controls: they open on the workspace's Luneo host, and
    logging in there comes back to the custom domain with a one-time link (views.domain_handoff)."""
    if request.path == settings.LOGIN_URL:
        return redirect(
            tenant_url(tenant, f"{settings.LOGIN_URL}?{urlencode({'next': DOMAIN_HANDOFF_PATH})}")
        )
    return redirect(tenant_url(tenant, request.get_full_path()))


# Paths on a workspace host that people who are not (yet) members may open.
# /designs/assets/ links are signed and expiring: the token is the credential (apps/designs/downloads.py).
OPEN_PREFIXES = (
    *("/accounts/", "/invitations/", "/handoff/", "/static/", "/media/", "/i18n/", "/api/", "/ws/"),
    "/designs/assets/",
    "/designs/corrections/",  # a correction's "after" preview: signed and expiring, the same way
    "/widget/",  # the widget's script, 3D viewer, fonts and demo page, on every host
    "/orders/packs/",
    "/e/",  # links in campaign e-mails: click, unsubscribe (also when suspended), preferences, Brevo events
    "/copilot/connectors/whatsapp/status/",  # Twilio's status callbacks, checked by their signature
    "/copilot/connectors/whatsapp/inbound/",  # customers' WhatsApp replies, signed by Twilio the same way
)


class WorkspaceAccessMiddleware:
    """On a workspace host, pages need a logged-in member of that workspace.

    Sets `request.membership`. Suspended workspaces show one clear page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        tenant = getattr(request, "tenant", None)
        if tenant is None or tenant.schema_name == get_public_schema_name():
            return self.get_response(request)
        if request.path.startswith(OPEN_PREFIXES):
            return self.get_response(request)
        if not request.user.is_authenticated:
            return redirect(f"{settings.LOGIN_URL}?next={request.get_full_path()}")
        request.membership = tenant.memberships.filter(user=request.user).first()
        if request.membership is None:
            return render(request, "tenants/not_a_member.html", status=403)
        if not tenant.is_active:
            return render(request, "tenants/suspended.html", status=403)
        return self.get_response(request)
