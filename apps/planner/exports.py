"""A scenario and its current plan as JSON (everything) or CSV (the plan's items, for a spreadsheet)."""

from django.http import HttpResponse
from django.utils import timezone

from apps.core.csv_export import csv_text

from .errors import NoPlan
from .models import PlanVersion, Scenario

CSV_COLUMNS = ("Format", "Message", "Channel", "Frequency", "KPI")


def _day(value) -> str | None:
    return value.isoformat() if value else None


def _amount(value) -> str | None:
    return None if value is None else str(value)


def _plan(version: PlanVersion) -> dict:
    return {
        "number": version.number,
        "provider": version.provider,
        "created_at": version.created_at.isoformat(),
        "summary": version.summary,
        "items": [
            {
                "position": item.position,
                "format": item.format,
                "message": item.message,
                "channel": item.channel,
                "frequency": item.frequency,
                "kpi": item.kpi,
                "target": item.target.label if item.target else None,
                "deadline": _day(item.deadline),
            }
            for item in version.items.select_related("target")
        ],
    }


def plan_json(scenario: Scenario) -> dict:
    """The scenario, its objectives, targets and resources, and its current plan (None before one)."""
    version = scenario.current_version
    return {
        "scenario": {
            "id": scenario.pk,
            "name": scenario.name,
            "theme": scenario.theme,
            "period_start": _day(scenario.period_start),
            "period_end": _day(scenario.period_end),
            "status": scenario.status,
        },
        "objectives": [
            {
                "label": objective.label,
                "metric": objective.metric,
                "target_value": _amount(objective.target_value),
                "deadline": _day(objective.deadline),
            }
            for objective in scenario.objectives.all()
        ],
        "targets": [
            {"label": target.label, "segment": target.segment or None, "audience": target.audience_id}
            for target in scenario.targets.all()
        ],
        "resources": [
            {
                "kind": resource.kind,
                "label": resource.label,
                "amount": _amount(resource.amount),
                "unit": resource.unit,
            }
            for resource in scenario.resources.all()
        ],
        "plan": _plan(version) if version else None,
    }


def plan_csv(scenario: Scenario) -> str:
    """The current plan's items: a line `# <name> — generated <date>`, then the columns Format,
    Message, Channel, Frequency, KPI; text a spreadsheet would run as a formula is escaped."""
    version = scenario.current_version
    if version is None:
        raise NoPlan()
    generated = timezone.localdate(version.created_at).isoformat()
    title = f"# {scenario.name} — generated {generated}"
    rows = [
        (str(item.get_format_display()), item.message, item.channel, item.frequency, item.kpi)
        for item in version.items.all()
    ]
    return csv_text([(title,), CSV_COLUMNS, *rows])


def plan_csv_response(scenario: Scenario) -> HttpResponse:
    """`plan_csv` as a download named after the scenario and the plan's version (NoPlan before one)."""
    response = HttpResponse(plan_csv(scenario), content_type="text/csv; charset=utf-8")
    filename = f"scenario-{scenario.pk}-plan-v{scenario.current_version.number}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
