"""The design quota: exact at the boundary, per month, metered on Pro, 80 % and 100 % alerts once."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.core import mail
from django.db import connection

from apps.billing.entitlements import design_quota_consume, email_quota_reserve, month_start
from apps.billing.models import Limit, Plan, UsageAlert, UsageCounter
from apps.billing.services import plan_get, subscription_assign
from apps.designs.services import design_create
from tests.support.clients import api_client, error_code, http_call, new_key, post_json
from tests.support.factories.products import product_make


def on_plan(tenant, code: str, **limits) -> Plan:
    plan = plan_get(code)
    for name, value in limits.items():
        setattr(plan, name, value)
    plan.save()
    subscription_assign(tenant=tenant, plan=plan)
    return plan


def used_this_month(tenant) -> int:
    counter = UsageCounter.objects.filter(tenant=tenant, metric=Limit.DESIGNS, period=month_start()).first()
    return counter.count if counter else 0


def test_the_50th_widget_design_passes_and_the_51st_gets_402(tenant, widget, widget_product, settings):
    # Given a Starter workspace that made 49 designs this month
    settings.WIDGET_DESIGNS_PER_HOUR = 100
    on_plan(tenant, Plan.Code.STARTER)
    for _ in range(49):
        design_quota_consume(tenant)
    widget.start_session()

    # When the shopper asks for a 50th, then a 51st design
    fiftieth = widget.post("designs", {"product": widget_product.sku, "prompt": "a fox"})
    fifty_first = widget.post("designs", {"product": widget_product.sku, "prompt": "a fox"})

    # Then the 50th is accepted, the 51st refused with an upgrade link, and 50 are counted
    assert fiftieth.status_code == 202
    assert fifty_first.status_code == 402
    assert error_code(fifty_first) == "quota_exceeded"
    details = fifty_first.json()["error"]["details"]
    assert details["allowed"] == 50
    assert details["upgrade_url"].endswith("/settings/billing/")
    today = month_start()
    assert details["resets_on"] == date(today.year + today.month // 12, today.month % 12 + 1, 1).isoformat()
    assert used_this_month(tenant) == 50


def test_a_refused_design_is_not_counted(tenant, widget_product):
    # Given a workspace with one design left
    on_plan(tenant, Plan.Code.PRO, designs_per_month=1, overage=False)
    client = api_client(tenant, scopes=["designs:write"])

    # When a design fails validation (empty prompt), then a good one is made
    bad = post_json(client, "/api/v1/designs", {"product": widget_product.pk, "prompt": ""})
    good = post_json(client, "/api/v1/designs", {"product": widget_product.pk, "prompt": "a fox"})

    # Then only the good one used the quota
    assert bad.status_code == 422
    assert good.status_code == 202
    assert used_this_month(tenant) == 1


def test_pro_goes_beyond_its_quota_and_meters_the_overage(tenant):
    # Given Pro with 2 designs a month (overage billed)
    on_plan(tenant, Plan.Code.PRO, designs_per_month=2)
    mug = product_make()

    # When 4 designs are made
    for _ in range(4):
        design_create(product=mug.pk, prompt="a fox")

    # Then all pass and 2 are recorded as overage
    counter = UsageCounter.objects.get(tenant=tenant, metric=Limit.DESIGNS, period=month_start())
    assert (counter.count, counter.overage, counter.overage_reported) == (4, 2, 0)


def test_owners_are_told_at_80_and_100_percent_once(tenant, django_capture_on_commit_callbacks):
    # Given Starter with 5 designs a month
    on_plan(tenant, Plan.Code.STARTER, designs_per_month=5)
    mail.outbox.clear()

    # When 5 designs are counted
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            design_quota_consume(tenant)

    # Then one alert at 4 (80 %) and one at 5 (100 %), each emailed to the owner
    assert sorted(UsageAlert.objects.filter(tenant=tenant).values_list("threshold", flat=True)) == [80, 100]
    subjects = [message.subject for message in mail.outbox]
    assert subjects == [
        "80 % of the month's AI designs used in Alpha",
        "100 % of the month's AI designs used in Alpha",
    ]
    assert mail.outbox[0].to == ["owner@alpha.test"]
    assert "/settings/billing/" in mail.outbox[1].body


def test_the_quota_is_per_workspace(tenant, other_tenant):
    # Given alpha has used its whole quota
    on_plan(tenant, Plan.Code.STARTER, designs_per_month=1)
    design_quota_consume(tenant)

    # When beta counts a design
    count = design_quota_consume(other_tenant)

    # Then beta is not affected
    assert count == used_this_month(other_tenant)
    assert used_this_month(tenant) == 1


@pytest.mark.django_db(transaction=True)
def test_ten_parallel_requests_at_the_limit_pass_exactly_the_allowed_number(tenant, live_server):
    # Given a workspace with 3 designs left this month, on a plan without overage
    on_plan(tenant, Plan.Code.PRO, designs_per_month=5, overage=False)
    for _ in range(2):
        design_quota_consume(tenant)
    mug = product_make()
    _key, raw = new_key(tenant, scopes=["designs:write"])
    connection.set_schema_to_public()

    # When 10 requests create designs at once on the real server
    body = {"product": mug.pk, "prompt": "a fox in the snow"}
    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(
            pool.map(lambda _: http_call(live_server, "POST", "/api/v1/designs", raw, body), range(10))
        )

    # Then exactly 3 are accepted and 7 refused with 402, and the month counts 5
    statuses = sorted(status for status, _headers, _body in results)
    assert statuses == [202] * 3 + [402] * 7
    assert {body["error"]["code"] for status, _headers, body in results if status == 402} == {
        "quota_exceeded"
    }
    assert used_this_month(tenant) == 5


def test_owners_are_told_when_campaign_emails_cross_80_and_100_percent(
    tenant, django_capture_on_commit_callbacks
):
    # Given Starter with 10 campaign e-mails a month
    on_plan(tenant, Plan.Code.STARTER, emails_per_month=10)
    mail.outbox.clear()

    # When batches of 5, 3 and 4 e-mails are reserved (the last one gets 2)
    with django_capture_on_commit_callbacks(execute=True):
        granted = [email_quota_reserve(count, tenant) for count in (5, 3, 4)]

    # Then the 80 % alert went with the second batch, the 100 % with the third, once each
    assert granted == [5, 3, 2]
    alerts = UsageAlert.objects.filter(tenant=tenant, metric=Limit.EMAILS)
    assert sorted(alerts.values_list("threshold", flat=True)) == [80, 100]
    assert [message.subject for message in mail.outbox] == [
        "80 % of the month's campaign e-mails used in Alpha",
        "100 % of the month's campaign e-mails used in Alpha",
    ]
    assert "10 campaign e-mails" in mail.outbox[0].body
    assert "Campaigns that are sending are paused" in mail.outbox[1].body
