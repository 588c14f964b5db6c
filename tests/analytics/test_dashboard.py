"""The home page, its period switch, exports, the weekly report and the plan's analytics feature."""

import csv
import io
from datetime import timedelta

from django.core import mail
from pypdf import PdfReader

from apps.analytics.reports import report_title
from apps.analytics.selectors import Period
from apps.analytics.services import rollup_catch_up, weekly_report_send
from apps.billing.models import Plan
from apps.billing.services import plan_get, subscription_assign
from apps.tenants.models import Membership, Role, User
from tests.support.clients import dashboard_client
from tests.support.factories.analytics import TODAY, days_ago
from tests.support.workspaces import member

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_home_page_shows_the_kpis_and_chart_data(history, owner_client):
    rollup_catch_up()

    page = owner_client.get("/?period=7")

    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-kpi="revenue"' in text
    assert "80.00" in text
    assert "EUR" in text
    assert "+100.0 %" in text  # revenue against the week before
    assert 'id="analytics-charts"' in text
    assert 'data-chart="funnel_style"' in text
    assert "15.00 USD" in text  # the other currency, named


def test_switching_the_period_returns_the_panel_only(history, owner_client):
    rollup_catch_up()

    partial = owner_client.get("/?period=90", **HTMX)

    text = partial.content.decode()
    assert "<html" not in text
    assert "(90 days)" in text


def test_a_bad_custom_period_is_a_form_error_and_the_default_is_shown(owner_client):
    future = (TODAY + timedelta(days=3)).isoformat()

    page = owner_client.get(f"/?period=custom&start={TODAY.isoformat()}&end={future}")

    assert page.status_code == 200
    assert "The period cannot end after today." in page.content.decode()
    assert "(30 days)" in page.content.decode()


def test_the_period_menu_names_the_period_the_page_shows(owner_client):
    for query in ("", "?period=", "?period=365", "?other=1"):
        text = owner_client.get(f"/{query}").content.decode()

        assert '<option value="30" selected>' in text, query
        assert "(30 days)" in text, query
    assert '<option value="7" selected>' in owner_client.get("/?period=7").content.decode()


def test_kpis_csv_has_one_row_per_kpi(history, owner_client):
    rollup_catch_up()

    response = owner_client.get("/analytics/kpis.csv?period=7")

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert [row["kpi"] for row in rows] == [
        "revenue", "orders", "average_order", "active_customers", "designs", "conversion", "ai_cost",
    ]  # fmt: skip
    revenue = rows[0]
    assert (revenue["value"], revenue["previous"], revenue["change_percent"], revenue["currency"]) == (
        "80.00",
        "40.00",
        "100.0",
        "EUR",
    )
    assert (revenue["start"], revenue["end"]) == (days_ago(6).isoformat(), TODAY.isoformat())


def test_orders_csv_lists_every_order_of_the_period(history, owner_client):
    response = owner_client.get("/analytics/orders.csv?period=7")

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == [
        "number", "created_at", "status", "source", "customer_email", "customer_name", "items",
        "currency", "subtotal", "shipping_total", "total", "external_ref",
    ]  # fmt: skip
    assert sorted(row["total"] for row in rows) == ["15.00", "20.00", "30.00", "50.00", "99.00"]
    assert {row["status"] for row in rows} == {"paid", "pending", "refunded", "cancelled"}


def test_the_pdf_report_opens_with_its_title_and_one_page(history, owner_client):
    rollup_catch_up()

    response = owner_client.get("/analytics/report.pdf?period=7")

    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    assert reader.metadata.title == report_title("Alpha", Period(days_ago(6), TODAY))
    text = reader.pages[0].extract_text()
    assert "Revenue (EUR)" in text
    assert "Top products" in text


def test_the_report_speaks_the_readers_language(history, owner_client):
    owner_client.post("/i18n/language/", {"language": "zh-hans", "next": "/"})

    response = owner_client.get("/analytics/report.pdf?period=7")

    assert len(PdfReader(io.BytesIO(response.content)).pages) == 1


def test_starter_sees_the_kpis_but_charts_and_exports_need_pro(history, owner_client, tenant):
    subscription_assign(tenant=tenant, plan=plan_get(Plan.Code.STARTER))

    page = owner_client.get("/?period=7").content.decode()
    export = owner_client.get("/analytics/kpis.csv?period=7")

    assert 'data-kpi="revenue"' in page
    assert 'id="analytics-charts"' not in page
    assert "come with the Pro plan" in page
    assert export.status_code == 302
    assert export["Location"] == "/settings/billing/"


def test_owners_opt_in_to_the_weekly_report_sent_once_in_their_language(history, tenant, owner_client):
    # Given the owner opted in, reading French
    owner_client.post("/analytics/weekly-report/", {"enabled": "on"})
    User.objects.filter(email="owner@alpha.test").update(language="fr")
    rollup_catch_up()
    mail.outbox.clear()

    # When the Monday job runs (twice, as a redelivered task would)
    sent = weekly_report_send()
    again = weekly_report_send()

    # Then one French email with the PDF attached
    assert (sent, again) == (1, 0)
    [email] = mail.outbox
    assert email.to == ["owner@alpha.test"]
    assert email.subject.startswith("Alpha — rapport du")
    assert "Chiffre d’affaires" in email.body
    name, content, content_type = email.attachments[0]
    assert content_type == "application/pdf"
    assert len(PdfReader(io.BytesIO(content)).pages) == 1


def test_only_owners_may_opt_in(tenant):
    admin = dashboard_client(tenant, member(tenant, Role.ADMIN))

    response = admin.post("/analytics/weekly-report/", {"enabled": "on"})

    assert response.status_code == 403
    assert not Membership.objects.filter(tenant=tenant, weekly_report=True).exists()


def test_another_workspace_member_sees_none_of_this_dashboard(history, tenant, other_tenant):
    outsider = dashboard_client(tenant, User.objects.get(email="owner@beta.test"))

    home = outsider.get("/?period=7")
    export = outsider.get("/analytics/orders.csv?period=7")

    assert home.status_code == 403
    assert export.status_code == 403
    assert "ada@example.com" not in export.content.decode()
