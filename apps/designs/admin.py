"""Operators' admin: one workspace's designs at a time (`WorkspaceModelAdmin`'s picker),
read-only. Moderation across workspaces is the console's (apps/console/moderation.py)."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from apps.brands.admin import ReadOnlyWorkspaceAdmin

from .models import Design
from .selectors import design_thumb_urls


@admin.register(Design)
class DesignAdmin(ReadOnlyWorkspaceAdmin):
    """A workspace's designs (`?workspace=<slug>`): status, product, prompt, created; thumbnails."""

    list_display = ["thumbnail", "public_id", "status", "product", "short_prompt", "created_at"]
    list_display_links = ["public_id"]
    list_filter = ["status", "created_at"]
    search_fields = ["public_id", "prompt"]
    list_select_related = ["product"]
    date_hierarchy = "created_at"
    fields = [
        "thumbnail",
        "public_id",
        "status",
        "step",
        "progress",
        "product",
        "variant",
        "prompt",
        "style",
        "error_code",
        "error_message",
        "provider",
        "created_by",
        "api_key_prefix",
        "parent",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("prompt"))
    def short_prompt(self, design: Design) -> str:
        return Truncator(design.prompt).chars(80)

    @admin.display(description=_("thumbnail"))
    def thumbnail(self, design: Design):
        url = design_thumb_urls([design.public_id]).get(design.public_id)  # a signed link, in this schema
        if not url:
            return "—"
        return format_html('<img src="{}" alt="" width="64" height="64" loading="lazy">', url)
