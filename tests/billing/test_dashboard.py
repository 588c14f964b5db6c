"""Settings → Billing for brand staff, the banner, and the operators' admin and commands."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.billing.entitlements import design_quota_consume, entitlements
from apps.billing.models import Invoice, Plan, Subscription
from apps.billing.services import plan_get, subscription_assign
from apps.tenants.models import Role, Tenant, User
from tests.support.clients import dashboard_client, operator_client
from tests.support.factories.billing import stripe_prices_set, subscription_of
from tests.support.workspaces import member

PAGE = "/settings/billing/"


def owner_client(tenant) -> Client:
    return dashboard_client(tenant, member(tenant, Role.OWNER, email="boss@alpha.test"))


def test_the_page_shows_the_trial_and_a_bar_per_limit(tenant, settings):
    # Given a workspace on its trial with 3 designs this month (billing in manual mode)
    settings.STRIPE_TEST_SECRET_KEY = ""
    for _ in range(3):
        design_quota_consume(tenant)

    # When the owner opens Billing
    response = owner_client(tenant).get(PAGE)

    # Then the plan, trial end and usage are shown, with "Contact sales" instead of checkout
    page = response.text
    assert response.status_code == 200
    assert "Your plan: Pro" in page
    assert "Your Pro trial ends on" in page
    assert ".." not in page  # the date ends the sentence once (no "a.m..")
    assert 'aria-valuemax="5000" aria-valuenow="3"' in page
    assert "2 / 10" in page  # seats: alpha's owner and boss
    assert "Contact sales" in page
    assert "Online payment is not set up" in page
    assert 'action="/settings/billing/checkout/"' not in page


def test_checkout_in_manual_mode_says_so_and_changes_nothing(tenant, settings):
    settings.STRIPE_TEST_SECRET_KEY = ""
    client = owner_client(tenant)

    response = client.post(
        PAGE + "checkout/", {"plan": "pro", "interval": "month", "currency": "eur"}, follow=True
    )

    assert response.status_code == 200
    assert "Online payment is not available: contact sales to change your plan." in response.text
    assert subscription_of(tenant).status == Subscription.Status.TRIALING


def test_the_owner_is_sent_to_stripe_checkout(tenant, fake_stripe):
    stripe_prices_set()
    client = owner_client(tenant)
    page = client.get(PAGE).text
    assert 'action="/settings/billing/checkout/"' in page

    response = client.post(PAGE + "checkout/", {"plan": "pro", "interval": "year", "currency": "eur"})

    assert response.status_code == 302
    assert response["Location"] == "https://checkout.stripe.test/c/pay/cs_test_1"
    [session] = fake_stripe.sent("POST", "/v1/checkout/sessions")
    assert session.params["success_url"] == "http://alpha.localhost/settings/billing/?checkout=success"


def test_a_plan_that_is_not_sold_online_cannot_be_checked_out(tenant, fake_stripe):
    response = owner_client(tenant).post(
        PAGE + "checkout/", {"plan": "enterprise", "interval": "month", "currency": "eur"}, follow=True
    )

    assert "Choose a plan that can be bought online." in response.text
    assert not fake_stripe.sent("POST", "/v1/checkout/sessions")


def test_the_portal_needs_a_customer_and_then_opens(tenant, fake_stripe):
    client = owner_client(tenant)
    before = client.post(PAGE + "portal/", follow=True)
    Subscription.objects.filter(tenant=tenant).update(stripe_customer_id="cus_test_1")
    after = client.post(PAGE + "portal/")

    assert "This workspace has no payment details yet" in before.text
    assert after["Location"] == "https://billing.stripe.test/p/session/1"


def test_stripe_being_down_is_a_message_not_a_500(tenant, fake_stripe):
    stripe_prices_set()
    fake_stripe.on(
        "POST", r"/v1/customers", lambda call: (500, {"error": {"type": "api_error", "message": "down"}})
    )

    response = owner_client(tenant).post(
        PAGE + "checkout/", {"plan": "pro", "interval": "month", "currency": "eur"}, follow=True
    )

    assert response.status_code == 200
    assert "The payment provider did not answer" in response.text


@pytest.mark.parametrize(("role", "status"), [(Role.ADMIN, 200), (Role.EDITOR, 403), (Role.VIEWER, 403)])
def test_admins_see_billing_and_only_owners_pay(tenant, fake_stripe, role, status):
    stripe_prices_set()
    client = dashboard_client(tenant, member(tenant, role))

    page = client.get(PAGE)
    checkout = client.post(PAGE + "checkout/", {"plan": "pro", "interval": "month", "currency": "eur"})

    assert page.status_code == status
    assert checkout.status_code == 403
    assert not fake_stripe.sent("POST", "/v1/checkout/sessions")


def test_another_workspace_member_cannot_see_this_billing(tenant, other_tenant):
    # Given beta's owner, logged in on alpha's host
    outsider = User.objects.get(email="owner@beta.test")
    client = dashboard_client(tenant, outsider)

    # When they open alpha's billing page or start a checkout
    page = client.get(PAGE)
    checkout = client.post(PAGE + "checkout/", {"plan": "pro", "interval": "month", "currency": "eur"})

    # Then both are refused and alpha's invoices stay hidden
    assert page.status_code == 403
    assert checkout.status_code == 403
    assert "Your plan" not in page.content.decode()


def test_invoices_are_listed_with_their_pdf(tenant):
    Invoice.objects.create(
        tenant=tenant,
        stripe_id="in_1",
        number="LUNEO-0042",
        status="paid",
        currency="eur",
        amount_due=29900,
        amount_paid=29900,
        pdf_url="https://pay.stripe.test/invoice/42/pdf",
        created_at=timezone.now(),
    )

    page = owner_client(tenant).get(PAGE).text

    assert "LUNEO-0042" in page
    assert "299.00 EUR" in page
    assert "https://pay.stripe.test/invoice/42/pdf" in page


def test_a_failed_payment_shows_a_banner_on_every_page(tenant):
    Subscription.objects.filter(tenant=tenant).update(
        status=Subscription.Status.PAST_DUE, grace_ends_at=timezone.now() + timedelta(days=7)
    )

    home = owner_client(tenant).get("/")

    assert 'data-billing-notice="past_due"' in home.text
    assert "Your last payment failed" in home.text


def test_the_banner_warns_at_80_percent_of_the_designs(tenant):
    subscription_assign(tenant=tenant, plan=plan_get(Plan.Code.STARTER))
    for _ in range(40):
        design_quota_consume(tenant)

    home = owner_client(tenant).get("/").text

    assert 'data-billing-notice="designs"' in home
    assert "40 of the 50 AI designs" in home


def test_an_operator_assigns_a_plan_by_hand_and_sees_revenue(tenant):
    # Given an operator on the admin
    connection.set_schema_to_public()
    operator = operator_client()
    subscription = subscription_of(tenant)
    url = reverse("admin:billing_subscription_change", args=[subscription.pk], urlconf="config.urls_public")

    # When they put alpha on Enterprise, active
    enterprise = plan_get(Plan.Code.ENTERPRISE)
    dates = {f"{name}_{part}": "" for name in ("trial_ends_at", "current_period_end") for part in (0, 1)}
    response = operator.post(url, {"plan": enterprise.pk, "status": "active", **dates})

    # Then the workspace is on Enterprise at once, and the list shows MRR by plan
    assert response.status_code == 302, response.content.decode()[:2000]
    assert entitlements(tenant).plan.code == Plan.Code.ENTERPRISE
    assert subscription_of(tenant).trial_ends_at is None
    changelist = operator.get(reverse("admin:billing_subscription_changelist", urlconf="config.urls_public"))
    assert "Revenue by plan" in changelist.text
    assert "AI designs this month" in changelist.text


def test_create_tenant_takes_a_plan(db):
    out = StringIO()
    call_command("create_tenant", "gamma", name="Gamma", owner="owner@gamma.test", plan="starter", stdout=out)

    tenant = Tenant.objects.get(schema_name="gamma")
    assert tenant.subscription.plan.code == Plan.Code.STARTER
    assert "(Starter)" in out.getvalue()


def test_syncing_plans_without_stripe_keys_is_a_clear_error(db, settings):
    settings.STRIPE_TEST_SECRET_KEY = ""

    with pytest.raises(CommandError, match="billing_manual"):
        call_command("stripe_sync_plans")
