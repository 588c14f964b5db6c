import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import get_public_schema_name, tenant_context

from apps.crm.scoring.refresh import crm_refresh
from apps.tenants.models import Tenant


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of {value!r} is not a date (YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = (
        "Compute a workspace's RFM scores, segments and their moves, P(alive) estimates and "
        "recommendations as of a date (default today); prints the figures as JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the workspace's slug")
        parser.add_argument("--as-of", metavar="YYYY-MM-DD", default="", help="default: today (UTC)")

    def handle(self, *args, slug, as_of, **options):
        as_of_date = _date(as_of) if as_of else None
        tenant = Tenant.objects.exclude(schema_name=get_public_schema_name()).filter(schema_name=slug).first()
        if tenant is None:
            raise CommandError(f"No workspace with slug {slug!r}.")
        with tenant_context(tenant):
            figures = crm_refresh(as_of=as_of_date)
        self.stdout.write(json.dumps(figures))
