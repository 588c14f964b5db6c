"""Operators' admin (public host) for models that live in each workspace's schema.

The admin runs in the public schema, where these tables do not exist. `WorkspaceModelAdmin`
asks the operator to pick a workspace (`?workspace=<slug>`, remembered in the session) and
runs each page, rendering included, inside that workspace's schema. The admin log (a public
table pointing at public content types) does not record changes made there.
"""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name, tenant_context

from apps.core import admin as core_admin
from apps.tenants.models import Tenant

from .models import Brand

SESSION_KEY = "admin_workspace"


class WorkspaceModelAdmin(core_admin.ModelAdmin):
    # Every page says which workspace is picked, with a "change workspace" link (`?workspace=`).
    change_list_template = "admin/brands/workspace_change_list.html"
    change_form_template = "admin/brands/workspace_change_form.html"
    delete_confirmation_template = "admin/brands/workspace_delete_confirmation.html"

    def _workspace(self, request) -> Tenant | None:
        if "workspace" in request.GET:
            request.session[SESSION_KEY] = request.GET["workspace"]
            request.GET = request.GET.copy()
            del request.GET["workspace"]
        slug = request.session.get(SESSION_KEY)
        return Tenant.objects.exclude(schema_name=get_public_schema_name()).filter(schema_name=slug).first()

    def _in_workspace(self, request, view, *args, **kwargs):
        tenant = self._workspace(request)
        if tenant is None:
            return self._choose_workspace(request)
        request.admin_workspace = tenant  # shown by the templates above
        with tenant_context(tenant):
            response = view(request, *args, **kwargs)
            if isinstance(response, TemplateResponse):
                response.render()
        return response

    def _choose_workspace(self, request):
        context = {
            **self.admin_site.each_context(request),
            "title": _("Choose a workspace"),
            "opts": self.model._meta,
            "tenants": Tenant.objects.exclude(schema_name=get_public_schema_name()).order_by("name"),
        }
        return TemplateResponse(request, "admin/brands/choose_workspace.html", context)

    def changelist_view(self, request, extra_context=None):
        tenant = self._workspace(request)
        extra_context = {
            **(extra_context or {}),
            "title": f"{self.model._meta.verbose_name_plural} · {tenant}",
        }
        return self._in_workspace(request, super().changelist_view, extra_context=extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self._in_workspace(request, super().changeform_view, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        return self._in_workspace(request, super().delete_view, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        return self._choose_workspace(request)

    def log_addition(self, request, obj, message):
        return None

    def log_change(self, request, obj, message):
        return None

    def log_deletions(self, request, queryset):
        return None


class ReadOnlyWorkspaceAdmin(WorkspaceModelAdmin):
    """Records operators look at, never edit: the workspace's own pages and the API change them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Brand)
class BrandAdmin(WorkspaceModelAdmin):
    list_display = ["name", "primary_color", "font", "default_language", "allow_photo_upload", "created_at"]
    search_fields = ["name"]
    readonly_fields = ["created_at", "updated_at"]
