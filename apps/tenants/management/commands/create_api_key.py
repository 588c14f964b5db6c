from django.core.management.base import BaseCommand, CommandError

from apps.core.errors import ApplicationError
from apps.tenants.models import ApiKey, Tenant
from apps.tenants.scopes import ALL_SCOPES
from apps.tenants.services import api_key_create


class Command(BaseCommand):
    help = "Create an API key for a workspace; the key alone is printed on the last line."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--type", choices=ApiKey.Type.values, default=ApiKey.Type.SECRET)
        parser.add_argument("--mode", choices=ApiKey.Mode.values, default=ApiKey.Mode.LIVE)
        parser.add_argument("--scopes", nargs="+", metavar="SCOPE", help=f"default: all of {ALL_SCOPES}")
        parser.add_argument("--name", default="CLI key")

    def handle(self, *args, slug, type, mode, scopes, name, **options):
        tenant = Tenant.objects.exclude(schema_name="public").filter(schema_name=slug).first()
        if tenant is None:
            raise CommandError(f"No workspace with slug {slug!r}.")
        try:
            api_key, raw = api_key_create(tenant=tenant, name=name, key_type=type, mode=mode, scopes=scopes)
        except ApplicationError as exc:
            raise CommandError(f"{exc.code}: {exc.message} {exc.details}") from exc
        self.stderr.write(f"Created {api_key.type} key {api_key.prefix}… for {slug}. It is shown only once:")
        self.stdout.write(raw)
