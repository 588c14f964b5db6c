from django.core.management.base import BaseCommand, CommandError

from apps.ai.models import AIUsage
from apps.ai.selectors import ai_usage_by_tenant
from apps.tenants.models import Tenant


class Command(BaseCommand):
    help = "Print AI usage per workspace: calls, failures, average latency, estimated cost (USD)."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", metavar="SLUG", help="one workspace (default: all)")
        parser.add_argument("--provider", default="")
        parser.add_argument("--operation", choices=AIUsage.Operation.values, default="")

    def handle(self, *args, tenant, provider, operation, **options):
        tenants = Tenant.objects.exclude(schema_name="public").order_by("schema_name")
        if tenant:
            tenants = tenants.filter(schema_name=tenant)
            if not tenants:
                raise CommandError(f"No workspace with slug {tenant!r}.")
        for usage in ai_usage_by_tenant(tenants=tenants, provider=provider, operation=operation):
            self.stdout.write(
                f"{usage.tenant.schema_name}: {usage.calls} calls, {usage.failed} failed, "
                f"avg {usage.avg_latency_ms:.0f} ms, ${usage.cost:.4f} (estimated)"
            )
            for row in usage.rows:
                self.stdout.write(
                    f"  {row['provider']} {row['operation']}: {row['calls']} calls, {row['failed']} failed, "
                    f"avg {row['avg_latency_ms']:.0f} ms, {row['units']} units, {row['tokens']} tokens, "
                    f"${row['cost']:.4f}"
                )
