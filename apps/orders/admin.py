"""Operators' admin for orders: pick a workspace, then its orders (read-mostly).

Statuses move only through `services.order_transition` (the dashboard or the API), so the admin
shows orders, their items and history without letting operators edit them.
"""

from django.contrib import admin

from apps.brands.admin import WorkspaceModelAdmin

from .models import Order, OrderItem, OrderStatusChange
from .selectors import order_number_parse


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class OrderItemInline(ReadOnlyInline):
    model = OrderItem
    fields = ["title", "sku", "design", "options", "quantity", "unit_price", "total"]


class OrderStatusChangeInline(ReadOnlyInline):
    model = OrderStatusChange
    fields = ["created_at", "from_status", "to_status", "actor", "note"]


@admin.register(Order)
class OrderAdmin(WorkspaceModelAdmin):
    list_display = [
        "__str__",
        "status",
        "source",
        "customer_email",
        "total",
        "currency",
        "pack_status",
        "created_at",
    ]
    list_filter = ["status", "source", "pack_status"]
    search_fields = ["customer_email", "customer_name", "external_ref"]
    date_hierarchy = "created_at"
    fields = [
        ("status", "source", "external_ref"),
        ("customer_name", "customer_email", "customer_phone"),
        "shipping_address",
        "billing_address",
        ("currency", "subtotal", "shipping_total", "total"),
        "note",
        ("pack_status", "pack_built_at", "pack_error"),
        ("api_key_prefix", "shopper_session"),
        ("created_at", "updated_at"),
    ]
    readonly_fields = [
        name
        for group in fields
        for name in ([group] if isinstance(group, str) else group)
        if name != "note"  # operators may annotate; everything else goes through the services
    ]
    inlines = [OrderItemInline, OrderStatusChangeInline]

    def get_search_results(self, request, queryset, search_term):
        """Also find an order by its number, `LU-000123` or `123`."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        number = order_number_parse(search_term)
        if number is not None:
            found |= queryset.filter(number=number)
        return found, may_have_duplicates

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
