"""Plans and subscriptions as billing tests need them."""

from apps.billing.models import Plan, Subscription
from apps.tenants.models import Tenant


def stripe_prices_set(plan_code: str = Plan.Code.PRO) -> Plan:
    """The price ids `stripe_sync_plans` would have stored."""
    plan = Plan.objects.get(code=plan_code)
    plan.stripe_prices = {
        currency: {
            kind: f"price_{plan_code}_{currency}_{kind}" for kind in ("month", "year", "overage_month")
        }
        for currency in ("eur", "usd")
    }
    plan.save(update_fields=["stripe_prices"])
    return plan


def subscription_of(tenant: Tenant) -> Subscription:
    return Subscription.objects.select_related("plan").get(tenant=tenant)
