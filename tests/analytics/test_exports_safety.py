"""User text in the exports stays text: no ReportLab markup in the PDF report, no formula in the CSVs."""

import csv
import io
import tempfile

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph

from apps.analytics.services import rollup_catch_up
from apps.orders.models import Order
from apps.tenants.services import tenant_rename
from tests.support.factories.analytics import days_ago, order_on
from tests.support.factories.products import ProductFactory


def report(client) -> PdfReader:
    response = client.get("/analytics/report.pdf?period=7")
    assert response.status_code == 200
    return PdfReader(io.BytesIO(response.content))


def words(text: str) -> str:
    """`text` with its whitespace collapsed (the PDF wraps long titles)."""
    return " ".join(text.split())


def csv_rows(client, kind: str) -> list[dict]:
    response = client.get(f"/analytics/{kind}.csv?period=7")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_an_image_tag_in_the_workspace_name_fetches_nothing_and_reads_as_written(
    tenant, owner_client, receiver
):
    name = f'<img src="{receiver.url}/x" width="1" height="1"/>'
    tenant_rename(tenant=tenant, name=name)

    pdf = report(owner_client)

    assert receiver.requests == []
    assert words(name) in words(pdf.pages[0].extract_text())


def test_an_image_tag_in_the_workspace_name_reads_no_file_into_the_report(tenant, owner_client):
    with tempfile.NamedTemporaryFile(suffix=".png") as secret:  # a short path: names hold 100 characters
        Image.new("RGB", (8, 8), "red").save(secret, "PNG")
        secret.flush()
        tenant_rename(tenant=tenant, name=f'<img src="{secret.name}" width="40" height="40"/>')

        pdf = report(owner_client)

    assert len(pdf.pages[0].images) == 0
    assert secret.name in words(pdf.pages[0].extract_text())


def test_broken_markup_in_the_workspace_name_is_shown_as_written(tenant, owner_client):
    tenant_rename(tenant=tenant, name="Broken <b markup & co")

    pdf = report(owner_client)

    assert "Broken <b markup & co" in pdf.pages[0].extract_text()


def test_markup_in_a_product_title_fetches_nothing_and_reads_as_written(tenant, owner_client, receiver):
    title = f'<img src="{receiver.url}/p"/> Mug'
    order_on(days_ago(1), total="30.00", email="ada@example.com", product=ProductFactory(name=title))
    rollup_catch_up()

    pdf = report(owner_client)

    assert receiver.requests == []
    assert title in pdf.pages[0].extract_text()


def test_reportlab_fetches_no_url_even_from_raw_markup(receiver):
    # The second wall behind `paragraph()`: markup built without it still loads no URL.
    style = getSampleStyleSheet()["Normal"]

    for src in (f"{receiver.url}/raw", "file:///etc/hostname"):
        with pytest.raises(OSError, match="Cannot open resource"):
            Paragraph(f'<img src="{src}" width="1" height="1"/>', style)

    assert receiver.requests == []


def test_a_formula_in_a_customer_name_is_written_as_text(tenant, owner_client):
    formula = '=HYPERLINK("http://x","y")'
    order_on(days_ago(1), total="30.00", email="eve@example.com", name=formula)

    [row] = csv_rows(owner_client, "orders")

    assert row["customer_name"] == "'" + formula
    assert row["total"] == "30.00"


def test_a_falling_kpi_stays_a_negative_number_in_the_csv(tenant, owner_client):
    order_on(days_ago(9), total="40.00", email="ada@example.com", status=Order.Status.DELIVERED)
    order_on(days_ago(1), total="10.00", email="ada@example.com", status=Order.Status.PAID)
    rollup_catch_up()

    revenue = csv_rows(owner_client, "kpis")[0]

    assert (revenue["kpi"], revenue["change_percent"]) == ("revenue", "-75.0")
