"""The billing tool: the plan, its limits and this month's usage — the Billing page's own selectors,
for admins and owners only, as the Billing page (`admin_required`)."""

from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.billing.entitlements import entitlements
from apps.billing.models import Feature, Subscription
from apps.billing.selectors import subscription_get, usage_list
from apps.tenants.models import Role

from .tools import Source, ToolResult, figure, params, tool


@tool(
    "plan_usage",
    label=gettext_lazy("Plan and usage"),
    description="The workspace's plan and subscription status, its features, and each limit with what is "
    "used of it: AI designs, campaign e-mails and AI text tokens this month; brands, seats and webhook "
    "endpoints now (allowed null means unlimited).",
    parameters=params(),
    role=Role.ADMIN,
)
def plan_usage(arguments: dict) -> ToolResult:
    tenant = connection.tenant
    rights = entitlements(tenant)
    subscription = subscription_get(tenant)
    data = {
        "plan": rights.plan.code,
        "plan_name": rights.plan.name,
        "status": rights.status,
        "trial_ends_at": figure(subscription.trial_ends_at) if subscription else None,
        "current_period_end": figure(subscription.current_period_end) if subscription else None,
        "features": sorted(rights.features),
        "overage": rights.overage,
        "usage": [
            {
                "limit": usage.limit,
                "label": str(usage.label),
                "used": usage.used,
                "allowed": usage.allowed,
                "percent": usage.percent,
            }
            for usage in usage_list(tenant)
        ],
    }
    status = (
        Subscription.Status(data["status"]).label
        if data["status"] in Subscription.Status.values
        else data["status"]
    )
    lines = [_("**Plan: %(plan)s** (%(status)s)") % {"plan": data["plan_name"], "status": status}]
    if data["status"] == Subscription.Status.TRIALING and data["trial_ends_at"]:
        lines.append(_("The trial ends on %(day)s.") % {"day": data["trial_ends_at"][:10]})
    for usage in data["usage"]:
        allowed = _("unlimited") if usage["allowed"] is None else usage["allowed"]
        lines.append(f"- {usage['label']}: {usage['used']} / {allowed}")
    features = ", ".join(str(Feature(code).label) for code in data["features"] if code in Feature.values)
    lines.append(_("Features: %(features)s") % {"features": features or _("none")})
    return ToolResult(data, "\n".join(lines), [Source(_("Billing"), reverse("dashboard:billing:page"))])
