"""The operators' moderation console (`/admin/console/moderation/`): designs of every workspace
that the pipeline flagged, that an operator rejected or that their brand reported, with prompt,
preview, reason and the brand's rules; approve, reject with a reason, retry; daily counts.

Designs live in each workspace's schema: the page reads each active workspace in turn, and each
action runs in the design's workspace through apps.designs' services (which write the review,
resolve the brand's reports and the audit entry).
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tenants.utils import tenant_context

from apps.ai.moderation import finding_labels
from apps.core.errors import ApplicationError
from apps.core.tasks import schemas_active
from apps.designs.models import DesignAsset, DesignReview
from apps.designs.selectors import (
    MODERATION_LISTS,
    design_get,
    design_thumbs,
    moderation_counts,
    moderation_designs,
)
from apps.designs.services import design_approve, design_moderation_retry, design_reject
from apps.designs.signing import asset_url
from apps.tenants.models import Tenant

ACTIONS = {"approve", "reject", "retry"}


def _tenants() -> list[Tenant]:
    return list(Tenant.objects.filter(schema_name__in=schemas_active()).order_by("schema_name"))


def _list_labels() -> dict[str, str]:
    return {
        "flagged": _("Flagged by moderation"),
        "rejected": _("Rejected by an operator"),
        "reported": _("Reported by brands"),
    }


def _row(tenant: Tenant, design, thumb) -> dict:
    brand = design.product.brand
    return {
        "tenant": tenant,
        "schema": tenant.schema_name,
        "id": design.public_id,
        "status": design.status,
        "status_label": design.get_status_display(),
        "product": design.product.name,
        "prompt": design.prompt,
        "texts": [layer.get("text", "") for layer in design.text_layers],
        "code": design.error_code,
        "reason": design.error_message,
        "findings": finding_labels(design.spec.get("moderation") or []),
        "thumb": asset_url(thumb) if thumb is not None else "",
        "brand": brand,
        "blocked_words": list(brand.blocked_words) if brand else [],
        "reports": design.open_reports,
        "created_at": design.created_at,
        "can_approve": design.status == "rejected",
        "can_retry": design.status in ("rejected", "failed"),
        "can_reject": design.status != "cancelled",
    }


def moderation_rows(which: str, *, limit: int | None = None) -> list[dict]:
    """The designs of list `which` across active workspaces, newest first, with signed previews."""
    limit = limit or settings.CONSOLE_MODERATION_LIMIT
    rows = []
    for tenant in _tenants():
        with tenant_context(tenant):
            designs = moderation_designs(which, limit=limit)
            previews = design_thumbs(designs, DesignAsset.Kind.PREVIEW_WEBP)
            thumbs = {**previews, **design_thumbs(designs)}
            rows += [_row(tenant, design, thumbs.get(design.pk)) for design in designs]
    return sorted(rows, key=lambda row: row["created_at"], reverse=True)[:limit]


COUNTED = [
    DesignReview.Action.FLAGGED,
    DesignReview.Action.REJECTED,
    DesignReview.Action.APPROVED,
    DesignReview.Action.RETRIED,
]


def moderation_daily(*, days: int | None = None) -> list[dict]:
    """One row a day, newest first, over `days` (CONSOLE_MODERATION_DAYS): how many designs were
    flagged, rejected, approved and retried in every workspace; `bar` (0-100) for the chart."""
    days = days or settings.CONSOLE_MODERATION_DAYS
    today = timezone.localdate()
    since = timezone.make_aware(
        timezone.datetime.combine(today - timedelta(days=days - 1), timezone.datetime.min.time())
    )
    totals: dict = defaultdict(int)
    for tenant in _tenants():
        with tenant_context(tenant):
            for key, count in moderation_counts(since).items():
                totals[key] += count
    rows = []
    for age in range(days):
        day = today - timedelta(days=age)
        counts = {action.value: totals.get((day, action.value), 0) for action in COUNTED}
        rows.append({"day": day, **counts, "total": sum(counts.values())})
    peak = max([row["total"] for row in rows] + [1])
    for row in rows:
        row["bars"] = {action.value: round(100 * row[action.value] / peak) for action in COUNTED}
    return rows


def moderation_page(request, model_admin):
    which = request.GET.get("list", "flagged")
    if which not in MODERATION_LISTS:
        which = "flagged"
    labels = _list_labels()
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Moderation"),
        "list": which,
        "lists": [(name, labels[name]) for name in MODERATION_LISTS],
        "rows": moderation_rows(which),
        "daily": moderation_daily(),
        "counted": [(action.value, action.label) for action in COUNTED],
        "days": settings.CONSOLE_MODERATION_DAYS,
    }
    return TemplateResponse(request, "admin/console/moderation.html", context)


@require_POST
def moderation_action(request, schema: str, design_id: str, action: str):
    """POST: approve, reject (with `reason`) or retry the design `design_id` of workspace `schema`."""
    tenant = Tenant.objects.filter(schema_name=schema, schema_name__in=schemas_active()).first()
    if action not in ACTIONS or tenant is None:
        raise Http404
    which = request.POST.get("list")
    back = (
        reverse("admin:console_moderation_changelist")
        + f"?list={which if which in MODERATION_LISTS else 'flagged'}"
    )
    with tenant_context(tenant):
        design = design_get(design_id)
        if design is None:
            raise Http404
        try:
            if action == "approve":
                design_approve(design=design, actor=request.user.pk)
                done = _("Design %(id)s approved: it goes on.")
            elif action == "reject":
                design_reject(design=design, reason=request.POST.get("reason", ""), actor=request.user.pk)
                done = _("Design %(id)s rejected with your reason.")
            else:
                design_moderation_retry(design=design, actor=request.user.pk)
                done = _("Design %(id)s starts again.")
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done % {"id": design_id})
    return redirect(back)
