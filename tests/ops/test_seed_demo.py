"""`manage.py seed_demo`: the demo workspace and logins that `make run` prints, idempotent."""

import io
from urllib.parse import parse_qs, urlsplit

from django.core.management import call_command
from django.test import Client
from django_tenants.utils import tenant_context

from apps.campaigns.models import Campaign
from apps.campaigns.selectors import audience_size
from apps.crm.models import CustomerScore
from apps.dashboard.management.commands.seed_demo import demo_password
from apps.tenants.models import Membership, Role, Tenant, User

EMAILS = ["owner@demo.luneo.test", "admin@demo.luneo.test", "ops@luneo.test"]


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _state() -> tuple:
    return (
        list(Tenant.objects.values_list("schema_name", "name").order_by("schema_name")),
        list(User.objects.values_list("email", "password", "is_superuser").order_by("email")),
        list(Membership.objects.values_list("user__email", "tenant__schema_name", "role").order_by("pk")),
    )


def test_seed_demo_creates_the_demo_workspace_its_people_and_an_operator(db):
    output = _seed()

    tenant = Tenant.objects.get(schema_name="demo")
    assert tenant.name == "Demo Brand"
    roles = dict(Membership.objects.filter(tenant=tenant).values_list("user__email", "role"))
    assert roles == {"owner@demo.luneo.test": Role.OWNER, "admin@demo.luneo.test": Role.ADMIN}
    operator = User.objects.get(email="ops@luneo.test")
    assert operator.is_staff
    assert operator.is_superuser
    assert not Membership.objects.filter(user=operator).exists()
    for email in EMAILS:
        assert User.objects.get(email=email).check_password(demo_password())
        assert email in output
    assert demo_password() in output
    # and the demo's customers (from its orders) have their RFM segments
    with tenant_context(tenant):
        assert CustomerScore.objects.exclude(segment="").count() > 10
    assert "customers scored" in output
    # and a draft campaign to the best of them, with someone to write to, and the design-abandonment
    # automation turned on
    with tenant_context(tenant):
        campaign = Campaign.objects.get(automation="")
        assert campaign.status == Campaign.Status.DRAFT
        assert set(campaign.template.content) == {"en", "fr", "zh-hans"}
        assert audience_size(campaign.audience.rules).sendable > 0
        automation = Campaign.objects.get(automation=Campaign.Automation.DESIGN_ABANDONED)
        assert automation.status == Campaign.Status.SENDING
        assert automation.template.content["fr"]["blocks"][0]["kind"] == "rebuy_design"
    assert "/e/subscribe/" in output


def test_seed_demo_again_changes_nothing_and_prints_the_same_logins(db):
    first_output = _seed()
    before = _state()

    second_output = _seed()

    assert _state() == before
    assert _logins(second_output) == _logins(first_output)


def _logins(output: str) -> list[str]:
    """What a second run prints alike: all but the demo shop's URL (a fresh widget key each run)."""
    return [line for line in output.splitlines() if "/widget/v1/demo" not in line]


def test_seed_demo_prints_a_widget_demo_shop_whose_key_works_on_this_machine(db, settings):
    # given the demo seeded for a site on port 8000
    settings.SITE_SCHEME, settings.SITE_PORT = "http", "8000"
    output = _seed()

    # when the demo shop's page, then the widget on it, ask for the product's configuration
    url = urlsplit(output.split("Widget demo shop: ", 1)[1].split()[0])
    query = parse_qs(url.query)
    client = Client(HTTP_HOST="localhost:8000")
    page = client.get(f"{url.path}?{url.query}")
    config = client.get(
        "/api/v1/widget/config",
        {"key": query["key"][0], "product": query["product"][0]},
        HTTP_ORIGIN="http://localhost:8000",
    )

    # then both answer: the key is fresh and the brand allows this machine's origin
    assert url.netloc == "localhost:8000"
    assert page.status_code == 200
    assert config.status_code == 200, config.content
    assert config.json()["product"]["sku"] == query["product"][0]
