from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from apps.tenants.models import ApiKey, Membership, Tenant
from apps.tenants.selectors import api_key_authenticate


def test_create_tenant_command_provisions_a_workspace(db):
    out = StringIO()
    call_command(
        "create_tenant",
        "epsilon",
        name="Epsilon",
        owner="boss@epsilon.test",
        password="pw-1234567",
        stdout=out,
    )

    tenant = Tenant.objects.get(schema_name="epsilon")
    assert Membership.objects.get(tenant=tenant).user.email == "boss@epsilon.test"
    assert "http://epsilon.localhost" in out.getvalue()


def test_create_tenant_command_reports_slug_errors(db):
    with pytest.raises(CommandError, match="invalid_slug"):
        call_command("create_tenant", "Bad_Slug", name="Bad", owner="x@x.test")
    assert not Tenant.objects.filter(name="Bad").exists()


def test_create_api_key_prints_the_key_alone_on_the_last_line(tenant):
    connection.set_schema_to_public()
    out = StringIO()
    call_command(
        "create_api_key",
        "alpha",
        "--scopes",
        "account:read",
        "--name",
        "deploy",
        stdout=out,
        stderr=StringIO(),
    )

    raw = out.getvalue().strip().splitlines()[-1]
    api_key = api_key_authenticate(raw)
    assert api_key.tenant == tenant
    assert (api_key.name, api_key.scopes, api_key.type) == ("deploy", ["account:read"], ApiKey.Type.SECRET)


def test_create_api_key_refuses_unknown_workspace_and_scope(tenant):
    with pytest.raises(CommandError, match="No workspace"):
        call_command("create_api_key", "nowhere", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="invalid_scope"):
        call_command(
            "create_api_key", "alpha", "--scopes", "everything", stdout=StringIO(), stderr=StringIO()
        )
