"""The dashboard home: KPIs and charts for a period (an htmx partial on switching), exports, weekly report."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.billing.entitlements import entitlements
from apps.billing.models import Feature
from apps.designs.models import Design
from apps.tenants.models import Role
from apps.tenants.services import membership_weekly_report_set
from apps.tenants.views import member_required, role_required

from . import reports, selectors
from .forms import PeriodForm

owner_required = role_required(Role.OWNER)


def _funnel_chart(rows: list[dict]) -> dict:
    steps = [("prompts", _("Prompts")), ("previews", _("Preview ready")), ("carts", _("Added to cart"))]
    steps.append(("orders", _("Ordered")))
    rows = rows[1:]  # without the total
    labels = [row["label"] or _("No style") for row in rows]
    return {
        "labels": labels,
        "datasets": [{"label": label, "data": [row[key] for row in rows]} for key, label in steps],
    }


def _charts(data: dict) -> dict:
    """The charts' data and translated labels, read by static/js/analytics.js."""
    currency, series = data["kpis"]["currency"], data["series"]
    statuses = data["designs_by_status"]
    return {
        "timeline": {
            "labels": series["days"],
            "datasets": [
                {"label": _("Revenue (%(currency)s)") % {"currency": currency}, "data": series["revenue"]},
                {"label": _("Orders"), "data": series["orders"]},
            ],
        },
        "statuses": {
            "labels": [str(Design.Status(status).label) for status in statuses],
            "datasets": [{"label": _("Designs"), "data": list(statuses.values())}],
        },
        "funnel_style": _funnel_chart(data["funnel_by_style"]),
        "funnel_product": _funnel_chart(data["funnel_by_product"]),
    }


def _context(request) -> dict:
    form = PeriodForm(request.GET or None)
    period = form.chosen()
    context = {
        "form": form,
        "query": form.query(),
        "analytics": entitlements(request.tenant).has(Feature.ANALYTICS),
    }
    if context["analytics"]:
        data = selectors.dashboard(period)
        return {**context, **data, "charts": _charts(data)}
    return {**context, "period": period, "kpis": selectors.kpis(period)}


@member_required
def home(request):
    template = "analytics/partials/panel.html" if request.htmx else "analytics/home.html"
    return render(request, template, _context(request))


def _file(content, *, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _export_name(request, kind: str, period: selectors.Period, extension: str) -> str:
    return f"{slugify(request.tenant.schema_name)}-{kind}-{period.start}-{period.end}.{extension}"


def _period_for_export(request):
    """The period asked for, if the plan includes analytics exports (else None)."""
    if not entitlements(request.tenant).has(Feature.ANALYTICS):
        return None
    return PeriodForm(request.GET or None).chosen()


@member_required
def export_kpis(request):
    period = _period_for_export(request)
    if period is None:
        return redirect("dashboard:billing:page")
    name = _export_name(request, "kpis", period, "csv")
    return _file(reports.kpis_csv(period), name=name, content_type="text/csv; charset=utf-8")


@member_required
def export_orders(request):
    period = _period_for_export(request)
    if period is None:
        return redirect("dashboard:billing:page")
    name = _export_name(request, "orders", period, "csv")
    return _file(reports.orders_csv(period), name=name, content_type="text/csv; charset=utf-8")


@member_required
def export_report(request):
    period = _period_for_export(request)
    if period is None:
        return redirect("dashboard:billing:page")
    pdf = reports.report_pdf(workspace=request.tenant.name, period=period)
    return _file(pdf, name=_export_name(request, "report", period, "pdf"), content_type="application/pdf")


@owner_required
@require_POST
def weekly_report(request):
    membership_weekly_report_set(membership=request.membership, enabled=request.POST.get("enabled") == "on")
    return redirect("dashboard:home")
