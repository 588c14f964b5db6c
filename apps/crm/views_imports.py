"""Dashboard pages for imports (upload, preview, live progress, history, report) and data health."""

import json

from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.core.csv_export import csv_download
from apps.core.errors import ApplicationError
from apps.tenants.decorators import member_required, role_required
from apps.tenants.models import Role

from .etl.fields import FIELDS
from .etl.reading import DELIMITERS, ENCODINGS
from .etl.reasons import LABELS
from .etl.selectors import import_get, import_list, rejection_list, rejection_table, rejections_filename
from .etl.services import import_create, import_payload, import_preview, import_report
from .health import TREND_METRICS, health_details, health_trend
from .models import Customer, Import
from .models.imports import Kind

editor_required = role_required(Role.EDITOR)
PAGE_SIZE = 25
LIVE = (Import.Status.QUEUED, Import.Status.RUNNING)
REJECTIONS_PAGE = 100


def _import_or_404(uuid) -> Import:
    found = import_get(uuid=uuid)
    if found is None:
        raise Http404
    return found


def _options(request) -> dict:
    """The upload form's fields: file, kind, source, encoding, delimiter, mapping (JSON)."""
    post = request.POST
    try:
        mapping = json.loads(post.get("mapping") or "{}")
    except ValueError:
        mapping = None
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise ApplicationError(_("The column mapping is not valid."), details={"field": "mapping"})
    if post.get("kind", "") not in ("", *Kind.values):
        raise ApplicationError(_("Unknown kind of import."), details={"field": "kind"})
    if post.get("encoding", "") not in ("", *ENCODINGS):
        raise ApplicationError(_("Unknown encoding."), details={"field": "encoding"})
    if post.get("delimiter", "") not in ("", *DELIMITERS):
        raise ApplicationError(_("Unknown delimiter."), details={"field": "delimiter"})
    upload = request.FILES.get("file")
    if upload is None:
        raise ApplicationError(_("Choose a file."), details={"field": "file"})
    return {
        "kind": post.get("kind", ""),
        "source": post.get("source", "")[:100],
        "encoding": post.get("encoding", ""),
        "delimiter": post.get("delimiter", ""),
        "mapping": mapping,
        "file": upload,
    }


def _live(import_run: Import) -> dict:
    """An import as the upload script follows it: its payload and where to read more."""
    return {
        **import_payload(import_run),
        "url": reverse("dashboard:crm_imports:detail", args=[import_run.uuid]),
        "status_url": reverse("dashboard:crm_imports:status", args=[import_run.uuid]),
    }


def _error(error: ApplicationError) -> JsonResponse:
    body = {"error": {"code": error.code, "message": str(error.message), "details": error.details}}
    return JsonResponse(body, status=error.status)


def _strings() -> dict:
    """What the upload script writes, in the reader's language."""
    return {
        "kind": _("Kind"),
        "encoding": _("Encoding"),
        "delimiter": _("Delimiter"),
        "source": _("Source (saves this mapping for its next files)"),
        "column": _("Column in the file"),
        "field": _("Field"),
        "ignored": _("(ignored)"),
        "line": _("Line"),
        "reason": _("Not loaded because"),
        "reread": _("Read again"),
        "start": _("Import"),
        "remove": _("Remove"),
        "queued": _("Queued"),
        "running": _("Running"),
        "done": _("Done"),
        "failed": _("Failed"),
        "report": _("See the report"),
        "summary": _(
            "%(rows_read)s rows read: %(created)s created, %(updated)s updated, "
            "%(unchanged)s unchanged, %(rejected)s rejected."
        ),
        "preview": _("The first rows, as they will be read"),
        "tab": _("Tab"),
    }


@member_required
def imports_page(request):
    page = Paginator(import_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "kinds": Kind.choices,
        "encodings": list(ENCODINGS),
        "fields": {kind: [field.name for field in fields] for kind, fields in FIELDS.items()},
        "can_import": request.membership.has_role(Role.EDITOR),
        "strings": _strings(),
        "live": [
            _live(run)
            for run in page.object_list
            if run.status in (Import.Status.QUEUED, Import.Status.RUNNING)
        ],
    }
    return render(request, "crm/imports.html", context)


@require_POST
@editor_required
def import_preview_view(request):
    try:
        options = _options(request)
        upload = options.pop("file")
        return JsonResponse(import_preview(stream=upload, **options))
    except ApplicationError as error:
        return _error(error)


@require_POST
@editor_required
def import_start_view(request):
    try:
        options = _options(request)
        import_run = import_create(created_by=request.user.pk, **options)
    except ApplicationError as error:
        return _error(error)
    return JsonResponse(_live(import_run), status=202)


@require_GET
@member_required
def import_status_view(request, uuid):
    return JsonResponse(import_payload(_import_or_404(uuid)))


@member_required
def import_detail_page(request, uuid):
    import_run = _import_or_404(uuid)
    rows = Paginator(rejection_list(import_run=import_run), REJECTIONS_PAGE).get_page(request.GET.get("page"))
    report = import_report(import_run)
    reasons_listed = [
        ({"code": code, "label": LABELS.get(code, code), "warning": warning}, count)
        for warning, counts in ((False, report["rejections"]), (True, report["warnings"]))
        for code, count in sorted(counts.items())
    ]
    context = {"import_run": import_run, "report": report, "page": rows, "reasons": reasons_listed}
    return render(request, "crm/imports_detail.html", context)


@require_GET
@member_required
def import_rejections_csv(request, uuid):
    import_run = _import_or_404(uuid)
    return csv_download(rejection_table(import_run), rejections_filename(import_run))


@member_required
def health_page(request):
    details = health_details()
    trend = health_trend()
    labels = {
        "customers": _("Customers"),
        "duplicate_emails": _("Shared e-mails"),
        "similar_names": _("Similar names"),
        "customers_without_sales": _("Customers without sales"),
        "products_never_sold": _("Products never sold"),
        "margin_above_price": _("Margin above price"),
        "future_dates": _("Future dates"),
    }
    chart = {
        "labels": [snap["taken_at"].strftime("%Y-%m-%d %H:%M") for snap in trend],
        "datasets": [
            {"label": str(labels[name]), "data": [snap.get(name, 0) for snap in trend]}
            for name in TREND_METRICS
            if name != "customers"
        ],
    }
    completeness = [
        (Customer._meta.get_field(name).verbose_name, percent)
        for name, percent in details["completeness"].items()
    ]
    context = {
        "health": details,
        "completeness": completeness,
        "labels": labels,
        "chart": chart,
        "has_trend": len(trend) > 1,
    }
    return render(request, "crm/health.html", context)
