"""Operators' admin: support sessions ("view as", apps.accounts.support), read-only; open ones can
be ended. Imported by apps/accounts/admin.py."""

from django.contrib import admin, messages
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from apps.audit.models import AuditEntry

from .models import SupportSession
from .support import can_view_as, support_session_end


@admin.register(SupportSession)
class SupportSessionAdmin(admin.ModelAdmin):
    list_display = ["started_at", "tenant", "operator", "member", "allow_changes", "expires_at", "state"]
    list_filter = ["allow_changes", "end_reason", "tenant"]
    search_fields = ["tenant__schema_name", "tenant__name", "operator__email", "member__email", "reason"]
    list_select_related = ["tenant", "operator", "member"]
    readonly_fields = [
        "tenant",
        "operator",
        "member",
        "reason",
        "allow_changes",
        "started_at",
        "expires_at",
        "opened_at",
        "ended_at",
        "end_reason",
        "actions_recorded",
    ]
    actions = ["end_now"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("state"))
    def state(self, obj: SupportSession) -> str:
        if obj.ended_at is not None:
            return obj.get_end_reason_display()
        return _("open") if obj.is_active else _("expired")

    @admin.display(description=_("audit entries"))
    def actions_recorded(self, obj: SupportSession):
        entries = AuditEntry.objects.filter(object_type="accounts.supportsession", object_id=str(obj.pk))
        rows = [
            (
                entry.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                entry.get_action_display(),
                _changes(entry.changes),
            )
            for entry in entries.order_by("created_at", "pk")[:500]
        ]
        return format_html_join(mark_safe("<br>"), "{} · {} · {}", rows)

    def has_view_as_permission(self, request) -> bool:
        return can_view_as(request.user)

    @admin.action(description=_("End the selected support sessions now"), permissions=["view_as"])
    def end_now(self, request, queryset):
        ended = 0
        for session in queryset.filter(ended_at__isnull=True).select_related("tenant", "member"):
            support_session_end(session=session, reason=SupportSession.End.REVOKED)
            ended += 1
        messages.success(request, _("Support sessions ended: %(count)d.") % {"count": ended})


def _changes(changes) -> str:
    if not isinstance(changes, dict):
        return ""
    return "; ".join(
        f"{name}: {values[-1]}" for name, values in changes.items() if isinstance(values, list) and values
    )
