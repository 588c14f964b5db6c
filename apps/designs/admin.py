"""Operators' moderation queue: rejected designs of every workspace, with the reasons.

The admin lives on the public host while designs live in each workspace's schema, so this is
not a ModelAdmin changelist: one admin page (`/admin/designs/moderation/`, staff only) reads
each active workspace's rejected designs inside its schema and lists them together.

`DesignAdmin` is one workspace's designs at a time (`WorkspaceModelAdmin`'s picker), read-only.
"""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import schema_context

from apps.brands.admin import ReadOnlyWorkspaceAdmin
from apps.core.tasks import schemas_active

from .models import Design
from .selectors import design_thumb_urls

QUEUE_LIMIT = 200
QUEUE_STATUSES = {Design.Status.REJECTED, Design.Status.FAILED}


def moderation_queue_rows(*, status: str = Design.Status.REJECTED, limit: int = QUEUE_LIMIT) -> list[dict]:
    """The newest `status` designs across workspaces: schema, id, prompt, reason, date."""
    rows = []
    for schema in schemas_active():
        with schema_context(schema):
            designs = Design.objects.filter(status=status).select_related("product")[:limit]
            rows += [
                {
                    "schema": schema,
                    "id": design.public_id,
                    "product": design.product.name,
                    "prompt": design.prompt,
                    "code": design.error_code,
                    "reason": design.error_message,
                    "created_at": design.created_at,
                }
                for design in designs
            ]
    return sorted(rows, key=lambda row: row["created_at"], reverse=True)[:limit]


def moderation_queue(request):
    status = request.GET.get("status", Design.Status.REJECTED)
    if status not in QUEUE_STATUSES:
        status = Design.Status.REJECTED
    context = {
        **admin.site.each_context(request),
        "title": _("Design moderation queue"),
        "rows": moderation_queue_rows(status=status),
        "status": status,
        "statuses": [(value, Design.Status(value).label) for value in sorted(QUEUE_STATUSES)],
    }
    return TemplateResponse(request, "admin/designs/moderation_queue.html", context)


moderation_queue_view = admin.site.admin_view(moderation_queue)


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
