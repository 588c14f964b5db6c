"""What billing tells a workspace's owners: live in the dashboard and by email, in their language."""

from apps.tenants.models import Tenant
from apps.tenants.services import owners_notify

from .entitlements import upgrade_url
from .models import Limit, UsageAlert

USAGE_EVENT = "billing.usage"
STATUS_EVENT = "billing.status"


# The message for each counted metric: billing/email/<template>(_subject).txt
ALERT_TEMPLATES = {
    Limit.DESIGNS: "billing/email/usage_alert",
    Limit.EMAILS: "billing/email/email_usage_alert",
    Limit.AI_TOKENS: "billing/email/ai_tokens_usage_alert",
}


def usage_alert_send(*, alert_id: int) -> None:
    """80 % or 100 % of the month's designs, campaign e-mails or AI text tokens: sent once per metric,
    threshold and month (UsageAlert is unique)."""
    alert = UsageAlert.objects.select_related("tenant__subscription__plan").get(pk=alert_id)
    tenant = alert.tenant
    plan = tenant.subscription.plan
    allowed = plan.limit(alert.metric)
    context = {
        "threshold": alert.threshold,
        "allowed": allowed,
        "plan": plan,
        "overage": plan.overage,
        "link": upgrade_url(tenant),
    }
    owners_notify(
        tenant=tenant,
        event=USAGE_EVENT,
        payload={"metric": alert.metric, "threshold": alert.threshold, "allowed": allowed},
        template=ALERT_TEMPLATES[alert.metric],
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
