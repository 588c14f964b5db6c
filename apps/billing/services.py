"""Writes for subscriptions: trials, plans assigned by operators, falling back to Starter; and
usage counted after the fact (the demo's history).

Stripe's side (Checkout, Portal, events, metering) is in `stripe_billing.py`; both change a
subscription only through the functions here, and every change forgets the entitlements and
makes the workspace's open websockets check their access again (a plan without the API closes
API clients' sockets).
"""

import logging
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from djstripe.settings import djstripe_settings

from apps.core.memo import forget_everywhere
from apps.core.notifications import access_changed, access_changed_in
from apps.tenants.models import Tenant

from .entitlements import month_start
from .models import Plan, Subscription, UsageCounter
from .notices import status_notice_send

logger = logging.getLogger(__name__)
Status = Subscription.Status


def billing_mode() -> str:
    """ "stripe" when a Stripe secret key is configured, else "manual" (operators assign plans)."""
    return "stripe" if djstripe_settings.STRIPE_SECRET_KEY else "manual"


def plan_get(code: str) -> Plan:
    return Plan.objects.get(code=code)


def plan_save(*, plan: Plan) -> Plan:
    """An operator edited a plan: every workspace on it has the new features and limits at once.

    Their open websockets check their access again (a plan without the API closes API clients').
    """
    plan.save()
    forget_everywhere()  # the entitlements of every workspace on this plan, in every process
    schemas = Subscription.objects.filter(plan=plan).values_list("tenant__schema_name", flat=True)
    access_changed_in(schemas=list(schemas))
    return plan


def subscription_start(*, tenant: Tenant, plan_code: str | None = None) -> Subscription:
    """A new workspace's subscription: the Pro trial (BILLING_TRIAL_DAYS), or `plan_code` from now on."""
    trial = plan_code is None
    subscription = Subscription.objects.create(
        tenant=tenant,
        plan=plan_get(Plan.Code.PRO if trial else plan_code),
        status=Status.TRIALING if trial else Status.ACTIVE,
        trial_ends_at=timezone.now() + timedelta(days=settings.BILLING_TRIAL_DAYS) if trial else None,
    )
    forget_everywhere()  # a process may have read the workspace before it had a subscription
    return subscription


def subscription_save(subscription: Subscription, *fields: str) -> Subscription:
    subscription.save(update_fields=[*fields, "updated_at"])
    _entitlements_changed(subscription.tenant)
    return subscription


def _entitlements_changed(tenant: Tenant) -> None:
    forget_everywhere()  # the workspace's entitlements, in every process
    access_changed(schema=tenant.schema_name)


@transaction.atomic
def subscription_assign(
    *,
    tenant: Tenant,
    plan: Plan,
    status: str = Status.ACTIVE,
    trial_ends_at: datetime | None = None,
    current_period_end: datetime | None = None,
) -> Subscription:
    """An operator sets a workspace's plan by hand (manual mode, invoiced Enterprise deals, goodwill)."""
    subscription = Subscription.objects.select_for_update().filter(tenant=tenant).first()
    if subscription is None:
        subscription = Subscription(tenant=tenant, plan=plan)
    subscription.plan = plan
    subscription.status = status
    subscription.trial_ends_at = trial_ends_at if status == Status.TRIALING else None
    subscription.current_period_end = current_period_end
    subscription.grace_ends_at = None
    subscription.save()
    _entitlements_changed(tenant)
    logger.info("plan of %s set to %s (%s) by hand", tenant.schema_name, plan.code, status)
    return subscription


def subscription_fall_back(*, subscription: Subscription, kind: str) -> Subscription:
    """Back to Starter (data kept): a trial or grace period ended, or the Stripe subscription was deleted."""
    subscription.plan = plan_get(Plan.Code.STARTER)
    subscription.status = Status.ACTIVE
    subscription.trial_ends_at = subscription.grace_ends_at = subscription.current_period_end = None
    subscription.cancel_at_period_end = False
    subscription.stripe_subscription_id = ""
    subscription_save(
        subscription,
        "plan",
        "status",
        "trial_ends_at",
        "grace_ends_at",
        "current_period_end",
        "cancel_at_period_end",
        "stripe_subscription_id",
    )
    status_notice_send(tenant=subscription.tenant, kind=kind)
    logger.info("%s fell back to Starter (%s)", subscription.tenant.schema_name, kind)
    return subscription


def subscription_past_due(*, subscription: Subscription) -> Subscription:
    """A payment failed: the plan stays for BILLING_GRACE_DAYS, then falls back to Starter."""
    if subscription.status == Status.PAST_DUE:
        return subscription
    subscription.status = Status.PAST_DUE
    subscription.grace_ends_at = timezone.now() + timedelta(days=settings.BILLING_GRACE_DAYS)
    subscription_save(subscription, "status", "grace_ends_at")
    status_notice_send(tenant=subscription.tenant, kind="payment_failed")
    return subscription


def subscriptions_lapse() -> int:
    """Beat: trials and grace periods that ended fall back to Starter. Returns how many. Safe to repeat."""
    now = timezone.now()
    lapsed = 0
    due = Subscription.objects.filter(
        status=Status.TRIALING, trial_ends_at__lte=now
    ) | Subscription.objects.filter(status=Status.PAST_DUE, grace_ends_at__lte=now)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            subscription = Subscription.objects.select_for_update().select_related("tenant").get(pk=pk)
            if subscription.has_lapsed(now):
                subscription_fall_back(subscription=subscription, kind="downgraded")
                lapsed += 1
    return lapsed


def usage_history_record(*, tenant: Tenant, metric: str, moments: Iterable[datetime]) -> None:
    """Count, each in its month, uses of `metric` made before they were counted here (the demo's
    history): no quota applies and no alert is sent, as these uses are over."""
    for period, count in Counter(month_start(moment) for moment in moments).items():
        counter, _created = UsageCounter.objects.get_or_create(tenant=tenant, metric=metric, period=period)
        UsageCounter.objects.filter(pk=counter.pk).update(count=F("count") + count)
