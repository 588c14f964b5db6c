"""API key scopes: `<area>:<read|write>`. A key may only use endpoints whose scope it holds."""

from django.utils.translation import gettext_lazy as _

SCOPES = {
    "account:read": _("Read the workspace, its members and invitations"),
    "team:write": _("Invite teammates"),
    "products:read": _("Read products"),
    "products:write": _("Create and change products"),
    "catalog:read": _("Read brands and the product catalog"),
    "catalog:write": _("Create and change brands and the product catalog"),
    "designs:read": _("Read designs"),
    "designs:write": _("Create designs"),
    "orders:read": _("Read orders"),
    "orders:write": _("Create and change orders"),
    "customers:read": _("Read customers"),
    "customers:write": _("Import and change customers"),
    "campaigns:read": _("Read audiences, e-mail templates and campaigns"),
    "campaigns:write": _("Create, change, send and stop campaigns, their audiences and templates"),
    "planner:read": _("Read marketing scenarios, their plans and exports"),
    "planner:write": _("Create and change marketing scenarios, generate plans and make campaign drafts"),
    "copilot:read": _("Read the key's copilot conversations"),
    "copilot:write": _("Ask the copilot and confirm the actions it proposes"),
    "webhooks:write": _("Manage webhook endpoints"),
}
ALL_SCOPES = list(SCOPES)
