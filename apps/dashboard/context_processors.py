from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name

from apps.tenants.models import Role
from apps.tenants.services import public_url

# The dashboard's main navigation: (url name, label, icon).
NAVIGATION = [
    ("dashboard:home", _("Home"), "home"),
    ("dashboard:products", _("Products"), "box"),
    ("dashboard:designs", _("Designs"), "sparkles"),
    ("dashboard:orders:list", _("Orders"), "cart"),
    ("dashboard:crm:customers", _("Customers"), "users"),
    ("dashboard:crm_imports:list", _("Imports"), "copy"),
    ("dashboard:crm_imports:health", _("Data health"), "sparkles"),
    ("dashboard:campaigns:list", _("Campaigns"), "mail"),
    ("dashboard:planner:list", _("Marketing plans"), "sparkles"),
    ("dashboard:copilot:home", _("Copilot"), "chat"),
    ("accounts:settings", _("Settings"), "cog"),
]


def _navigation(path: str) -> list[dict]:
    items = []
    for name, label, icon in NAVIGATION:
        url = reverse(name)
        active = path == url if url == "/" else path.startswith(url)
        items.append({"url": url, "label": label, "icon": icon, "active": active})
    return items


def _other_workspaces(request, tenant) -> list:
    return list(
        request.user.memberships.select_related("tenant").exclude(tenant=tenant).order_by("tenant__name")
    )


def workspace(request) -> dict:
    """The current workspace, the member's role and the dashboard's navigation."""
    tenant = getattr(request, "tenant", None)
    membership = getattr(request, "membership", None)
    context = {
        "workspace": None,
        "membership": membership,
        "public_site_url": public_url("/"),
        "language_url": reverse("accounts:language"),
    }
    if tenant is None or tenant.schema_name == get_public_schema_name():
        return context
    context["workspace"] = tenant
    if membership is not None:
        context.update(
            can_manage=membership.has_role(Role.ADMIN),
            navigation=_navigation(request.path),
            other_workspaces=SimpleLazyObject(lambda: _other_workspaces(request, tenant)),
        )
    return context
