from django.core.management.base import BaseCommand, CommandError

from apps.billing.stripe_billing import plans_sync
from apps.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Create or find the Stripe products, prices and overage meter of the paid plans (idempotent)."

    def handle(self, *args, **options):
        try:
            lines = plans_sync()
        except ApplicationError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(f"{len(lines)} prices in sync.")
