"""The dashboard's figures, computed in SQL (aggregates on indexed columns; no loop over rows).

Days before the last LIVE_DAYS come from the daily rollup (`DailyStat`, refreshed by beat); the
last LIVE_DAYS are aggregated live, so today's orders and designs show at once. Both read the
same aggregation (`daily_aggregates`). Orders count when neither cancelled nor refunded: a
refund takes the order out of revenue, orders and conversion.
"""

import operator
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import reduce

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from apps.ai.models import AIUsage
from apps.ai.styles import STYLES
from apps.core.dates import day_start
from apps.designs.models import Design
from apps.orders.models import Order, OrderItem
from apps.products.models import Currency, Product

from .models import DailyStat

M = DailyStat.Metric
CENT = Decimal("0.01")
LIVE_DAYS = 2  # today and yesterday are always aggregated live
ACTIVE_CUSTOMER_DAYS = 90
NOT_COUNTED = (Order.Status.CANCELLED, Order.Status.REFUNDED)
TOP_PRODUCTS = 5


@dataclass(frozen=True)
class Period:
    """Whole days, `start` to `end` included (UTC)."""

    start: date
    end: date

    @classmethod
    def last(cls, days: int, today: date | None = None) -> "Period":
        today = today or timezone.now().date()
        return cls(today - timedelta(days=days - 1), today)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def bounds(self) -> tuple[datetime, datetime]:
        return day_start(self.start), day_start(self.end + timedelta(days=1))

    def dates(self) -> list[date]:
        return [self.start + timedelta(days=offset) for offset in range(self.days)]


def counted_orders():
    return Order.objects.exclude(status__in=NOT_COUNTED)


# --- the daily aggregates (live, and what the rollup stores) ------------------------------


def daily_aggregates(start: date, end: date) -> list[tuple[date, str, str, Decimal]]:
    """(day, metric, currency, value) for the days start..end, straight from the tables."""
    low, high = day_start(start), day_start(end + timedelta(days=1))
    rows: list[tuple[date, str, str, Decimal]] = []
    orders = (
        counted_orders()
        .filter(created_at__gte=low, created_at__lt=high)
        .annotate(day=TruncDate("created_at"))
        .values("day", "currency")
        .annotate(count=Count("pk"), revenue=Sum("total"))
    )
    for row in orders:
        rows.append((row["day"], M.ORDERS, row["currency"], Decimal(row["count"])))
        rows.append((row["day"], M.REVENUE, row["currency"], row["revenue"]))
    designs = (
        Design.objects.filter(created_at__gte=low, created_at__lt=high)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(count=Count("pk"))
    )
    rows += [(row["day"], M.DESIGNS, "", Decimal(row["count"])) for row in designs]
    costs = (
        AIUsage.objects.filter(created_at__gte=low, created_at__lt=high)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(cost=Sum("cost"))
    )
    rows += [(row["day"], M.AI_COST, "USD", row["cost"]) for row in costs if row["cost"]]
    return rows


def _daily(period: Period) -> list[tuple[date, str, str, Decimal]]:
    """The period's aggregates: the rollup up to LIVE_DAYS ago, live after."""
    today = timezone.now().date()
    first_live = max(period.start, today - timedelta(days=LIVE_DAYS - 1))
    rows: list[tuple[date, str, str, Decimal]] = []
    if period.start < first_live:
        stored = DailyStat.objects.filter(
            day__gte=period.start, day__lt=min(first_live, period.end + timedelta(1))
        )
        rows += list(stored.values_list("day", "metric", "currency", "value"))
    if first_live <= period.end:
        rows += daily_aggregates(first_live, period.end)
    return rows


def designs_and_ai_cost(start: date, end: date) -> dict[date, tuple[int, Decimal]]:
    """(designs made, AI cost in USD) per day from `start` to `end`, for the days that had any:
    what the operators' platform overview adds up across workspaces."""
    days: dict[date, tuple[int, Decimal]] = {}
    for day, metric, _currency, value in _daily(Period(start, end)):
        designs, cost = days.get(day, (0, Decimal(0)))
        if metric == DailyStat.Metric.DESIGNS:
            days[day] = (designs + int(value), cost)
        elif metric == DailyStat.Metric.AI_COST:
            days[day] = (designs, cost + value)
    return days


# --- KPIs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    revenue: dict[str, Decimal]
    orders: dict[str, int]
    designs: int
    ai_cost: Decimal
    active_customers: int

    @property
    def order_count(self) -> int:
        return sum(self.orders.values())

    def average_order(self, currency: str) -> Decimal | None:
        count = self.orders.get(currency, 0)
        return (self.revenue.get(currency, Decimal(0)) / count).quantize(CENT) if count else None

    @property
    def conversion(self) -> Decimal | None:
        """Orders per design created, in percent."""
        if not self.designs:
            return None
        return (Decimal(100) * self.order_count / self.designs).quantize(Decimal("0.1"))


def active_customers(end: date) -> int:
    """People (by email) with a counted order in the ACTIVE_CUSTOMER_DAYS up to `end`."""
    return active_customers_at(end)[0]


def active_customers_at(*ends: date) -> tuple[int, ...]:
    """`active_customers` up to each of `ends`, in one query."""
    windows = {}
    for n, end in enumerate(ends):
        high = day_start(end + timedelta(days=1))
        windows[f"w{n}"] = Q(created_at__gte=high - timedelta(days=ACTIVE_CUSTOMER_DAYS), created_at__lt=high)
    counts = (
        counted_orders()
        .filter(reduce(operator.or_, windows.values()))
        .aggregate(
            **{
                name: Count("customer_email", distinct=True, filter=window)
                for name, window in windows.items()
            }
        )
    )
    return tuple(counts[name] for name in windows)


def totals(period: Period, daily: list | None = None, active: int | None = None) -> Totals:
    """The period's sums; `daily`: its `_daily` rows, `active`: its active customers, if already read."""
    revenue: dict[str, Decimal] = defaultdict(Decimal)
    orders: dict[str, int] = defaultdict(int)
    designs, ai_cost = 0, Decimal(0)
    for _day, metric, currency, value in _daily(period) if daily is None else daily:
        if metric == M.REVENUE:
            revenue[currency] += value
        elif metric == M.ORDERS:
            orders[currency] += int(value)
        elif metric == M.DESIGNS:
            designs += int(value)
        else:
            ai_cost += value
    revenue = {currency: amount.quantize(CENT) for currency, amount in revenue.items()}
    active = active_customers(period.end) if active is None else active
    return Totals(revenue, dict(orders), designs, ai_cost.quantize(CENT), active)


def main_currency(revenue: dict[str, Decimal]) -> str:
    """The currency most of the revenue is in; without orders, the catalog's most common one."""
    if revenue:
        return max(sorted(revenue), key=lambda currency: revenue[currency])
    catalog = Product.objects.values("currency").annotate(n=Count("pk")).order_by("-n", "currency").first()
    return catalog["currency"] if catalog else Currency.EUR


@dataclass(frozen=True)
class Kpi:
    key: str
    value: Decimal | int | None
    previous: Decimal | int | None

    @property
    def change(self) -> Decimal | None:
        """Percent change from the previous period (None when it had nothing to compare with)."""
        if self.value is None or not self.previous:
            return None
        return (
            Decimal(100) * (Decimal(self.value) - Decimal(self.previous)) / Decimal(self.previous)
        ).quantize(Decimal("0.1"))


def kpis(period: Period, daily: list | None = None) -> dict:
    """The period's KPIs against the previous period of the same length; `daily`: the period's
    `_daily` rows, if already read."""
    previous = period.previous()
    active_now, active_before = active_customers_at(period.end, previous.end)
    now, before = totals(period, daily, active_now), totals(previous, active=active_before)
    currency = main_currency(now.revenue)
    values = [
        Kpi("revenue", now.revenue.get(currency, Decimal(0)), before.revenue.get(currency, Decimal(0))),
        Kpi("orders", now.order_count, before.order_count),
        Kpi("average_order", now.average_order(currency), before.average_order(currency)),
        Kpi("active_customers", now.active_customers, before.active_customers),
        Kpi("designs", now.designs, before.designs),
        Kpi("conversion", now.conversion, before.conversion),
        Kpi("ai_cost", now.ai_cost, before.ai_cost),
    ]
    other = {code: amount for code, amount in now.revenue.items() if code != currency}
    return {"currency": currency, "other_revenue": other, "items": {kpi.key: kpi for kpi in values}}


# --- charts -------------------------------------------------------------------------------


def series(period: Period, currency: str, daily: list | None = None) -> dict:
    """Revenue (in `currency`) and orders (all currencies) per day, every day of the period;
    `daily`: the period's `_daily` rows, if already read."""
    revenue: dict[date, Decimal] = defaultdict(Decimal)
    orders: dict[date, int] = defaultdict(int)
    for day, metric, row_currency, value in _daily(period) if daily is None else daily:
        if metric == M.REVENUE and row_currency == currency:
            revenue[day] += value
        elif metric == M.ORDERS:
            orders[day] += int(value)
    days = period.dates()
    return {
        "days": [day.isoformat() for day in days],
        "revenue": [str(revenue[day].quantize(CENT)) for day in days],
        "orders": [orders[day] for day in days],
    }


FUNNEL_STEPS = ("prompts", "previews", "carts", "orders")
FUNNEL_KEYS = {"style": "style", "product": "product__name"}


def design_counts(period: Period) -> list[dict]:
    """The period's designs counted per (status, style, product name): all of them (`designs`),
    and those made in the widget at each step of its funnel. One query for the funnel by style,
    by product and the designs by status."""
    low, high = period.bounds()
    widget = ~Q(shopper_session="")
    ordered = OrderItem.objects.filter(design=OuterRef("pk")).exclude(order__status__in=NOT_COUNTED)
    counts = {
        "designs": Count("pk"),
        "prompts": Count("pk", filter=widget),
        "previews": Count("pk", filter=widget & Q(preview_seen_at__isnull=False)),
        "carts": Count("pk", filter=widget & Q(added_to_cart_at__isnull=False)),
        "orders": Count("pk", filter=widget & Q(Exists(ordered))),
    }
    designs = Design.objects.filter(created_at__gte=low, created_at__lt=high)
    return list(designs.values("status", *FUNNEL_KEYS.values()).annotate(**counts).order_by())


def funnel(period: Period, by: str, counts: list[dict] | None = None) -> list[dict]:
    """The shopper's funnel for designs made in the widget: prompt → preview → cart → order.

    `by` is "style" or "product"; the first row is the total, then one row per style or product,
    most prompts first. `counts`: the period's `design_counts`, if already read.
    """
    key = FUNNEL_KEYS[by]
    total = dict.fromkeys(FUNNEL_STEPS, 0)
    groups: dict[str, dict] = {}
    for row in design_counts(period) if counts is None else counts:
        if not row["prompts"]:  # no design of the widget
            continue
        group = groups.setdefault(row[key], dict.fromkeys(FUNNEL_STEPS, 0))
        for step in FUNNEL_STEPS:
            group[step] += row[step]
            total[step] += row[step]
    rows = sorted(groups.items(), key=lambda item: (-item[1]["prompts"], item[0]))
    return [{"label": None, **total}, *({"label": _label(by, value), **steps} for value, steps in rows)]


def _label(by: str, value: str) -> str:
    """A style's name in the reader's language (its key if it is no longer offered); a product's name."""
    if by == "style":
        return str(STYLES[value].label) if value in STYLES else value
    return value


def top_products(period: Period, currency: str, source: str | None = None) -> list[dict]:
    """The period's best sellers, by units then revenue in `currency`; only one channel's orders
    with `source` (`shopify`, `widget`…)."""
    low, high = period.bounds()
    items = OrderItem.objects.filter(order__created_at__gte=low, order__created_at__lt=high).exclude(
        order__status__in=NOT_COUNTED
    )
    if source:
        items = items.filter(order__source=source)
    return list(
        items.values("sku", "title")
        .annotate(
            units=Sum("quantity"),
            revenue=Sum(
                F("unit_price") * F("quantity"), filter=Q(order__currency=currency), default=Decimal(0)
            ),
        )
        .order_by("-units", "-revenue", "sku")[:TOP_PRODUCTS]
    )


def sales_by_source(period: Period, currency: str) -> list[dict]:
    """Per sales channel (the orders' `source`): orders, revenue in `currency`, and orders with at
    least one design made with Luneo — cancelled and refunded orders aside, as the KPIs."""
    low, high = period.bounds()
    designed = OrderItem.objects.filter(order=OuterRef("pk"), design__isnull=False)
    orders = (
        Order.objects.filter(created_at__gte=low, created_at__lt=high)
        .exclude(status__in=NOT_COUNTED)
        .annotate(designed=Exists(designed))
    )
    rows = (
        orders.values("source")
        .annotate(
            orders=Count("pk"),
            revenue=Sum("total", filter=Q(currency=currency), default=Decimal(0)),
            with_designs=Count("pk", filter=Q(designed=True)),
        )
        .order_by("-orders", "source")
    )
    return list(rows)


def designs_by_status(period: Period, counts: list[dict] | None = None) -> dict[str, int]:
    """The period's designs per status; `counts`: its `design_counts`, if already read."""
    statuses: dict[str, int] = defaultdict(int)
    for row in design_counts(period) if counts is None else counts:
        statuses[row["status"]] += row["designs"]
    return dict(statuses)


def dashboard(period: Period) -> dict:
    """Everything the home page shows for a period (each table read once for it)."""
    daily = _daily(period)
    figures = kpis(period, daily)
    currency = figures["currency"]
    counts = design_counts(period)
    return {
        "period": period,
        "kpis": figures,
        "series": series(period, currency, daily),
        "funnel_by_style": funnel(period, "style", counts),
        "funnel_by_product": funnel(period, "product", counts),
        "top_products": top_products(period, currency),
        "designs_by_status": designs_by_status(period, counts),
    }


def orders_for_export(period: Period):
    low, high = period.bounds()
    return (
        Order.objects.filter(created_at__gte=low, created_at__lt=high)
        .annotate(items_count=Sum("items__quantity"))
        .order_by("created_at", "pk")
    )
