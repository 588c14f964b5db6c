from django.core.management.base import BaseCommand, CommandError

from apps.core.errors import ApplicationError
from apps.tenants.services import tenant_provision, tenant_url


class Command(BaseCommand):
    help = "Create a workspace with its schema, domain and owner."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--name", required=True)
        parser.add_argument("--owner", required=True, help="owner's email (created if new)")
        parser.add_argument("--password", help="password for a new owner")

    def handle(self, *args, slug, name, owner, password, **options):
        try:
            tenant = tenant_provision(slug=slug, name=name, owner_email=owner, owner_password=password)
        except ApplicationError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        self.stdout.write(f"Created workspace {tenant.schema_name}: {tenant_url(tenant)}")
