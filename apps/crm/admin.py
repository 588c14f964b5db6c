"""Operators' admin (public host): one workspace's CRM customers at a time (`WorkspaceModelAdmin`'s
picker, `?workspace=<slug>`), read-only: imports and the workspace's own pages change them."""

from django.contrib import admin

from apps.brands.admin import ReadOnlyWorkspaceAdmin

from .models import Customer


@admin.register(Customer)
class CustomerAdmin(ReadOnlyWorkspaceAdmin):
    list_display = [
        "__str__",
        "external_id",
        "email",
        "city",
        "country",
        "source",
        "marketing_consent",
        "created_at",
    ]
    list_filter = ["source", "country", "marketing_consent"]
    search_fields = ["external_id", "email", "first_name", "last_name", "city"]
    date_hierarchy = "created_at"
    exclude = ["row_hash"]
