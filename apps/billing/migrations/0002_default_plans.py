"""The default plans (operators edit them in the admin), and a Pro trial for workspaces made before billing."""

from datetime import timedelta

from django.db import migrations
from django.utils import timezone

PLANS = [
    {
        "code": "starter",
        "name": "Starter",
        "position": 0,
        "designs_per_month": 50,
        "brands": 1,
        "seats": 2,
        "webhook_endpoints": 1,
        "features": [],
    },
    {
        "code": "pro",
        "name": "Pro",
        "position": 1,
        "monthly_price_eur": 29900,
        "monthly_price_usd": 32900,
        "yearly_months_charged": 10,
        "designs_per_month": 5000,
        "overage": True,
        "overage_price_eur": 8,
        "overage_price_usd": 9,
        "brands": 5,
        "seats": 10,
        "webhook_endpoints": 10,
        "features": ["white_label", "analytics", "api", "integrations"],
    },
    {
        "code": "enterprise",
        "name": "Enterprise",
        "position": 2,
        "self_serve": False,
        "designs_per_month": None,
        "brands": None,
        "seats": None,
        "webhook_endpoints": None,
        "features": ["white_label", "analytics", "api", "integrations", "custom_domain"],
    },
]


def create(apps, schema_editor):
    Plan = apps.get_model("billing", "Plan")
    Subscription = apps.get_model("billing", "Subscription")
    Tenant = apps.get_model("tenants", "Tenant")
    for fields in PLANS:
        Plan.objects.update_or_create(code=fields["code"], defaults=fields)
    pro = Plan.objects.get(code="pro")
    trial_ends_at = timezone.now() + timedelta(days=14)
    for tenant in Tenant.objects.exclude(schema_name="public").filter(subscription__isnull=True):
        Subscription.objects.create(tenant=tenant, plan=pro, status="trialing", trial_ends_at=trial_ends_at)


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial"), ("tenants", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
