"""The console's admin, on the Luneo site (apps/console/site.py): workspaces, failed tasks (filters,
retry), and the Moderation and Jobs pages, each the changelist of a proxy model so that the index
lists them in their sections."""

from django.contrib import admin, messages
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.core.errors import ApplicationError
from apps.tenants.models import Tenant

from .failures import failed_task_retry
from .jobs import jobs_page
from .models import FailedTask, Jobs, Moderation
from .moderation import moderation_action, moderation_page
from .workspaces import WorkspaceAdmin

admin.site.register(Tenant, WorkspaceAdmin)


class RetriedFilter(admin.SimpleListFilter):
    title = _("retried")
    parameter_name = "retried"

    def lookups(self, request, model_admin):
        return [("no", _("Not retried")), ("yes", _("Retried"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(retried_at__isnull=self.value() == "no")
        return queryset


@admin.register(FailedTask)
class FailedTaskAdmin(admin.ModelAdmin):
    list_display = ["task_name", "schema_name", "exception_short", "created_at", "retried_at"]
    list_filter = [RetriedFilter, "task_name", "schema_name", "created_at"]
    search_fields = ["task_name", "task_id", "exception", "schema_name"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "task_name",
        "task_id",
        "schema_name",
        "args",
        "kwargs",
        "redacted",
        "exception",
        "traceback",
        "created_at",
        "retried_at",
        "retry_task_id",
    ]
    fields = readonly_fields
    actions = ["retry"]

    @admin.display(description=_("exception"))
    def exception_short(self, obj) -> str:
        return obj.exception if len(obj.exception) <= 120 else obj.exception[:119] + "…"

    @admin.action(description=_("Retry once: re-send with the same arguments, in the same workspace"))
    def retry(self, request, queryset):
        sent = 0
        for failed in queryset:
            try:
                failed_task_retry(failed)
            except ApplicationError as exc:
                self.message_user(request, f"{failed}: {exc.message}", messages.ERROR)
            else:
                sent += 1
        if sent:
            message = ngettext("%(count)d task re-sent.", "%(count)d tasks re-sent.", sent) % {"count": sent}
            self.message_user(request, message, messages.SUCCESS)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


class PageAdmin(admin.ModelAdmin):
    """A proxy's changelist replaced by one page (`page(request, model_admin)`)."""

    page = None

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def changelist_view(self, request, extra_context=None):
        return type(self).page(request, self)


@admin.register(Moderation)
class ModerationAdmin(PageAdmin):
    page = staticmethod(moderation_page)

    def get_urls(self):
        action = self.admin_site.admin_view(moderation_action)
        return [
            path("<str:schema>/<str:design_id>/<str:action>/", action, name="console_moderation_action"),
            *super().get_urls(),
        ]


@admin.register(Jobs)
class JobsAdmin(PageAdmin):
    page = staticmethod(jobs_page)
