"""Operators' admin on the public host: every page renders; actions go through the services."""

import pytest
from django.test import Client

from apps.accounts.models import Invitation
from apps.tenants.models import ApiKey, Domain, Membership, Tenant, User
from apps.tenants.services import api_key_create, tenant_reactivate
from tests.support.clients import admin_url
from tests.support.workspaces import host


@pytest.mark.parametrize("model", [Tenant, User, Membership, Invitation, ApiKey])
def test_changelist_and_change_pages_render(operator, tenant, model):
    api_key_create(tenant=tenant, name="listed")
    obj = tenant if model is Tenant else model.objects.first()

    assert operator.get(admin_url(model, "changelist"), {"q": "a"}).status_code == 200
    if obj is not None:
        assert operator.get(admin_url(model, "change", obj.pk)).status_code == 200


def test_beat_schedules_are_in_the_admin(operator):
    assert operator.get("/admin/django_celery_beat/periodictask/").status_code == 200


def test_api_key_pages_show_the_prefix_never_the_hash(operator, tenant):
    api_key, raw = api_key_create(tenant=tenant, name="ops-visible")

    page = operator.get(admin_url(ApiKey, "change", api_key.pk)).content.decode()

    assert api_key.prefix in page
    assert api_key.key_hash not in page
    assert raw not in page


def test_admin_adds_a_workspace_through_provisioning(operator):
    response = operator.post(
        admin_url(Tenant, "add"),
        {
            "schema_name": "zeta",
            "name": "Zeta",
            "owner_email": "boss@zeta.test",
            "owner_password": "pw-1234567",
        },
    )

    assert response.status_code == 302, response.content
    tenant = Tenant.objects.get(schema_name="zeta")
    assert Domain.objects.filter(tenant=tenant, domain="zeta.localhost").exists()
    assert Membership.objects.get(tenant=tenant).user.email == "boss@zeta.test"


def test_admin_add_refuses_reserved_slug_with_a_form_error(operator):
    response = operator.post(
        admin_url(Tenant, "add"), {"schema_name": "admin", "name": "X", "owner_email": "x@x.test"}
    )

    assert response.status_code == 200
    assert "reserved" in response.content.decode()
    assert not Tenant.objects.filter(name="X").exists()


def test_suspend_action_closes_dashboard_and_api(operator, tenant):
    _key, raw = api_key_create(tenant=tenant, name="will-be-suspended")
    owner = User.objects.get(email="owner@alpha.test")
    try:
        response = operator.post(admin_url(Tenant, "suspend", tenant.pk), {"reason": "Unpaid"})
        assert response.status_code == 302
        assert Tenant.objects.get(pk=tenant.pk).status == Tenant.Status.SUSPENDED

        dashboard = Client(HTTP_HOST=host(tenant))
        dashboard.force_login(owner)
        assert dashboard.get("/").status_code == 403
        api = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert (api.status_code, api.json()["error"]["code"]) == (403, "tenant_suspended")

        operator.post(admin_url(Tenant, "reactivate", tenant.pk))
        assert Tenant.objects.get(pk=tenant.pk).is_active
    finally:
        tenant_reactivate(tenant=tenant)


def test_revoke_action_on_keys(operator, tenant):
    api_key, raw = api_key_create(tenant=tenant, name="to-revoke")

    operator.post(admin_url(ApiKey, "changelist"), {"action": "revoke", "_selected_action": [api_key.pk]})

    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_admin_is_not_served_on_workspace_hosts(tenant):
    owner = Client(HTTP_HOST=host(tenant))
    owner.force_login(User.objects.get(email="owner@alpha.test"))

    assert owner.get("/admin/").status_code == 404
