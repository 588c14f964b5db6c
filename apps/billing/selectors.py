"""Reads for the Billing page, the dashboard's banner and the operators' admin."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from apps.tenants.models import Tenant

from .entitlements import entitlements, month_start
from .meters import meter_read
from .models import Invoice, Limit, Plan, Subscription, UsageCounter

WARN_AT_PERCENT = 80
TRIAL_ENDING_DAYS = 3


@dataclass(frozen=True)
class Usage:
    limit: str
    label: str
    used: int
    allowed: int | None

    @property
    def percent(self) -> int:
        """Share of the limit used, for the bar (capped at 100; 0 when unlimited)."""
        if not self.allowed:
            return 100 if self.allowed == 0 and self.used else 0
        return min(100, round(100 * self.used / self.allowed))

    @property
    def level(self) -> str:
        return "full" if self.percent >= 100 else "warn" if self.percent >= WARN_AT_PERCENT else "ok"


def designs_used(tenant: Tenant) -> int:
    counter = UsageCounter.objects.filter(tenant=tenant, metric=Limit.DESIGNS, period=month_start()).first()
    return counter.count if counter else 0


def usage_list(tenant: Tenant) -> list[Usage]:
    """Each limit with what this workspace uses of it (call in the workspace's schema)."""
    limits = entitlements(tenant).limits
    return [
        Usage(limit, Limit(limit).label, meter_read(limit, tenant), limits[limit]) for limit in Limit.values
    ]


def subscription_get(tenant: Tenant) -> Subscription | None:
    return Subscription.objects.select_related("plan").filter(tenant=tenant).first()


def plan_list() -> list[Plan]:
    return list(Plan.objects.all())


def invoice_list(tenant: Tenant, limit: int = 24) -> list[Invoice]:
    return list(Invoice.objects.filter(tenant=tenant)[:limit])


def billing_notice(tenant: Tenant) -> dict | None:
    """The dashboard banner's message, if any: a failed payment, a trial ending, designs running out."""
    subscription = entitlements(tenant).subscription
    now = timezone.now()
    if subscription is not None and not subscription.has_lapsed(now):
        if subscription.status == Subscription.Status.PAST_DUE:
            return {"kind": "past_due", "until": subscription.grace_ends_at}
        if (
            subscription.status == Subscription.Status.TRIALING
            and subscription.trial_ends_at - now <= timedelta(days=TRIAL_ENDING_DAYS)
        ):
            return {"kind": "trial_ending", "until": subscription.trial_ends_at}
    allowed = entitlements(tenant).limits[Limit.DESIGNS]
    if allowed:
        used = designs_used(tenant)
        if used * 100 >= allowed * WARN_AT_PERCENT:
            return {
                "kind": "designs",
                "used": used,
                "allowed": allowed,
                "overage": entitlements(tenant).overage,
            }
    return None


def subscription_mrr(subscription: Subscription | None) -> int:
    """Monthly recurring revenue of one subscription, in cents of its currency: what
    `revenue_by_plan` counts (active only, a yearly price spread over twelve months)."""
    if subscription is None or subscription.status != Subscription.Status.ACTIVE:
        return 0
    plan = subscription.plan
    if subscription.interval == Subscription.Interval.YEAR:
        return plan.yearly_price(subscription.currency) // 12
    return plan.monthly_price(subscription.currency)


def usage_this_month(metric: str, tenant_ref: str = "pk") -> Subquery:
    """A subquery for `Tenant` querysets: the workspace's count of `metric` this month (None: none
    yet). `tenant_ref` names the workspace's id in the outer query. One query for any number of rows."""
    counters = UsageCounter.objects.filter(tenant=OuterRef(tenant_ref), metric=metric, period=month_start())
    return Subquery(counters.values("count")[:1])


def usage_history(tenant: Tenant, months: int = 12) -> list[dict]:
    """The workspace's monthly metered usage, newest month first: [{"period", <metric>: count}]."""
    since = month_start(timezone.now() - timedelta(days=31 * (months - 1)))
    rows: dict = {}
    counters = UsageCounter.objects.filter(tenant=tenant, period__gte=since).order_by("-period")
    for counter in counters:
        rows.setdefault(counter.period, {"period": counter.period})[counter.metric] = counter.count
    return list(rows.values())


def revenue_by_plan() -> list[dict]:
    """Operators: paying workspaces and monthly recurring revenue (cents) per plan and currency.

    Paying means active on the plan (through Stripe or assigned by hand); a yearly subscription
    counts for a twelfth of its price. Trials and past-due workspaces are shown apart and add
    nothing; custom (Enterprise) prices are not known here and count as 0.
    """
    rows = []
    for plan in Plan.objects.annotate(
        workspaces=Count("subscriptions"),
        trials=Count("subscriptions", filter=Q(subscriptions__status=Subscription.Status.TRIALING)),
        past_due=Count("subscriptions", filter=Q(subscriptions__status=Subscription.Status.PAST_DUE)),
    ):
        paying = plan.subscriptions.filter(status=Subscription.Status.ACTIVE)
        mrr = {}
        for currency in ("eur", "usd"):
            counts = paying.filter(currency=currency).aggregate(
                monthly=Count("pk", filter=Q(interval=Subscription.Interval.MONTH)),
                yearly=Count("pk", filter=Q(interval=Subscription.Interval.YEAR)),
            )
            mrr[currency] = (
                counts["monthly"] * plan.monthly_price(currency)
                + counts["yearly"] * plan.yearly_price(currency) // 12
            )
        rows.append(
            {
                "plan": plan,
                "workspaces": plan.workspaces,
                "trials": plan.trials,
                "past_due": plan.past_due,
                "paying": paying.count(),
                "mrr": mrr,
            }
        )
    return rows


def paying_workspace_ids() -> list[int]:
    """Workspaces paying now: active on a plan with a price (trials and past-due ones are not)."""
    paid = Q(plan__monthly_price_eur__gt=0) | Q(plan__monthly_price_usd__gt=0)
    paying = Subscription.objects.filter(paid, status=Subscription.Status.ACTIVE)
    return sorted(paying.values_list("tenant_id", flat=True))
