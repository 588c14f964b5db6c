"""The operators' index: Luneo-branded, grouped into the sections operators work in; Stripe's own
models only when Stripe is configured; the platform's overview added up across workspaces by the
hourly rollup (designs, AI spend, traffic, paying workspaces, MRR, churn)."""

from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from apps.billing.models import Plan, Subscription
from apps.console.models import PlatformDay
from apps.console.platform import platform_overview, platform_rollup
from apps.core.traffic import traffic_day, traffic_flush
from apps.products.models import Product
from tests.support.clients import operator_client
from tests.support.factories.analytics import ai_cost_on, days_ago, design_on
from tests.support.factories.products import ProductFactory

TODAY = timezone.now().date()


def index(client) -> str:
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_index_is_branded_and_grouped_by_section(db):
    page = index(operator_client())

    assert "Luneo operators" in page
    assert "Django administration" not in page
    for section in (
        "Workspaces",
        "People",
        "Plans &amp; billing",
        "Workspace records",
        "Jobs &amp; webhooks",
    ):
        assert section in page
    assert page.index("Workspaces") < page.index("People") < page.index("Plans &amp; billing")
    assert "Not available" not in page
    assert 'href="/admin/tenants/tenant/"' in page
    assert 'href="/admin/console/moderation/"' in page
    assert 'href="/admin/console/jobs/"' in page


def test_stripe_models_are_hidden_until_stripe_is_configured(db, settings):
    client = operator_client()
    settings.STRIPE_TEST_SECRET_KEY = ""
    assert "Stripe (advanced)" not in index(client)

    settings.STRIPE_TEST_SECRET_KEY = "sk_test_" + "x" * 24
    page = index(client)

    assert "Stripe (advanced)" in page
    assert "Not available for global schema" not in page


# --- the platform overview -----------------------------------------------------------------------


def test_the_overview_adds_up_every_workspace_and_draws_from_one_row_a_day(
    other_tenant, tenant, django_assert_max_num_queries
):
    # Given a design and AI cost today in each of two workspaces, and some traffic
    for workspace in (other_tenant, tenant):
        connection.set_tenant(workspace)
        design_on(days_ago(0), ProductFactory(status=Product.Status.ACTIVE))
        ai_cost_on(days_ago(0), "0.25")
    connection.set_schema_to_public()
    traffic_flush({(TODAY.isoformat(), "requests"): 200, (TODAY.isoformat(), "errors"): 3})
    Subscription.objects.filter(tenant=tenant).update(status="active", plan=Plan.objects.get(code="pro"))

    # When the hourly rollup runs
    [yesterday, today] = platform_rollup()

    # Then today's row holds both workspaces' figures and the traffic
    assert today.day == TODAY
    assert (today.designs, today.ai_cost_usd) == (2, Decimal("0.5"))
    assert today.requests >= 200
    assert today.errors >= 3
    assert tenant.pk in today.paying_ids
    assert today.mrr_eur_cents > 0
    client = operator_client()
    with django_assert_max_num_queries(40):  # whatever the number of workspaces
        page = index(client)
    assert "Platform overview" in page
    assert 'id="console-charts"' in page
    overview = platform_overview()
    assert overview.designs == 2
    assert overview.ai_cost_usd == Decimal("0.50")
    assert overview.signups >= 2
    assert overview.paying >= 1
    assert overview.churn is None  # no snapshot from 30 days ago yet
    assert overview.charts["designs"]["datasets"][0]["data"][-1] == 2.0


def test_churn_compares_with_the_workspaces_paying_thirty_days_ago(tenant, other_tenant):
    start = TODAY - timedelta(days=29)
    PlatformDay.objects.create(day=start, paying_ids=[tenant.pk, other_tenant.pk])
    Subscription.objects.filter(tenant=tenant).update(status="active", plan=Plan.objects.get(code="pro"))
    Subscription.objects.filter(tenant=other_tenant).update(
        status="active", plan=Plan.objects.get(code="starter")
    )

    assert platform_overview().churn == Decimal("50.00")  # other_tenant no longer pays


def test_every_answered_request_is_counted_once_flushed(tenant, client):
    traffic_flush()  # what earlier tests counted
    before = traffic_day(TODAY)["requests"]
    client.get("/", HTTP_HOST="localhost")
    traffic_flush()

    assert traffic_day(TODAY)["requests"] == before + 1
