"""Every other limit and feature of a plan, enforced where the action happens (API, dashboard, widget)."""

import pytest
from django.urls import reverse

from apps.accounts.models import Invitation
from apps.accounts.services import invitation_accept, invitation_create
from apps.billing.errors import FeatureNotInPlan, PlanLimitReached
from apps.billing.models import Limit, Plan
from apps.billing.selectors import usage_list
from apps.billing.services import plan_get, subscription_assign
from apps.brands.models import Brand
from apps.brands.services import brand_create
from apps.integrations.services import integration_connect
from apps.tenants.models import Membership, Role
from apps.webhooks.models import WebhookEndpoint
from apps.webhooks.services import endpoint_create
from tests.support.clients import api_client, dashboard_client, error_code, post_json
from tests.support.factories.tenants import UserFactory
from tests.support.widget import Widget
from tests.support.workspaces import member


def on_starter(tenant) -> Plan:
    starter = plan_get(Plan.Code.STARTER)
    subscription_assign(tenant=tenant, plan=starter)
    return starter


def test_starter_allows_two_seats_counting_pending_invitations(tenant):
    # Given Starter (2 seats) and the owner alone
    on_starter(tenant)
    invitation_create(
        tenant=tenant, email="second@alpha.test", role=Role.EDITOR, inviter_role=Role.OWNER, invited_by=None
    )

    # When a third person is invited
    with pytest.raises(PlanLimitReached) as refused:
        invitation_create(
            tenant=tenant,
            email="third@alpha.test",
            role=Role.EDITOR,
            inviter_role=Role.OWNER,
            invited_by=None,
        )

    # Then it is refused with the numbers and where to upgrade, and nothing is written
    assert refused.value.status == 402
    assert refused.value.details["allowed"] == 2
    assert refused.value.details["used"] == 2
    assert not Invitation.objects.filter(email="third@alpha.test").exists()


def test_an_invitation_cannot_be_accepted_once_the_seats_are_full(tenant):
    # Given an invitation sent on Pro, then the workspace fell to Starter with both seats taken
    _invitation, token = invitation_create(
        tenant=tenant, email="late@alpha.test", role=Role.EDITOR, inviter_role=Role.OWNER, invited_by=None
    )
    member(tenant, Role.ADMIN)
    on_starter(tenant)

    # When the invited person accepts
    with pytest.raises(PlanLimitReached):
        invitation_accept(tenant=tenant, token=token, user=UserFactory(email="late@alpha.test"))


def test_the_billing_page_counts_seats_as_the_limit_does(tenant):
    # Given Starter (2 seats): the owner and one pending invitation
    on_starter(tenant)
    invitation_create(
        tenant=tenant, email="second@alpha.test", role=Role.EDITOR, inviter_role=Role.OWNER, invited_by=None
    )
    owner = Membership.objects.get(tenant=tenant, role=Role.OWNER).user

    # When the owner looks at the seats on Billing
    seats = next(usage for usage in usage_list(tenant) if usage.limit == Limit.SEATS)
    page = dashboard_client(tenant, owner).get("/settings/billing/").text

    # Then both seats show as taken, as the next invitation would find them
    assert (seats.used, seats.allowed, seats.level) == (2, 2, "full")
    assert "2 / 2" in page


def test_the_team_page_shows_the_seat_limit_as_a_form_error(tenant):
    on_starter(tenant)
    member(tenant, Role.ADMIN)
    client = dashboard_client(tenant, member(tenant, Role.OWNER, email="boss@alpha.test"))

    response = client.post("/settings/team/invite/", {"email": "more@alpha.test", "role": Role.EDITOR})

    assert response.status_code == 402
    assert "Upgrade your plan" in response.text
    assert not Invitation.objects.filter(email="more@alpha.test").exists()


def test_starter_allows_one_brand(tenant):
    on_starter(tenant)
    brand_create(name="First")

    with pytest.raises(PlanLimitReached):
        brand_create(name="Second")

    assert Brand.objects.count() == 1


def test_the_brand_api_answers_402_plan_limit_reached(tenant):
    # Given Pro with one brand allowed, and that brand made
    pro = plan_get(Plan.Code.PRO)
    pro.brands = 1
    pro.save()
    subscription_assign(tenant=tenant, plan=pro)
    client = api_client(tenant, scopes=["catalog:write"])
    assert post_json(client, "/api/v1/brands", {"name": "First"}).status_code == 201

    # When another is added through the API
    response = post_json(client, "/api/v1/brands", {"name": "Second"})

    # Then 402 with the project's error format
    assert response.status_code == 402
    assert error_code(response) == "plan_limit_reached"
    assert response.json()["error"]["details"]["limit"] == "brands"


def test_the_brand_form_shows_the_brand_limit_as_a_form_error(tenant):
    # Given Starter with its one brand made
    on_starter(tenant)
    brand_create(name="First")
    admin = dashboard_client(tenant, member(tenant, Role.ADMIN))

    # When an admin adds another one in Settings → Brands
    form = {"name": "Second", "primary_color": "#112233", "secondary_color": "#445566"}
    response = admin.post("/settings/brands/new/", {**form, "font": "dejavu-sans", "default_language": "fr"})

    # Then the form says why, and nothing is written
    assert response.status_code == 400
    assert "Upgrade your plan" in response.text
    assert Brand.objects.count() == 1


def test_starter_allows_one_webhook_endpoint(tenant):
    on_starter(tenant)
    endpoint_create(url="https://hooks.example.com/1", events=["order.created"])

    with pytest.raises(PlanLimitReached):
        endpoint_create(url="https://hooks.example.com/2", events=["order.created"])

    assert WebhookEndpoint.objects.count() == 1


def test_the_webhook_form_shows_the_endpoint_limit_as_a_form_error(tenant):
    # Given Starter with its one webhook endpoint added
    on_starter(tenant)
    endpoint_create(url="https://hooks.example.com/1", events=["order.created"])
    admin = dashboard_client(tenant, member(tenant, Role.ADMIN))

    # When an admin adds another one in Settings → Webhooks
    body = {"url": "https://hooks.example.com/2", "events": ["order.created"]}
    response = admin.post(reverse("dashboard:webhooks:new"), body)

    # Then the form says why, and nothing is written
    assert response.status_code == 422
    assert "Upgrade your plan" in response.text
    assert WebhookEndpoint.objects.count() == 1


def test_starter_keys_cannot_use_the_api(tenant):
    # Given a secret key made while on the Pro trial
    client = api_client(tenant)
    assert client.get("/api/v1/me").status_code == 200

    # When the workspace is on Starter
    on_starter(tenant)
    response = client.get("/api/v1/me")

    # Then the API answers 402 with what to do
    assert response.status_code == 402
    assert error_code(response) == "feature_not_in_plan"
    assert response.json()["error"]["details"]["feature"] == "api"


def test_starter_cannot_connect_a_shop(tenant):
    on_starter(tenant)

    with pytest.raises(FeatureNotInPlan):
        integration_connect(kind="shopify", shop_url="https://mystore.myshopify.com", credentials={})


def test_the_widget_shows_powered_by_luneo_only_without_white_label(tenant, widget, widget_product):
    pro = widget.get("config", product=widget_product.sku).json()

    on_starter(tenant)
    starter = Widget(widget.key).get("config", product=widget_product.sku, locale="en").json()

    assert pro["brand"]["powered_by"] is False
    assert starter["brand"]["powered_by"] is True


def test_another_workspace_limits_are_its_own(other_tenant, tenant):
    # Given alpha on Starter with its one webhook endpoint used
    on_starter(tenant)
    endpoint_create(url="https://hooks.example.com/1", events=["order.created"])

    # When beta (on its Pro trial) adds endpoints through its own key
    client = api_client(other_tenant, scopes=["webhooks:write"])
    body = {"url": "https://hooks.example.com/beta", "events": ["order.created"]}
    statuses = [post_json(client, "/api/v1/webhooks/endpoints", body).status_code for _ in range(2)]

    # Then beta is not held by alpha's plan
    assert statuses == [201, 201]
