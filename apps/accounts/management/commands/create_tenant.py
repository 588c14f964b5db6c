from django.core.management.base import BaseCommand, CommandError

from apps.accounts.services import tenant_provision
from apps.billing.models import Plan
from apps.core.errors import ApplicationError
from apps.tenants.services import tenant_url


class Command(BaseCommand):
    help = "Create a workspace with its schema, domain and owner."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--name", required=True)
        parser.add_argument("--owner", required=True, help="owner's email (created if new)")
        parser.add_argument("--password", help="password for a new owner")
        parser.add_argument(
            "--plan",
            choices=[code for code, _label in Plan.Code.choices],
            help="the workspace's plan from now on (default: the Pro trial)",
        )

    def handle(self, *args, slug, name, owner, password, plan, **options):
        try:
            tenant = tenant_provision(
                slug=slug, name=name, owner_email=owner, owner_password=password, plan=plan
            )
        except ApplicationError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        plan_name = tenant.subscription.plan.name
        self.stdout.write(f"Created workspace {tenant.schema_name} ({plan_name}): {tenant_url(tenant)}")
