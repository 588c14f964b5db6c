"""Operators' admin (public host): AI usage across workspaces.

`AIUsage` rows live in each workspace's schema, while the admin runs on the public schema, so the
stock change list cannot query them. This page replaces it with a read-only report computed per
workspace (`selectors.ai_usage_by_tenant`), filterable by workspace, provider, operation and outcome.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from apps.tenants.models import Tenant

from .models import AIUsage
from .providers import PROVIDERS
from .selectors import ai_usage_by_tenant

OUTCOMES = {"ok": True, "failed": False}


@admin.register(AIUsage)
class AIUsageAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        params = {key: request.GET.get(key, "") for key in ("tenant", "provider", "operation", "outcome")}
        tenants = Tenant.objects.exclude(schema_name="public").order_by("schema_name")
        selected = tenants.filter(schema_name=params["tenant"]) if params["tenant"] else tenants
        report = ai_usage_by_tenant(
            tenants=selected,
            provider=params["provider"],
            operation=params["operation"] if params["operation"] in AIUsage.Operation.values else "",
            ok=OUTCOMES.get(params["outcome"]),
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("AI usage"),
            "opts": self.model._meta,
            "report": [usage for usage in report if usage.rows],
            "params": params,
            "tenants": tenants,
            "providers": sorted(PROVIDERS),
            "operations": AIUsage.Operation.choices,
            "totals": {
                "calls": sum(usage.calls for usage in report),
                "failed": sum(usage.failed for usage in report),
                "cost": sum(usage.cost for usage in report),
            },
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/ai/aiusage/report.html", context)
