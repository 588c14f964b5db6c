"""The copilot's tools answer with the dashboard's own figures, in the current workspace only, to the
roles allowed, and refuse any argument their schema does not take."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import translation

from apps.analytics import selectors as analytics
from apps.analytics.selectors import Period
from apps.billing.selectors import usage_list
from apps.campaigns.selectors import campaign_list, campaign_progress, campaign_revenue
from apps.copilot.tools import TOOLS, ToolResult, tool_run, tools_for
from apps.core.errors import NotFound, PermissionDenied, ValidationFailed
from apps.crm.health import health_metrics
from apps.crm.scoring.customers import segment_summary
from apps.crm.selectors import customer_360, customer_list
from apps.designs.models import Design
from apps.orders.models import Order
from apps.orders.selectors import order_list, order_status_counts
from apps.tenants.models import Role
from tests.support.crm_pages import customer_make
from tests.support.factories.analytics import TODAY, days_ago, order_on

WEEK = Period(days_ago(6), TODAY)
LAST_WEEK = {"period": "7d", "start": None, "end": None}
PERIOD_TOOLS = ("kpis", "revenue_series", "top_products", "failed_designs", "design_funnel")


def arguments(name: str, **values) -> dict:
    """Every argument of tool `name` null (the last 7 days for a period), then `values`."""
    given = dict.fromkeys(TOOLS[name].parameters["properties"])
    if "period" in given:
        given.update(LAST_WEEK)
    if "customer" in given:
        given["customer"] = "grace@example.com"
    return {**given, **values}


def run(name: str, role: str = Role.OWNER, **values) -> ToolResult:
    return tool_run(name, arguments(name, **values), role=role)


# --- the figures equal the dashboard's ----------------------------------------------------------


def test_kpis_equal_the_dashboard_home(history):
    result = run("kpis", role=Role.VIEWER)

    figures = analytics.kpis(WEEK)
    assert result.data["currency"] == figures["currency"] == "EUR"
    assert result.data["kpis"] == {
        key: {
            "value": None
            if kpi.value is None
            else str(kpi.value)
            if isinstance(kpi.value, Decimal)
            else kpi.value,
            "previous": None
            if kpi.previous is None
            else str(kpi.previous)
            if isinstance(kpi.previous, Decimal)
            else kpi.previous,
            "change": None if kpi.change is None else str(kpi.change),
        }
        for key, kpi in figures["items"].items()
    }
    assert result.data["kpis"]["revenue"] == {"value": "80.00", "previous": "40.00", "change": "100.0"}
    assert result.data["other_revenue"] == {"USD": "15.00"}
    assert not result.empty
    assert "80.00 EUR" in result.summary
    assert "+100.0 %" in result.summary
    assert result.sources[0].url == "/?period=7"


def test_revenue_series_equals_the_timeline_chart(history):
    result = run("revenue_series", role=Role.VIEWER)

    series = analytics.series(WEEK, "EUR")
    assert [day["day"] for day in result.data["days"]] == series["days"]
    assert [day["revenue"] for day in result.data["days"]] == series["revenue"]
    assert [day["orders"] for day in result.data["days"]] == series["orders"]
    assert result.data["total_orders"] == sum(series["orders"]) == 3
    assert result.data["best_day"]["revenue"] == "50.00"
    assert "50.00 EUR" in result.summary


def test_top_products_equal_the_dashboard_table(history):
    result = run("top_products", role=Role.VIEWER)

    rows = analytics.top_products(WEEK, "EUR")
    assert [(row["sku"], row["units"], row["revenue"]) for row in result.data["products"]] == [
        (row["sku"], row["units"], str(row["revenue"])) for row in rows
    ]
    assert result.data["products"][0]["sku"] == "MUG-A"
    assert "| 1 | " in result.summary


def test_orders_by_status_equal_the_orders_page_and_say_what_blocks(history):
    result = run("orders_by_status", role=Role.VIEWER)

    counts = order_status_counts()
    assert {status: n for status, n in result.data["by_status"].items() if n} == counts
    assert result.data["total"] == sum(counts.values()) == 5
    assert result.data["blocked"] == {
        "awaiting_payment": order_list(awaiting_payment=True).count(),
        "unpaid": order_list(status=Order.Status.PENDING).count() - order_list(awaiting_payment=True).count(),
        "pack_failed": 0,
        "pack_not_built": order_list(status=Order.Status.PAID).count(),
    }
    assert result.data["blocked"]["unpaid"] == 2
    assert {order["blocker"] for order in result.data["blocked_orders"]} == {"unpaid", "pack_not_built"}


def test_failed_designs_equal_the_status_counts_most_recent_first(history):
    result = run("failed_designs", role=Role.VIEWER)

    statuses = analytics.designs_by_status(WEEK)
    assert (
        (result.data["failed"], result.data["rejected"])
        == (statuses["failed"], statuses["rejected"])
        == (1, 1)
    )
    assert [row["status"] for row in result.data["designs"]] == ["failed", "rejected"]
    assert result.data["designs"][0]["reason"] == "The *renderer* stopped"
    assert r"The \*renderer\* stopped" in result.summary  # the reason is escaped, not emphasis


def test_design_funnel_equals_the_dashboard_funnel(history):
    result = run("design_funnel", role=Role.VIEWER, by="product")

    total, *rows = analytics.funnel(WEEK, "product")
    assert result.data["total"] == {step: total[step] for step in ("prompts", "previews", "carts", "orders")}
    assert [row["label"] for row in result.data["rows"]] == [row["label"] for row in rows]
    assert result.data["total"]["prompts"] == 4  # the widget's designs only


def test_segments_and_at_risk_customers_equal_the_crm(history):
    segments = run("segments", role=Role.VIEWER)
    at_risk = run("at_risk_customers", role=Role.VIEWER)

    summary = segment_summary()
    assert segments.data["customers"] == summary["customers"] == 3
    assert {row["segment"]: (row["customers"], row["monetary"]) for row in segments.data["segments"]} == {
        row["segment"]: (row["customers"], str(row["monetary"])) for row in summary["results"]
    }
    expected = list(customer_list(segment="at_risk", sort="-monetary"))
    assert [row["id"] for row in at_risk.data["customers"]] == [customer.pk for customer in expected]
    assert at_risk.data["customers"][0] == {
        "id": history["grace"].pk,
        "name": "Grace Hopper",
        "email": "grace@example.com",
        "monetary": "300.00",
        "recency_days": 200,
        "last_purchase": None,
        "consent": "unknown",
    }
    assert at_risk.data["count"] == 2
    assert "Grace Hopper" in at_risk.summary
    assert "300.00" in at_risk.summary


@pytest.mark.parametrize("asked", ["grace@example.com", " GRACE@example.com ", "C42", "id"])
def test_customer_360_by_email_client_code_or_id(history, asked):
    grace = history["grace"]
    result = run("customer_360", role=Role.VIEWER, customer=str(grace.pk) if asked == "id" else asked)

    view = customer_360(customer_id=grace.pk)
    assert result.data["customer"]["id"] == grace.pk
    assert result.data["segment"] == view.customer.score.segment == "at_risk"
    assert result.data["customer"]["consent"] == "unknown"
    assert result.data["orders"]["count"] == len(view.orders)
    assert [row["reason"] for row in result.data["recommendations"]] == [
        reason for _, reason in view.recommendations
    ]
    assert result.sources[0].url == f"/customers/{grace.pk}/"


def test_an_unknown_customer_is_an_empty_answer(history):
    result = run("customer_360", role=Role.VIEWER, customer="[nobody](http://evil.example)")

    assert result.empty
    assert result.data["customer"] is None
    assert "\\[nobody\\]\\(http" in result.summary  # no link made of the user's text


def test_campaign_stats_equal_the_campaign_page(history):
    result = run("campaign_stats", role=Role.VIEWER)

    campaign = campaign_list().get(name="Spring")
    progress, revenue = campaign_progress(campaign), campaign_revenue(campaign)
    (row,) = result.data["campaigns"]
    assert row["recipients"] == progress.total == 5
    assert {key: row[key] for key in progress.funnel} == progress.funnel
    assert row["sent"] == 4
    assert row["failed"] == 1
    assert row["orders"] == revenue.orders
    assert "4 sent of 5" in result.summary


def test_data_health_equals_the_health_page(history):
    result = run("data_health", role=Role.VIEWER)

    metrics = health_metrics()
    assert {key: result.data[key] for key in metrics} == metrics
    assert result.data["customers"] == 6  # 3 made here, 3 from the orders (ada, bob, dan)
    assert result.data["imports"] == []


def test_plan_usage_equals_the_billing_page_for_admins(tenant):
    result = run("plan_usage", role=Role.ADMIN)

    assert [(row["limit"], row["used"], row["allowed"]) for row in result.data["usage"]] == [
        (usage.limit, usage.used, usage.allowed) for usage in usage_list(tenant)
    ]
    assert result.data["plan"] == "pro"
    assert result.sources[0].url == "/settings/billing/"


# --- roles ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR, "nobody", None])
def test_plan_usage_is_refused_below_admin(tenant, role):
    with pytest.raises(PermissionDenied):
        run("plan_usage", role=role)
    assert "plan_usage" not in {item.name for item in tools_for(role)}


def test_what_each_role_may_use(tenant):
    assert {item.name for item in tools_for(Role.OWNER)} == set(TOOLS)
    assert set(TOOLS) - {item.name for item in tools_for(Role.VIEWER)} == {"plan_usage", "inbox_threads"}
    assert set(TOOLS) - {item.name for item in tools_for(Role.EDITOR)} == {"plan_usage"}
    assert len(TOOLS) == 15


def test_every_schema_is_openai_strict(tenant):
    for item in TOOLS.values():
        schema = item.parameters
        assert schema["type"] == "object", item.name
        assert schema["additionalProperties"] is False, item.name
        assert sorted(schema["required"]) == sorted(schema["properties"]), item.name
        assert str(item.label)
        assert item.description


# --- arguments ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "given", "field"),
    [
        ("kpis", {"period": 7}, "period"),  # wrong type
        ("kpis", {"period": "year"}, "period"),  # not in the enum
        ("kpis", {"period": "7d\x00"}, "period"),  # NUL
        ("kpis", {"period": "\ud800"}, "period"),  # lone surrogate
        ("kpis", {"period": {"nested": ["7d"]}}, "period"),
        ("kpis", {"extra": 1}, "extra"),  # unknown property
        ("kpis", {"period": "custom", "start": "2025-02-30", "end": "2025-03-01"}, "start"),
        ("kpis", {"period": "custom", "start": "20250101", "end": "2025-03-01"}, "start"),
        ("kpis", {"period": "custom", "start": None, "end": None}, "start"),
        ("kpis", {"period": "custom", "start": "2025-03-02", "end": "2025-03-01"}, "start"),
        ("kpis", {"period": "custom", "start": "0001-01-01", "end": "0001-01-02"}, "start"),
        ("kpis", {"period": "7d", "start": "2025-03-01"}, "start"),
        ("design_funnel", {"by": "colour"}, "by"),
        ("customer_360", {"customer": "x" * 100_000}, "customer"),
        ("customer_360", {"customer": None}, "customer"),
        ("customer_360", {"customer": True}, "customer"),
        ("at_risk_customers", {"segment": "champions"}, "segment"),
    ],
)
def test_bad_arguments_are_refused_with_every_problem(tenant, name, given, field):
    with pytest.raises(ValidationFailed) as refused:
        tool_run(name, arguments(name, **given), role=Role.OWNER)

    assert field in [problem["field"] for problem in refused.value.details["problems"]]


@pytest.mark.parametrize("given", [None, [], "7d", 7, {"period": "7d"}, {"\x00": 1, "\udfff": 2}])
def test_arguments_not_the_schema_s_object_are_refused(tenant, given):
    with pytest.raises(ValidationFailed) as refused:
        tool_run("kpis", given, role=Role.VIEWER)

    assert refused.value.details["problems"]
    str(refused.value.details).encode()  # every field name printable, whatever was sent


@pytest.mark.parametrize("name", ["nope", "", "\x00", None, 3, "kpis "])
def test_an_unknown_tool_is_not_found(tenant, name):
    with pytest.raises(NotFound):
        tool_run(name, {}, role=Role.OWNER)


# --- an empty workspace, two workspaces, three languages ---------------------------------------


@pytest.mark.parametrize("name", sorted(set(TOOLS) - {"plan_usage"}))
def test_an_empty_workspace_answers_no_data(tenant, name):
    result = run(name)

    assert result.empty
    assert result.summary.startswith("No ")
    assert result.sources


def test_each_workspace_sees_its_own_data_only(tenant, other_tenant):
    # Given alpha with one order of 30.00 and a customer, and beta with one of 77.00 and none
    connection.set_tenant(tenant)  # `other_tenant` left the public schema active
    order_on(days_ago(1), total="30.00", email="ada@example.com", status=Order.Status.PAID)
    customer_make(email="grace@example.com")
    connection.set_tenant(other_tenant)
    order_on(days_ago(1), total="77.00", email="zed@example.com", status=Order.Status.PAID)
    in_beta = run("kpis"), run("orders_by_status"), run("customer_360", customer="grace@example.com")
    connection.set_tenant(tenant)
    in_alpha = run("kpis"), run("orders_by_status"), run("customer_360", customer="grace@example.com")

    assert in_alpha[0].data["kpis"]["revenue"]["value"] == "30.00"
    assert in_beta[0].data["kpis"]["revenue"]["value"] == "77.00"
    assert "77.00" not in in_alpha[0].summary
    assert "30.00" not in in_beta[0].summary
    assert in_alpha[1].data["total"] == in_beta[1].data["total"] == 1
    assert in_alpha[1].data["blocked_orders"][0]["reference"] != ""
    assert not in_alpha[2].empty
    assert in_beta[2].empty


@pytest.mark.parametrize("language", ["fr", "zh-hans"])
def test_summaries_in_french_and_chinese_carry_the_same_figures(history, language):
    with translation.override(language):
        results = {name: run(name) for name in TOOLS}

    assert "80.00" in results["kpis"].summary
    assert "100.0" in results["kpis"].summary
    assert "300.00" in results["at_risk_customers"].summary
    assert "Grace Hopper" in results["at_risk_customers"].summary
    for result in results.values():
        assert result.summary
        assert all(source.url.startswith("/") for source in result.sources)


def test_a_custom_period_and_last_month_link_to_the_same_period(history):
    custom = run("kpis", period="custom", start=days_ago(6).isoformat(), end=TODAY.isoformat())
    last_month = run("kpis", period="last_month")

    assert custom.data["kpis"] == run("kpis").data["kpis"]
    first = TODAY.replace(day=1) - timedelta(days=1)
    assert last_month.data["period"]["start"] == first.replace(day=1).isoformat()
    assert last_month.data["period"]["end"] == first.isoformat()
    assert custom.sources[0].url == f"/?period=custom&start={days_ago(6)}&end={TODAY}"
    assert date.fromisoformat(custom.data["period"]["previous_end"]) == days_ago(7)


def test_every_answer_is_json(history):
    for name in TOOLS:
        json.dumps(run(name).data)
    assert Design.objects.filter(status="failed").exists()


def test_shop_sales_equal_the_orders_per_channel(history):
    result = run("shop_sales", role=Role.VIEWER, shop="shopify")

    channels = analytics.sales_by_source(WEEK, "EUR")
    assert result.data["channels"] == [
        {"source": "shopify", "orders": 3, "revenue": "80.00", "with_designs": 0}
    ]
    assert [row["orders"] for row in channels] == [3]
    assert [row["sku"] for row in result.data["shop_products"]] == [
        row["sku"] for row in analytics.top_products(WEEK, "EUR", source="shopify")
    ]
    assert "- Shopify: 3 orders, 80.00 EUR, 0 with a Luneo design" in result.summary
    assert run("shop_sales", role=Role.VIEWER, shop="woocommerce").data["shop_products"] == []
