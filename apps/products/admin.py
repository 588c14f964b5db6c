"""Operators' admin for the catalog: pick a workspace, then its products (see apps/brands/admin.py)."""

from django.contrib import admin

from apps.brands.admin import WorkspaceModelAdmin
from apps.core.admin import TabularInline

from .models import Option, Product, Variant, View


class VariantInline(TabularInline):
    model = Variant
    extra = 0
    fields = ["name", "sku_suffix", "attributes", "price_delta"]


class ViewInline(TabularInline):
    model = View
    extra = 0
    fields = ["name", "variant", "area_shape", "area_points", "width_mm", "height_mm", "dpi", "blend_mode"]
    readonly_fields = (
        fields  # mockups and print areas are checked by the services: edit them in the dashboard
    )
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class OptionInline(TabularInline):
    model = Option
    extra = 0
    fields = ["name", "price_delta"]


@admin.register(Product)
class ProductAdmin(WorkspaceModelAdmin):
    list_display = ["sku", "name", "brand", "price", "currency", "status", "shape", "created_at"]
    list_filter = ["status", "shape", "currency"]
    search_fields = ["sku", "name"]
    readonly_fields = ["base_model", "created_at", "updated_at"]  # uploads go through the services
    inlines = [VariantInline, ViewInline, OptionInline]
