from urllib.parse import urlencode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.crypto import salted_hmac
from django_tenants.utils import tenant_context

from apps.accounts.services import tenant_provision
from apps.analytics.demo import demo_history_seed
from apps.brands.services import brand_publishable_key_create, brand_update
from apps.campaigns.demo import campaigns_seed_demo
from apps.core.errors import ApplicationError
from apps.crm.scoring.refresh import crm_refresh
from apps.products.services import catalog_seed_demo
from apps.tenants.models import Membership, Role, Tenant, User
from apps.tenants.selectors import DEMO_SLUG
from apps.tenants.services import public_url, tenant_url, user_get_or_create

DEMO_NAME = "Demo Brand"
OWNER_EMAIL = "owner@demo.luneo.test"
ADMIN_EMAIL = "admin@demo.luneo.test"
OPERATOR_EMAIL = "ops@luneo.test"
WIDGET_DEMO_PRODUCT = "MUG-11"


def demo_password() -> str:
    """The demo accounts' password: stable for one SECRET_KEY, so every run can print it."""
    return salted_hmac("luneo.seed_demo", "password").hexdigest()[:16]


class Command(BaseCommand):
    help = (
        "Create the demo workspace (owner and admin, a brand, two products, 90 days of history) "
        "and an operator superuser, if missing. "
        "Idempotent: existing accounts are left as they are. Prints the logins."
    )

    def handle(self, *args, **options):
        password = demo_password()
        try:
            with transaction.atomic():
                tenant = self._demo_tenant(password)
                with tenant_context(tenant):
                    widget_key = self._widget_key(catalog_seed_demo())
                admin = user_get_or_create(email=ADMIN_EMAIL, password=password)
                Membership.objects.get_or_create(user=admin, tenant=tenant, defaults={"role": Role.ADMIN})
                if not User.objects.filter(email=OPERATOR_EMAIL).exists():
                    User.objects.create_superuser(OPERATOR_EMAIL, password)
            # Its own transaction, committed in the workspace: what it queues runs in the workspace.
            with tenant_context(tenant):
                orders = demo_history_seed()
                customers = crm_refresh()["customers"]  # segments and recommendations from that history
                campaigns_seed_demo()
        except ApplicationError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        dashboard, admin_site = tenant_url(tenant), public_url("/admin/")
        self.stdout.write("Demo logins (password set when each account was created):")
        for role, email, url in (
            ("owner", OWNER_EMAIL, dashboard),
            ("admin", ADMIN_EMAIL, dashboard),
            ("operator", OPERATOR_EMAIL, admin_site),
        ):
            self.stdout.write(f"  {role:<9} {email:<22} {password}   {url}")
        query = urlencode({"key": widget_key, "product": WIDGET_DEMO_PRODUCT})
        self.stdout.write(f"Widget demo shop: {public_url('/widget/v1/demo?' + query)}")
        self.stdout.write(f"Newsletter sign-up page: {tenant_url(tenant, '/e/subscribe/')}")
        self.stdout.write(
            f"Demo history: 90 days of designs and {orders} orders, {customers} customers scored."
        )

    @staticmethod
    def _widget_key(brand) -> str:
        """A fresh publishable key of the demo brand, which may run on this machine's site."""
        port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
        local = [f"{settings.SITE_SCHEME}://{host}{port}" for host in ("localhost", "127.0.0.1")]
        brand = brand_update(brand=brand, allowed_origins=[*brand.allowed_origins, *local])
        return brand_publishable_key_create(brand=brand)[1]

    @staticmethod
    def _demo_tenant(password: str) -> Tenant:
        tenant = Tenant.objects.filter(schema_name=DEMO_SLUG).first()
        if tenant is None:
            tenant = tenant_provision(
                slug=DEMO_SLUG, name=DEMO_NAME, owner_email=OWNER_EMAIL, owner_password=password
            )
        return tenant
