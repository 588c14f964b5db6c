"""Reads of the ai app: usage totals for operators (admin page, `ai_usage_report` command)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
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


def ai_cost_by_schema(*, schemas: Iterable[str], since: datetime) -> dict[str, Decimal]:
    """AI cost (USD) since `since` of each workspace schema in `schemas`, for operators' lists: two
    queries whatever the count (one finds the schemas that have the table, one adds up every
    schema's rows with schema-qualified names), never a `search_path` switch per workspace."""
    schemas = sorted(set(schemas))
    if not schemas:
        return {}
    table = AIUsage._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT schemaname FROM pg_tables WHERE tablename = %s AND schemaname = ANY(%s)", [table, schemas]
        )
        present = sorted(row[0] for row in cursor.fetchall())
        if not present:
            return {}
        quote = connection.ops.quote_name
        parts = [
            f"SELECT %s, COALESCE(SUM(cost), 0) FROM {quote(schema)}.{quote(table)} WHERE created_at >= %s"
            for schema in present
        ]
        params = [value for schema in present for value in (schema, since)]
        cursor.execute(" UNION ALL ".join(parts), params)
        return {schema: Decimal(cost) for schema, cost in cursor.fetchall()}


def ai_cost_by_month(*, since: datetime) -> dict[date, Decimal]:
    """The current workspace's AI cost (USD) per month since `since`, by the month's first day."""
    rows = (
        AIUsage.objects.filter(created_at__gte=since)
        .annotate(month=TruncMonth("created_at", tzinfo=UTC))
        .values("month")
        .annotate(cost=Sum("cost"))
        .order_by()
    )
    return {row["month"].date(): row["cost"] or Decimal(0) for row in rows}
