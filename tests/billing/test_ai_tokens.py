"""The monthly quota of AI text tokens: the plans' defaults and their migration, a reservation
before each call that starts only below the allowance (also in parallel), the provider's figure
settled afterwards, 80 % and 100 % alerts once, the Billing page's bar and the operators' admin."""

import importlib
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection
from django.forms.models import model_to_dict

from apps.billing.admin import PlanForm
from apps.billing.entitlements import ai_tokens_reserve, ai_tokens_settle, ai_tokens_used, month_start
from apps.billing.errors import QuotaExceeded
from apps.billing.meters import meter_read
from apps.billing.models import Limit, Plan, UsageAlert, UsageCounter
from apps.billing.services import plan_get, subscription_assign
from apps.tenants.models import Role
from tests.support.clients import admin_url, dashboard_client
from tests.support.workspaces import member


def on_pro(tenant, *, ai_tokens_per_month: int | None) -> Plan:
    plan = plan_get(Plan.Code.PRO)
    plan.ai_tokens_per_month = ai_tokens_per_month
    plan.save()
    subscription_assign(tenant=tenant, plan=plan)
    return plan


def refusal(tenant, estimate: int) -> QuotaExceeded:
    with pytest.raises(QuotaExceeded) as refused:
        ai_tokens_reserve(estimate, tenant)
    return refused.value


def next_month_first() -> date:
    today = month_start()
    return date(today.year + today.month // 12, today.month % 12 + 1, 1)


def test_the_default_plans_include_ai_text_tokens(db):
    quotas = dict(Plan.objects.values_list("code", "ai_tokens_per_month"))

    assert quotas == {"starter": 200_000, "pro": 5_000_000, "enterprise": None}


def test_the_migration_sets_the_default_plans_and_leaves_other_plans_unlimited(db):
    # Given the default plans without an AI text quota, and an operator's own plan
    Plan.objects.update(ai_tokens_per_month=None)
    Plan.objects.create(code="agency", name="Agency")
    migration = importlib.import_module("apps.billing.migrations.0005_plan_ai_tokens_per_month")

    # When the migration's data step runs
    migration.set_quotas(apps, None)

    # Then the default plans have theirs and the operator's plan stays unlimited
    quotas = dict(Plan.objects.values_list("code", "ai_tokens_per_month"))
    assert quotas == {"starter": 200_000, "pro": 5_000_000, "enterprise": None, "agency": None}


def test_the_limit_is_monthly_and_read_from_the_plan(db):
    plan = Plan(ai_tokens_per_month=1234)

    assert plan.limit(Limit.AI_TOKENS) == 1234
    assert Limit(Limit.AI_TOKENS).label == "AI text tokens this month"


def test_a_reservation_counts_the_estimate_while_the_month_is_below_the_allowance(tenant):
    # Given 1,000 tokens a month
    on_pro(tenant, ai_tokens_per_month=1000)

    # When calls reserve 400, 500, then 500 (started at 900, below the allowance)
    reserved = [ai_tokens_reserve(estimate, tenant) for estimate in (400, 500, 500)]

    # Then all three pass and the month passes the allowance by the last call only
    assert reserved == [400, 500, 500]
    assert ai_tokens_used(tenant) == 1400
    assert meter_read(Limit.AI_TOKENS, tenant) == 1400


def test_a_call_at_or_over_the_allowance_is_refused_with_a_402(tenant):
    # Given 1,000 tokens a month, exactly used
    on_pro(tenant, ai_tokens_per_month=1000)
    ai_tokens_reserve(1000, tenant)

    # When another call reserves even one token
    error = refusal(tenant, 1)

    # Then it is refused, saying what is used, when it resets and where to upgrade; nothing counted
    assert (error.status, error.code) == (402, "quota_exceeded")
    details = error.details
    assert (details["limit"], details["allowed"], details["used"]) == ("ai_tokens", 1000, 1000)
    assert details["resets_on"] == next_month_first().isoformat()
    assert details["upgrade_url"].endswith("/settings/billing/")
    assert "AI text allowance for this month is used up" in error.message
    assert "The offline assistant still works" in error.message
    assert ai_tokens_used(tenant) == 1000


def test_a_month_past_its_allowance_refuses_and_reports_the_real_count(tenant):
    on_pro(tenant, ai_tokens_per_month=1000)
    ai_tokens_reserve(900, tenant)
    ai_tokens_reserve(600, tenant)

    error = refusal(tenant, 10)

    assert (error.details["allowed"], error.details["used"]) == (1000, 1500)
    assert ai_tokens_used(tenant) == 1500


def test_unlimited_plans_count_without_refusing(tenant):
    on_pro(tenant, ai_tokens_per_month=None)

    reserved = [ai_tokens_reserve(10**8, tenant) for _ in range(3)]

    assert reserved == [10**8] * 3
    assert ai_tokens_used(tenant) == 3 * 10**8


def test_a_plan_without_ai_text_tokens_refuses_at_once(tenant):
    on_pro(tenant, ai_tokens_per_month=0)

    error = refusal(tenant, 1)

    assert (error.details["limit"], error.details["allowed"], error.details["used"]) == ("ai_tokens", 0, 0)
    assert not UsageCounter.objects.filter(tenant=tenant, metric=Limit.AI_TOKENS).exists()


def test_settling_replaces_the_estimate_by_what_the_provider_reported(tenant):
    on_pro(tenant, ai_tokens_per_month=10_000)

    # Down: 1,000 reserved, 300 used
    ai_tokens_settle(ai_tokens_reserve(1000, tenant), 300, tenant)
    assert ai_tokens_used(tenant) == 300

    # Up: 500 reserved, 900 used
    ai_tokens_settle(ai_tokens_reserve(500, tenant), 900, tenant)
    assert ai_tokens_used(tenant) == 1200


def test_settling_never_goes_below_zero(tenant):
    on_pro(tenant, ai_tokens_per_month=10_000)
    ai_tokens_reserve(100, tenant)

    ai_tokens_settle(500, 0, tenant)

    assert ai_tokens_used(tenant) == 0


def test_tokens_given_back_make_room_again(tenant):
    # Given a month at its allowance
    on_pro(tenant, ai_tokens_per_month=1000)
    reserved = ai_tokens_reserve(1000, tenant)
    refusal(tenant, 1)

    # When the call turns out to have used 600
    ai_tokens_settle(reserved, 600, tenant)

    # Then the next call may start
    assert ai_tokens_reserve(100, tenant) == 100
    assert ai_tokens_used(tenant) == 700


def test_the_quota_is_per_workspace(tenant, other_tenant):
    on_pro(tenant, ai_tokens_per_month=100)
    subscription_assign(tenant=other_tenant, plan=plan_get(Plan.Code.PRO))
    ai_tokens_reserve(100, tenant)

    assert ai_tokens_reserve(100, other_tenant) == 100
    assert ai_tokens_used(other_tenant) == 100
    refusal(tenant, 1)


@pytest.mark.django_db(transaction=True)
def test_parallel_calls_at_the_edge_start_only_while_the_month_is_below_the_allowance(tenant):
    # Given 1,000 tokens a month, 750 used
    on_pro(tenant, ai_tokens_per_month=1000)
    ai_tokens_reserve(750, tenant)
    connection.set_schema_to_public()

    # When 10 calls reserve 100 each at once, each on its own connection
    def reserve(_n):
        try:
            return ai_tokens_reserve(100, tenant)
        except QuotaExceeded as error:
            return error.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = list(pool.map(reserve, range(10)))

    # Then exactly 3 start (at 750, 850 and 950: below the allowance), the 7 others are refused,
    # and the month passes the allowance by one call: 1,050 counted
    assert sorted(outcomes, key=str) == [100] * 3 + ["quota_exceeded"] * 7
    assert ai_tokens_used(tenant) == 1050


def test_owners_are_told_at_80_and_100_percent_once(tenant, django_capture_on_commit_callbacks):
    # Given 1,000 tokens a month
    on_pro(tenant, ai_tokens_per_month=1000)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        ai_tokens_reserve(500, tenant)
        ai_tokens_reserve(300, tenant)  # 800: 80 %
        ai_tokens_settle(300, 100, tenant)  # 600
        ai_tokens_reserve(300, tenant)  # 900: 80 % again, not told twice
        ai_tokens_settle(300, 500, tenant)  # 1,100: 100 %, reached when settling

    # Then one alert at 80 % and one at 100 %, each emailed to the owner once
    alerts = UsageAlert.objects.filter(tenant=tenant, metric=Limit.AI_TOKENS)
    assert sorted(alerts.values_list("threshold", flat=True)) == [80, 100]
    assert [message.subject for message in mail.outbox] == [
        "80 % of the month's AI text tokens used in Alpha",
        "100 % of the month's AI text tokens used in Alpha",
    ]
    assert mail.outbox[0].to == ["owner@alpha.test"]
    assert "1000 AI text tokens" in mail.outbox[0].body
    assert "AI text requests are refused until the 1st of next month" in mail.outbox[1].body
    assert "/settings/billing/" in mail.outbox[1].body


def test_the_billing_page_shows_the_ai_tokens_bar_and_each_plans_tokens(tenant, settings):
    settings.STRIPE_TEST_SECRET_KEY = ""
    on_pro(tenant, ai_tokens_per_month=5_000_000)
    ai_tokens_reserve(1234, tenant)

    page = dashboard_client(tenant, member(tenant, Role.OWNER, email="boss@alpha.test")).get(
        "/settings/billing/"
    )

    assert page.status_code == 200
    assert 'data-limit="ai_tokens"' in page.text
    assert "AI text tokens this month" in page.text
    assert 'aria-valuemax="5000000" aria-valuenow="1234"' in page.text
    assert "200000 AI text tokens a month" in page.text
    assert "Unlimited AI text tokens" in page.text


def test_operators_edit_the_ai_text_tokens_in_the_admin(tenant, operator):
    plan = plan_get(Plan.Code.STARTER)
    fields = model_to_dict(plan, PlanForm.Meta.fields)
    form = {name: "" if value is None else value for name, value in fields.items()}

    page = operator.get(admin_url(Plan, "change", plan.pk))
    saved = operator.post(admin_url(Plan, "change", plan.pk), {**form, "ai_tokens_per_month": "12345"})

    assert 'name="ai_tokens_per_month"' in page.text
    assert saved.status_code == 302, saved.content.decode()[:2000]
    plan.refresh_from_db()
    assert plan.ai_tokens_per_month == 12345
