"""The monthly quota of campaign e-mails: the plans' defaults, a check before a campaign starts,
reservations that never pass the quota (also in parallel), what was not sent given back, and the
Billing page's bar and plan cards."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from apps.billing.entitlements import (
    email_quota_check,
    email_quota_release,
    email_quota_reserve,
    emails_used,
)
from apps.billing.errors import QuotaExceeded
from apps.billing.models import Plan
from apps.billing.services import plan_get, subscription_assign
from apps.tenants.models import Role
from tests.support.clients import dashboard_client
from tests.support.workspaces import member


def on_pro(tenant, *, emails_per_month: int | None) -> Plan:
    plan = plan_get(Plan.Code.PRO)
    plan.emails_per_month = emails_per_month
    plan.save()
    subscription_assign(tenant=tenant, plan=plan)
    return plan


def test_the_default_plans_include_campaign_emails(db):
    quotas = dict(Plan.objects.values_list("code", "emails_per_month"))

    assert quotas == {"starter": 1000, "pro": 50000, "enterprise": None}


def test_a_reservation_takes_what_is_left_and_never_more(tenant):
    # Given 5 e-mails a month
    on_pro(tenant, emails_per_month=5)

    # When batches of 3 are reserved
    first, second, third = (email_quota_reserve(3, tenant) for _ in range(3))

    # Then the first gets 3, the second the 2 left, the third none; 5 are counted
    assert (first, second, third) == (3, 2, 0)
    assert emails_used(tenant) == 5


def test_what_was_not_sent_is_given_back(tenant):
    on_pro(tenant, emails_per_month=5)
    email_quota_reserve(5, tenant)

    email_quota_release(2, tenant)

    assert emails_used(tenant) == 3
    assert email_quota_reserve(3, tenant) == 2
    email_quota_release(99, tenant)  # never below zero
    assert emails_used(tenant) == 0


def test_unlimited_plans_count_without_refusing(tenant):
    on_pro(tenant, emails_per_month=None)

    assert email_quota_reserve(100_000, tenant) == 100_000
    email_quota_check(10**9, tenant)
    assert emails_used(tenant) == 100_000


def test_the_check_refuses_more_than_is_left_with_a_402(tenant):
    # Given 10 e-mails a month, 7 used
    on_pro(tenant, emails_per_month=10)
    email_quota_reserve(7, tenant)

    # When 3, then 4 are asked for
    email_quota_check(3, tenant)
    with pytest.raises(QuotaExceeded) as refused:
        email_quota_check(4, tenant)

    # Then 4 is refused, saying what is left, when it resets and where to upgrade
    error = refused.value
    assert (error.status, error.code) == (402, "quota_exceeded")
    assert error.details["limit"] == "emails"
    assert (error.details["allowed"], error.details["used"], error.details["requested"]) == (10, 7, 4)
    assert error.details["upgrade_url"].endswith("/settings/billing/")
    assert "resets_on" in error.details
    assert "the plan leaves 3 of its 10" in error.message


def test_the_quota_is_per_workspace(tenant, other_tenant):
    on_pro(tenant, emails_per_month=2)
    subscription_assign(tenant=other_tenant, plan=plan_get(Plan.Code.PRO))
    email_quota_reserve(2, tenant)

    assert email_quota_reserve(2, other_tenant) == 2
    assert email_quota_reserve(1, tenant) == 0


@pytest.mark.django_db(transaction=True)
def test_parallel_batches_at_the_limit_take_exactly_the_quota(tenant):
    # Given 25 e-mails left this month
    on_pro(tenant, emails_per_month=30)
    email_quota_reserve(5, tenant)
    connection.set_schema_to_public()

    # When 10 batches of 4 reserve at once, each on its own connection
    def reserve(_n):
        try:
            return email_quota_reserve(4, tenant)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=10) as pool:
        granted = list(pool.map(reserve, range(10)))

    # Then exactly 25 are granted (six batches of 4, one of 1, three of none) and 30 counted
    assert sum(granted) == 25
    assert sorted(granted) == [0, 0, 0, 1, 4, 4, 4, 4, 4, 4]
    assert emails_used(tenant) == 30


def test_the_billing_page_shows_the_emails_bar_and_each_plans_emails(tenant, settings):
    settings.STRIPE_TEST_SECRET_KEY = ""
    on_pro(tenant, emails_per_month=50000)
    email_quota_reserve(120, tenant)

    page = dashboard_client(tenant, member(tenant, Role.OWNER, email="boss@alpha.test")).get(
        "/settings/billing/"
    )

    assert page.status_code == 200
    assert 'data-limit="emails"' in page.text
    assert 'aria-valuemax="50000" aria-valuenow="120"' in page.text
    assert "1000 campaign e-mails a month" in page.text
    assert "Unlimited campaign e-mails" in page.text
