"""`manage.py seed_demo`: the demo workspace and logins that `make run` prints, idempotent."""

import io

from django.core.management import call_command

from apps.tenants.management.commands.seed_demo import demo_password
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


def test_seed_demo_again_changes_nothing_and_prints_the_same_logins(db):
    first_output = _seed()
    before = _state()

    second_output = _seed()

    assert _state() == before
    assert second_output == first_output
