"""The default plans (operators edit them in the admin), and a Pro trial for workspaces made before billing."""

from datetime import timedelta

from django.db import migrations
from django.utils import timezone

# The plans' values as they stand in the code; a later change to them needs its own migration.
from apps.billing.plans import DEFAULT_PLANS

def create(apps, schema_editor):
    Plan = apps.get_model("billing", "Plan")
    Subscription = apps.get_model("billing", "Subscription")
    Tenant = apps.get_model("tenants", "Tenant")
    known = {field.name for field in Plan._meta.get_fields()}  # fields added later have their own migration
    for fields in DEFAULT_PLANS:
        fields = {name: value for name, value in fields.items() if name in known}
        Plan.objects.get_or_create(code=fields["code"], defaults=fields)
    pro = Plan.objects.get(code="pro")
    trial_ends_at = timezone.now() + timedelta(days=14)
    for tenant in Tenant.objects.exclude(schema_name="public").filter(subscription__isnull=True):
        Subscription.objects.create(tenant=tenant, plan=pro, status="trialing", trial_ends_at=trial_ends_at)


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial"), ("tenants", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
