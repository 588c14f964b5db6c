"""Imports end to end through the real services: what lands in the workspace and the report."""

from decimal import Decimal

from apps.crm.models import CatalogItem, Customer, SalesLine
from tests.support.crm_etl import CUSTOMERS, PRODUCTS, SALES, catalogue_and_customers, report, run_import


def test_customers_are_normalised_with_warnings(tenant):
    done = run_import(CUSTOMERS)

    assert report(done) == {
        "status": "done",
        "rows_read": 3,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "rejections": {},
        "warnings": {"invalid_email": 1, "phone_unparsed": 1, "postal_code_fixed": 1},
        "credit_notes": 0,
    }
    loic = Customer.objects.get(external_id="C00001")
    assert (loic.first_name, loic.last_name, loic.email) == ("Loïc", "Lefèvre", "loic.lefevre1@example.fr")
    assert (loic.phone, loic.country, loic.address) == ("+33123456789", "FR", "1 rue de l'Église; bât. B")
    zoe = Customer.objects.get(external_id="C00002")
    assert (zoe.email, zoe.phone, zoe.postal_code) == ("zoe.muller@example.fr", "+33389123456", "01000")
    elise = Customer.objects.get(external_id="C00003")
    assert (elise.email, elise.phone) == ("", "abc")


def test_products_and_sales_with_french_numbers_dates_and_credit_notes(tenant):
    catalogue_and_customers()
    done = run_import(SALES)

    assert (done.status, done.rows_read, done.created, done.rejected, done.credit_notes) == (
        "done",
        3,
        3,
        0,
        1,
    )
    assert CatalogItem.objects.get(article="PGSGN").price == Decimal("1234.56")
    sale = SalesLine.objects.get(document_no="V0000003")
    assert (sale.amount_excl_tax, sale.amount_incl_tax, str(sale.date)) == (
        Decimal("1051.00"),
        Decimal("1261.20"),
        "2024-01-03",
    )
    credit = SalesLine.objects.get(document_no="A0000002")
    assert credit.document_type == "credit_note"
    assert (credit.quantity, credit.amount_incl_tax, str(credit.date)) == (
        Decimal(-2),
        Decimal("-97.99"),
        "2025-04-05",
    )
    assert (credit.customer.external_id, credit.item.article) == ("C00002", "PGSGN")


def test_reimporting_the_same_file_changes_nothing(tenant):
    catalogue_and_customers()
    run_import(SALES)
    before = list(SalesLine.objects.values_list("pk", "line_key", "amount_incl_tax").order_by("pk"))

    again = run_import(SALES)
    customers = run_import(CUSTOMERS)
    products = run_import(PRODUCTS)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert (customers.created, customers.updated, customers.unchanged) == (0, 0, 3)
    assert (products.created, products.updated, products.unchanged) == (0, 0, 3)
    assert list(SalesLine.objects.values_list("pk", "line_key", "amount_incl_tax").order_by("pk")) == before


def test_a_newer_export_updates_what_changed(tenant):
    catalogue_and_customers()
    run_import(SALES)

    newer = run_import(SALES.replace("126,46", "130,00"))

    assert (newer.created, newer.updated, newer.unchanged) == (0, 1, 2)
    assert SalesLine.objects.get(document_no="V0000001").amount_incl_tax == Decimal("130.00")


def _sales_line_versions() -> list[tuple]:
    """Each line's row versions: `xmin` changes when a line is rewritten, `xmax` when it is locked."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, xmin::text, xmax::text FROM {SalesLine._meta.db_table} ORDER BY id")
        return cursor.fetchall()


def test_reimporting_writes_only_the_lines_that_changed(tenant):
    catalogue_and_customers()
    run_import(SALES)
    before = _sales_line_versions()

    newer = run_import(SALES.replace("126,46", "130,00"))

    after = _sales_line_versions()
    changed = SalesLine.objects.get(document_no="V0000001").pk
    assert newer.updated == 1
    assert [row for row in after if row[0] != changed] == [row for row in before if row[0] != changed]
    assert [row[1] for row in after if row[0] == changed] != [row[1] for row in before if row[0] == changed]
