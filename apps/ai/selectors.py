"""Reads of the ai app: usage totals for operators (admin page, `ai_usage_report` command)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django_tenants.utils import tenant_context

from .models import AIUsage


def ai_usage_list(
    *, provider: str = "", operation: str = "", ok: bool | None = None, design_id: int | None = None
) -> QuerySet[AIUsage]:
    """The current workspace's usage rows, newest first, optionally filtered."""
    rows = AIUsage.objects.all()
    if design_id is not None:
        rows = rows.filter(design_id=design_id)
    if provider:
        rows = rows.filter(provider=provider)
    if operation:
        rows = rows.filter(operation=operation)
    if ok is not None:
        rows = rows.filter(ok=ok)
    return rows


def ai_usage_totals(**filters: Any) -> list[dict[str, Any]]:
    """Per provider and operation: calls, failed, avg_latency_ms, units, tokens, cost."""
    return list(
        ai_usage_list(**filters)
        .values("provider", "operation")
        .annotate(
            calls=Count("id"),
            failed=Count("id", filter=Q(ok=False)),
            avg_latency_ms=Avg("latency_ms"),
            units=Sum("units"),
            tokens=Sum("tokens"),
            cost=Sum("cost"),
        )
        .order_by("provider", "operation")
    )


@dataclass
class TenantUsage:
    tenant: Any
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def calls(self) -> int:
        return sum(row["calls"] for row in self.rows)

    @property
    def failed(self) -> int:
        return sum(row["failed"] for row in self.rows)

    @property
    def avg_latency_ms(self) -> float:
        return (
            sum(row["avg_latency_ms"] * row["calls"] for row in self.rows) / self.calls if self.calls else 0.0
        )

    @property
    def cost(self) -> Decimal:
        return sum((row["cost"] for row in self.rows), Decimal(0))


def ai_usage_by_tenant(*, tenants: Iterable[Any], **filters: Any) -> list[TenantUsage]:
    """Usage totals of each workspace (each lives in its own schema), for operators."""
    report = []
    for tenant in tenants:
        with tenant_context(tenant):
            report.append(TenantUsage(tenant=tenant, rows=ai_usage_totals(**filters)))
    return report
