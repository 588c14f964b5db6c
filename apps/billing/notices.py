"""What billing tells a workspace's owners: live in the dashboard and by email, in their language."""

from apps.tenants.models import Tenant
from apps.tenants.services import owners_notify

from .entitlements import upgrade_url
from .models import UsageAlert

USAGE_EVENT = "billing.usage"
STATUS_EVENT = "billing.status"


def usage_alert_send(*, alert_id: int) -> None:
    """80 % or 100 % of the month's designs: sent once per threshold and month (UsageAlert is unique)."""
    alert = UsageAlert.objects.select_related("tenant__subscription__plan").get(pk=alert_id)
    tenant = alert.tenant
    plan = tenant.subscription.plan
    context = {
        "threshold": alert.threshold,
        "allowed": plan.designs_per_month,
        "plan": plan,
        "overage": plan.overage,
        "link": upgrade_url(tenant),
    }
    owners_notify(
        tenant=tenant,
        event=USAGE_EVENT,
        payload={"metric": alert.metric, "threshold": alert.threshold, "allowed": plan.designs_per_month},
        template="billing/email/usage_alert",
        context=context,
    )


def status_notice_send(*, tenant: Tenant, kind: str) -> None:
    """`kind`: payment_failed, downgraded (grace or trial over), subscribed, canceled."""
    owners_notify(
        tenant=tenant,
        event=STATUS_EVENT,
        payload={"kind": kind},
        template=f"billing/email/{kind}",
        context={"subscription": tenant.subscription, "link": upgrade_url(tenant)},
    )
