"""The dashboard home: KPIs and charts for a period (an htmx partial on switching), exports, weekly report."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.billing.entitlements import entitlements
from apps.billing.models import Feature
from apps.designs.models import Design
from apps.tenants.decorators import member_required, role_required
from apps.tenants.models import Role
from apps.tenants.services import membership_weekly_report_set

from . import reports, selectors
from .forms import PeriodForm
from .onboarding import onboarding

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
    if request.htmx:
        return render(request, "analytics/partials/panel.html", _context(request))
    context = {**_context(request), "onboarding": onboarding(request.membership)}
    return render(request, "analytics/home.html", context)


CSV = "text/csv; charset=utf-8"
EXPORTS = {  # kind: (render(request, period), content type, extension)
    "kpis": (lambda request, period: reports.kpis_csv(period), CSV, "csv"),
    "orders": (lambda request, period: reports.orders_csv(period), CSV, "csv"),
    "report": (
        lambda request, period: reports.report_pdf(workspace=request.tenant.name, period=period),
        "application/pdf",
        "pdf",
    ),
}


@member_required
def export(request, kind: str):
    """The period's KPIs or orders (CSV), or its report (PDF); plans without analytics go to Billing."""
    if not entitlements(request.tenant).has(Feature.ANALYTICS):
        return redirect("dashboard:billing:page")
    render_file, content_type, extension = EXPORTS[kind]
    period = PeriodForm(request.GET or None).chosen()
    response = HttpResponse(render_file(request, period), content_type=content_type)
    name = f"{slugify(request.tenant.schema_name)}-{kind}-{period.start}-{period.end}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@owner_required
@require_POST
def weekly_report(request):
    membership_weekly_report_set(membership=request.membership, enabled=request.POST.get("enabled") == "on")
    return redirect("dashboard:home")
