"""The one answer to "what may this workspace do?": its limits and features, and the monthly
quotas (AI designs, campaign e-mails, AI text tokens).

Every app asks here (`feature_require`, `limit_reserve`, `design_quota_consume`,
`email_quota_check`, `email_quota_reserve`, `ai_tokens_reserve`); none reads plans itself.
Entitlements are kept a minute per process and forgotten in every process when a subscription or
a plan changes (apps.core.memo), so a check costs no query on hot paths. Every way of consuming a
limit is exact under concurrency: the design quota and the AI text tokens are each one atomic
upsert, the e-mail quota is reserved under the month's row lock, and the other limits count and
create under a lock held until the transaction ends.
"""

import functools
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from apps.core.memo import MISSING, ProcessCache
from apps.tenants.models import Tenant

from .errors import FeatureNotInPlan, PlanLimitReached, QuotaExceeded
from .models import Feature, Limit, Plan, Subscription, UsageAlert, UsageCounter

ALERT_THRESHOLDS = (80, 100)  # percent of the monthly designs, campaign e-mails and AI text tokens
_memo = ProcessCache(seconds=60, everywhere=True)


@dataclass(frozen=True)
class Entitlements:
    plan: Plan
    status: str
    subscription: Subscription | None  # as read with the rest (the banner's dates)
    limits: dict[str, int | None]
    features: frozenset[str]
    overage: bool

    def has(self, feature: str) -> bool:
        return feature in self.features


def month_start(moment: datetime | None = None) -> date:
    """The usage period containing `moment`: quotas reset on the 1st of each month (UTC)."""
    return (moment or timezone.now()).date().replace(day=1)


def _effective_plan(subscription: Subscription | None) -> Plan:
    """The plan in force now: an ended trial or grace period counts as Starter even before beat catches up."""
    if subscription is None or subscription.has_lapsed(timezone.now()):
        return Plan.objects.get(code=Plan.Code.STARTER)
    return subscription.plan


def entitlements(tenant: Tenant) -> Entitlements:
    return _memo.get_or_load(tenant.pk, lambda: _entitlements_read(tenant))


def _entitlements_read(tenant: Tenant) -> Entitlements:
    subscription = Subscription.objects.select_related("plan").filter(tenant_id=tenant.pk).first()
    plan = _effective_plan(subscription)
    return Entitlements(
        plan=plan,
        status=subscription.status if subscription else Subscription.Status.ACTIVE,
        subscription=subscription,
        limits={limit: plan.limit(limit) for limit in Limit.values},
        features=frozenset(plan.features),
        overage=plan.overage,
    )


def entitlements_forget(tenant: Tenant | None = None) -> None:
    _memo.forget(tenant.pk if tenant is not None else MISSING)


def upgrade_url(tenant: Tenant) -> str:
    """The workspace's Billing page, from any host (the public one has another URLconf)."""
    from apps.tenants.services import tenant_url  # tenants.services provisions through billing

    return tenant_url(tenant, reverse("dashboard:billing:page", urlconf=settings.ROOT_URLCONF))


def current_tenant() -> Tenant:
    return connection.tenant


def feature_require(feature: str, tenant: Tenant | None = None) -> None:
    tenant = tenant or current_tenant()
    if not entitlements(tenant).has(feature):
        raise FeatureNotInPlan(
            _("Your plan does not include %(feature)s. Upgrade your plan to use it.")
            % {"feature": Feature(feature).label},
            details={"feature": feature, "upgrade_url": upgrade_url(tenant)},
        )


@contextmanager
def limit_reserve(limit: str, *, used: Callable[[], int], tenant: Tenant | None = None) -> Iterator[None]:
    """Hold one more of `limit` while the block creates it; 402 `plan_limit_reached` beyond the plan.

    `used` counts what the workspace has. It runs in a transaction, after taking a lock on this
    workspace's `limit` that the block's insert commits under, so parallel creations count one
    after another and pass exactly up to the plan's number.
    """
    tenant = tenant or current_tenant()
    allowed = entitlements(tenant).limits[limit]
    with transaction.atomic():
        if allowed is not None:
            _limit_lock(tenant, limit)
            count = used()
            if count >= allowed:
                raise PlanLimitReached(
                    _("Your plan allows %(count)d × “%(what)s”. Upgrade your plan to add more.")
                    % {"count": allowed, "what": Limit(limit).label},
                    details={
                        "limit": limit,
                        "allowed": allowed,
                        "used": count,
                        "upgrade_url": upgrade_url(tenant),
                    },
                )
        yield


def _limit_lock(tenant: Tenant, limit: str) -> None:
    """A transaction-scoped advisory lock on (workspace, limit): creations of other things do not wait."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"limit:{tenant.pk}:{limit}"]
        )


_CONSUME_SQL = """
INSERT INTO public.{table} AS c (tenant_id, metric, period, count, overage, overage_reported)
VALUES (%(tenant)s, %(metric)s, %(period)s, 1, %(first_overage)s, 0)
ON CONFLICT (tenant_id, metric, period) DO UPDATE
   SET count = c.count + 1,
       overage = c.overage + CASE WHEN c.count >= %(allowed)s THEN 1 ELSE 0 END
 WHERE %(overage)s OR %(allowed)s IS NULL OR c.count < %(allowed)s
RETURNING count
"""


def design_quota_consume(tenant: Tenant | None = None) -> int:
    """Count one AI design for this month; 402 `quota_exceeded` beyond the plan (unless it meters overage).

    Call inside the transaction that creates the design: if it rolls back, so does the count.
    The upsert locks the month's row, so parallel requests at the limit pass exactly up to it.
    Returns the month's count.
    """
    tenant = tenant or current_tenant()
    granted = entitlements(tenant)
    allowed = granted.limits[Limit.DESIGNS]
    if allowed == 0 and not granted.overage:
        raise _quota_exceeded(tenant, allowed, used=0)
    period = month_start()
    params = {
        "tenant": tenant.pk,
        "metric": Limit.DESIGNS.value,
        "period": period,
        "allowed": allowed,
        "overage": granted.overage,
        "first_overage": 1 if allowed == 0 else 0,
    }
    with connection.cursor() as cursor:
        cursor.execute(_CONSUME_SQL.format(table=UsageCounter._meta.db_table), params)
        row = cursor.fetchone()
    if row is None:
        raise _quota_exceeded(tenant, allowed, used=allowed)
    count = row[0]
    if allowed:
        _alert_if_crossed(
            tenant, Limit.DESIGNS, period=period, before=count - 1, after=count, allowed=allowed
        )
    return count


def _quota_exceeded(
    tenant: Tenant, allowed: int, *, used: int, limit: str = Limit.DESIGNS, message: str | None = None
) -> QuotaExceeded:
    return QuotaExceeded(
        message,
        details={
            "limit": str(limit),
            "allowed": allowed,
            "used": used,
            "resets_on": _next_month(month_start()).isoformat(),
            "upgrade_url": upgrade_url(tenant),
        },
    )


# --- campaign e-mails ------------------------------------------------------------------------

_RESERVE_ROW_SQL = """
INSERT INTO public.{table} (tenant_id, metric, period, count, overage, overage_reported)
VALUES (%(tenant)s, %(metric)s, %(period)s, 0, 0, 0)
ON CONFLICT (tenant_id, metric, period) DO NOTHING
"""


def emails_used(tenant: Tenant) -> int:
    counter = UsageCounter.objects.filter(tenant=tenant, metric=Limit.EMAILS, period=month_start()).first()
    return counter.count if counter else 0


def email_quota_check(count: int, tenant: Tenant | None = None) -> None:
    """402 `quota_exceeded` if `count` more e-mails would go over what the plan leaves this month.

    A check before a campaign starts; what is sent is counted by `email_quota_reserve`.
    """
    tenant = tenant or current_tenant()
    allowed = entitlements(tenant).limits[Limit.EMAILS]
    if allowed is None:
        return
    used = emails_used(tenant)
    if count > allowed - used:
        raise _emails_exceeded(tenant, allowed, used=used, wanted=count)


def email_quota_reserve(count: int, tenant: Tenant | None = None) -> int:
    """Count up to `count` e-mails about to be sent this month; returns how many the plan allows
    (`count`, fewer, or 0 when the month's e-mails are used up). Give back what was not sent with
    `email_quota_release`.

    The month's row is created if missing, then locked (`SELECT … FOR UPDATE`) while what is left
    is read and taken: parallel batches take exactly up to the quota, never over it.
    """
    tenant = tenant or current_tenant()
    if count <= 0:
        return 0
    allowed = entitlements(tenant).limits[Limit.EMAILS]
    key = {"tenant": tenant.pk, "metric": Limit.EMAILS.value, "period": month_start()}
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(_RESERVE_ROW_SQL.format(table=UsageCounter._meta.db_table), key)
        counter = UsageCounter.objects.select_for_update().get(
            tenant_id=key["tenant"], metric=key["metric"], period=key["period"]
        )
        granted = count if allowed is None else max(0, min(count, allowed - counter.count))
        if granted:
            UsageCounter.objects.filter(pk=counter.pk).update(count=F("count") + granted)
        if granted and allowed:
            after = counter.count + granted
            _alert_if_crossed(
                tenant, Limit.EMAILS, period=key["period"], before=counter.count, after=after, allowed=allowed
            )
    return granted


def email_quota_release(count: int, tenant: Tenant | None = None) -> None:
    """Give back e-mails reserved this month and not sent after all (skipped, refused, unreachable)."""
    tenant = tenant or current_tenant()
    if count <= 0:
        return
    UsageCounter.objects.filter(tenant=tenant, metric=Limit.EMAILS, period=month_start()).update(
        count=Greatest(F("count") - count, 0)
    )


def _emails_exceeded(tenant: Tenant, allowed: int, *, used: int, wanted: int) -> QuotaExceeded:
    message = _(
        "This would send %(wanted)d e-mails, and the plan leaves %(left)d of its %(allowed)d this month. "
        "Upgrade the plan, or send to a smaller audience."
    ) % {"wanted": wanted, "left": max(0, allowed - used), "allowed": allowed}
    error = _quota_exceeded(tenant, allowed, used=used, limit=Limit.EMAILS, message=message)
    error.details["requested"] = wanted
    return error


# --- AI text tokens --------------------------------------------------------------------------

_TOKENS_RESERVE_SQL = """
INSERT INTO public.{table} AS c (tenant_id, metric, period, count, overage, overage_reported)
VALUES (%(tenant)s, %(metric)s, %(period)s, %(estimate)s, 0, 0)
ON CONFLICT (tenant_id, metric, period) DO UPDATE
   SET count = c.count + %(estimate)s
 WHERE %(allowed)s IS NULL OR c.count < %(allowed)s
RETURNING count
"""

_TOKENS_SETTLE_SQL = """
UPDATE public.{table}
   SET count = GREATEST(count - %(reserved)s + %(used)s, 0)
 WHERE tenant_id = %(tenant)s AND metric = %(metric)s AND period = %(period)s
RETURNING count
"""


def ai_tokens_used(tenant: Tenant) -> int:
    counter = UsageCounter.objects.filter(tenant=tenant, metric=Limit.AI_TOKENS, period=month_start()).first()
    return counter.count if counter else 0


def ai_tokens_reserve(estimate: int, tenant: Tenant | None = None) -> int:
    """Count `estimate` AI text tokens for this month before an AI text call (assistant, copilot);
    402 `quota_exceeded` when the plan's allowance for the month is used up. Returns the amount
    reserved: pass it to `ai_tokens_settle` with what the provider reported once the call is done.

    A call may start while the month's count is below the allowance, so the month passes it by at
    most one call. One conditional upsert counts and checks at once: parallel calls at the edge
    pass exactly while the count is below the allowance.
    """
    tenant = tenant or current_tenant()
    estimate = max(0, estimate)
    allowed = entitlements(tenant).limits[Limit.AI_TOKENS]
    if allowed == 0:
        raise _ai_tokens_exceeded(tenant, allowed, used=ai_tokens_used(tenant))
    period = month_start()
    params = {
        "tenant": tenant.pk,
        "metric": Limit.AI_TOKENS.value,
        "period": period,
        "estimate": estimate,
        "allowed": allowed,
    }
    with connection.cursor() as cursor:
        cursor.execute(_TOKENS_RESERVE_SQL.format(table=UsageCounter._meta.db_table), params)
        row = cursor.fetchone()
    if row is None:
        raise _ai_tokens_exceeded(tenant, allowed, used=ai_tokens_used(tenant))
    count = row[0]
    if allowed and estimate:
        _alert_if_crossed(
            tenant, Limit.AI_TOKENS, period=period, before=count - estimate, after=count, allowed=allowed
        )
    return estimate


def ai_tokens_settle(reserved: int, used: int, tenant: Tenant | None = None) -> None:
    """After an AI text call, replace the `reserved` tokens by the `used` ones the provider reported
    (0 when the call failed): one UPDATE of this month's count, never below 0.

    A call that spans midnight UTC on the 1st settles against the new month's count, if it has
    one; its estimate stays in the month it started.
    """
    tenant = tenant or current_tenant()
    reserved, used = max(0, reserved), max(0, used)
    if reserved == used:
        return
    period = month_start()
    params = {
        "tenant": tenant.pk,
        "metric": Limit.AI_TOKENS.value,
        "period": period,
        "reserved": reserved,
        "used": used,
    }
    with connection.cursor() as cursor:
        cursor.execute(_TOKENS_SETTLE_SQL.format(table=UsageCounter._meta.db_table), params)
        row = cursor.fetchone()
    allowed = entitlements(tenant).limits[Limit.AI_TOKENS]
    if row is not None and used > reserved and allowed:
        after = row[0]
        before = after - (used - reserved)
        _alert_if_crossed(tenant, Limit.AI_TOKENS, period=period, before=before, after=after, allowed=allowed)


def _ai_tokens_exceeded(tenant: Tenant, allowed: int, *, used: int) -> QuotaExceeded:
    resets_on = _next_month(month_start())
    message = _(
        "The plan's AI text allowance for this month is used up; it resets on %(date)s. "
        "Upgrade the plan for more. The offline assistant still works."
    ) % {"date": formats.date_format(resets_on, "DATE_FORMAT")}
    return _quota_exceeded(tenant, allowed, used=used, limit=Limit.AI_TOKENS, message=message)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _alert_if_crossed(
    tenant: Tenant, metric: str, *, period: date, before: int, after: int, allowed: int
) -> None:
    """Alert the owners once per threshold and month when the count went from `before` to `after`
    across it (one design at a time; a batch of e-mails or of AI text tokens at once)."""
    for threshold in ALERT_THRESHOLDS:
        if before < math.ceil(allowed * threshold / 100) <= after:
            alert, created = UsageAlert.objects.get_or_create(
                tenant=tenant, metric=metric, period=period, threshold=threshold
            )
            if created:
                from .notices import usage_alert_send  # notices render emails: imported when needed

                transaction.on_commit(functools.partial(usage_alert_send, alert_id=alert.pk), robust=True)
