"""Names are one line: control characters and line breaks are refused wherever a name is written
(dashboard forms, the API, the services), and mail subjects built from a name stored before
never break a mail."""

import json

import pytest
from django.core import mail

from apps.accounts.services import invitation_create, tenant_provision
from apps.analytics.services import weekly_report_send
from apps.brands.models import Brand
from apps.core.errors import ValidationFailed
from apps.products.models import Product
from apps.tenants.models import ApiKey, Membership, Role, Tenant, User
from apps.tenants.services import api_key_create, tenant_rename
from apps.webhooks.models import WebhookEndpoint
from tests.support.clients import api_client, dashboard_client

HEADER_INJECTION = "A\nBcc: x@y"


def owner_client(tenant: Tenant):
    return dashboard_client(tenant, User.objects.get(email=f"owner@{tenant.schema_name}.test"))


def test_renaming_the_workspace_to_two_lines_is_a_form_error_and_saves_nothing(tenant):
    response = owner_client(tenant).post("/settings/rename/", {"name": HEADER_INJECTION})

    assert response.status_code == 400
    assert response.context["form"].errors["name"] == [
        "Use a single line: no line breaks, tabs or other control characters."
    ]
    tenant.refresh_from_db()
    assert tenant.name == "Alpha"


def test_a_new_api_key_named_on_two_lines_is_a_form_error(tenant):
    response = owner_client(tenant).post(
        "/settings/api-keys/new/", {"name": "Shop\r\nkey", "mode": "live", "scopes": ["designs:read"]}
    )

    assert response.status_code == 400
    assert "name" in response.context["form"].errors
    assert not ApiKey.objects.filter(tenant=tenant, name__startswith="Shop").exists()


@pytest.mark.parametrize(
    ("path", "scopes", "body", "field"),
    [
        ("/api/v1/brands", ["catalog:write"], {"name": HEADER_INJECTION}, "name"),
        (
            "/api/v1/products",
            ["catalog:write"],
            {"sku": "MUG", "name": "Mug\u2028Red", "price": "9.00"},
            "name",
        ),
        (
            "/api/v1/webhooks/endpoints",
            ["webhooks:write"],
            {"url": "https://hooks.example.com/", "events": ["order.created"], "description": "a\x1bb"},
            "description",
        ),
    ],
)
def test_the_api_refuses_a_name_on_two_lines_naming_the_field(tenant, path, scopes, body, field):
    response = api_client(tenant, scopes).post(path, json.dumps(body), content_type="application/json")

    assert response.status_code == 422, response.content
    assert response.json()["error"]["details"]["fields"][field] == [
        "Use a single line: no line breaks, tabs or other control characters."
    ]
    assert not Brand.objects.exists()
    assert not Product.objects.exists()
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    "name", [HEADER_INJECTION, "Tab\there", "Line\u2029sep", "Bell\x07!", "Next\x85line"]
)
def test_services_writing_names_refuse_control_characters(tenant, name):
    with pytest.raises(ValidationFailed) as renamed:
        tenant_rename(tenant=tenant, name=name)
    with pytest.raises(ValidationFailed):
        tenant_provision(slug="gamma", name=name, owner_email="owner@gamma.test")
    with pytest.raises(ValidationFailed):
        api_key_create(tenant=tenant, name=name)

    assert renamed.value.details == {
        "fields": {"name": ["Use a single line: no line breaks, tabs or other control characters."]}
    }
    tenant.refresh_from_db()
    assert tenant.name == "Alpha"
    assert not Tenant.objects.filter(schema_name="gamma").exists()


def test_names_in_other_scripts_and_with_inner_spaces_are_fine(tenant):
    tenant_rename(tenant=tenant, name="Atelier  Lumière — 光")

    tenant.refresh_from_db()
    assert tenant.name == "Atelier  Lumière — 光"


def test_a_workspace_name_stored_on_two_lines_still_gets_its_invitation_mail(
    tenant, mailoutbox, django_capture_on_commit_callbacks
):
    Tenant.objects.filter(pk=tenant.pk).update(name=HEADER_INJECTION)  # stored before names were checked
    tenant.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(
            tenant=tenant, email="new@person.test", role=Role.EDITOR, inviter_role=Role.OWNER, invited_by=None
        )

    [email] = mailoutbox
    assert email.subject == "You are invited to A Bcc: x@y on Luneo"
    assert email.to == ["new@person.test"]
    assert email.bcc == []


def test_a_workspace_name_stored_on_two_lines_still_gets_its_weekly_report(tenant):
    Tenant.objects.filter(pk=tenant.pk).update(name=HEADER_INJECTION)
    Membership.objects.filter(tenant=tenant, role=Role.OWNER).update(weekly_report=True)
    mail.outbox.clear()

    sent = weekly_report_send()

    assert sent == 1
    [email] = mail.outbox
    assert email.subject.startswith("A Bcc: x@y — ")
    assert "\n" not in email.message()["Subject"]
    assert email.bcc == []
