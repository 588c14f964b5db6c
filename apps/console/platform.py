"""The platform's overview on the admin index: sign-ups, workspaces, MRR and churn, designs, AI
spend and the error rate, per day.

Designs and AI cost live in each workspace's schema: `platform_rollup` (beat, hourly) adds them up
across workspaces into one `PlatformDay` row a day, with the day's requests and errors (counted
by apps/core/traffic.py) and snapshots of the paying workspaces and MRR. The index reads those
rows and a few public-schema counts — never the schemas — so it stays as fast at 1,000 workspaces
as at one.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from apps.analytics.selectors import designs_and_ai_cost
from apps.billing.selectors import paying_workspace_ids, revenue_by_plan
from apps.core.tasks import schemas_active
from apps.core.traffic import traffic_day
from apps.tenants.models import Tenant
from apps.tenants.selectors import workspace_counts, workspace_signups

from .models import PlatformDay

ROLLUP_DAYS = 2  # yesterday (its last hours) and today
OVERVIEW_DAYS = 30


def _mrr() -> dict[str, int]:
    rows = revenue_by_plan()
    return {currency: sum(row["mrr"][currency] for row in rows) for currency in ("eur", "usd")}


def platform_rollup(*, today: date | None = None, days: int = ROLLUP_DAYS) -> list[PlatformDay]:
    """Add up the last `days` days across the active workspaces, and take today's snapshots."""
    today = today or timezone.now().date()
    start = today - timedelta(days=days - 1)
    totals: dict[date, list] = {start + timedelta(n): [0, Decimal(0)] for n in range(days)}
    for schema in schemas_active():
        with schema_context(schema):
            for day, (designs, cost) in designs_and_ai_cost(start, today).items():
                totals[day][0] += designs
                totals[day][1] += cost
    signups = workspace_signups(start=start, end=today)
    snapshot = {
        "active_workspaces": workspace_counts().get(Tenant.Status.ACTIVE, 0),
        "paying_ids": paying_workspace_ids(),
        **{f"mrr_{currency}_cents": cents for currency, cents in _mrr().items()},
    }
    rows = []
    with transaction.atomic():
        for day, (designs, cost) in totals.items():
            values = {"signups": signups.get(day, 0), "designs": designs, "ai_cost_usd": cost}
            values |= {**traffic_day(day), "refreshed_at": timezone.now()}
            if day == today:
                values |= snapshot
            row, _created = PlatformDay.objects.update_or_create(day=day, defaults=values)
            rows.append(row)
    return rows


@dataclass(frozen=True)
class Overview:
    workspaces: dict[str, int]  # per status
    signups: int  # the last OVERVIEW_DAYS days
    paying: int
    mrr: dict[str, Decimal]  # per currency, in units
    churn: Decimal | None  # percent of the workspaces paying OVERVIEW_DAYS ago that no longer pay
    designs: int
    ai_cost_usd: Decimal
    error_rate: Decimal | None  # percent of requests answered 5xx
    charts: dict  # Chart.js data per chart
    refreshed_at: object  # the latest rollup, or None


def _percent(part: int, whole: int) -> Decimal | None:
    return (Decimal(100) * part / whole).quantize(Decimal("0.01")) if whole else None


def _churn(first: PlatformDay | None, paying_now: set[int]) -> Decimal | None:
    if first is None or not first.paying_ids:
        return None
    lost = set(first.paying_ids) - paying_now
    return _percent(len(lost), len(first.paying_ids))


def _chart(days: list[date], label: str, value) -> dict:
    """Chart.js data: one dataset, `value(day)` for each day."""
    return {
        "labels": [day.isoformat() for day in days],
        "datasets": [{"label": str(label), "data": [float(value(day)) for day in days]}],
    }


def platform_overview(*, today: date | None = None) -> Overview:
    today = today or timezone.now().date()
    start = today - timedelta(days=OVERVIEW_DAYS - 1)
    rows = {row.day: row for row in PlatformDay.objects.filter(day__gte=start, day__lte=today)}
    days = [start + timedelta(n) for n in range(OVERVIEW_DAYS)]
    signups = workspace_signups(start=start, end=today)  # live: cheap, and today's matter most
    paying_now = paying_workspace_ids()
    requests = sum(row.requests for row in rows.values())
    errors = sum(row.errors for row in rows.values())
    mrr = _mrr()
    rates = {day: _percent(row.errors, row.requests) or 0 for day, row in rows.items()}
    charts = {
        "signups": _chart(days, _("Sign-ups"), lambda day: signups.get(day, 0)),
        "designs": _chart(days, _("Designs"), lambda day: rows[day].designs if day in rows else 0),
        "ai_cost": _chart(days, _("AI spend (USD)"), lambda day: rows[day].ai_cost_usd if day in rows else 0),
        "errors": _chart(days, _("Server errors per 100 requests"), lambda day: rates.get(day, 0)),
    }
    return Overview(
        workspaces=workspace_counts(),
        signups=sum(signups.values()),
        paying=len(paying_now),
        mrr={currency: Decimal(cents) / 100 for currency, cents in mrr.items()},
        churn=_churn(rows.get(start), set(paying_now)),
        designs=sum(row.designs for row in rows.values()),
        ai_cost_usd=sum((row.ai_cost_usd for row in rows.values()), Decimal(0)).quantize(Decimal("0.01")),
        error_rate=_percent(errors, requests),
        charts=charts,
        refreshed_at=max((row.refreshed_at for row in rows.values()), default=None),
    )
