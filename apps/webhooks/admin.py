"""Operators' read-only view of a workspace's webhooks: endpoints, events, deliveries and attempts.

Signing secrets are never shown. Changes go through the dashboard or the API (the services).
"""

from django.contrib import admin

from apps.brands.admin import WorkspaceModelAdmin

from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent


class ReadOnlyAdmin(WorkspaceModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    fields = [
        "number",
        "started_at",
        "duration_ms",
        "status_code",
        "error",
        "error_detail",
        "response_snippet",
    ]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnlyAdmin):
    list_display = ["url", "events", "is_active", "disabled_reason", "disabled_at", "created_at"]
    list_filter = ["is_active", "disabled_reason"]
    search_fields = ["url", "description"]
    fields = ["url", "description", "events", "is_active", "disabled_at", "disabled_reason", "created_at"]


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "type", "created_at"]
    list_filter = ["type"]
    search_fields = ["public_id"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "event",
        "endpoint",
        "status",
        "attempt_count",
        "last_status_code",
        "next_attempt_at",
        "created_at",
    ]
    list_filter = ["status"]
    list_select_related = ["event", "endpoint"]
    search_fields = ["event__public_id", "endpoint__url"]
    inlines = [AttemptInline]
