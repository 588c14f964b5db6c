"""Every reason code, with the line, column and value of the row it names; and a crash mid-import."""

import pytest
from django.db import connection

from apps.crm.models import Customer, ImportRejection, SalesLine
from tests.support.crm_etl import CUSTOMERS, SALES, SALES_HEADER, catalogue_and_customers, run_import
from tests.support.factories.brands import brand_make


def _rows(done):
    return [
        (row.line, row.column, row.value, row.reason, row.warning)
        for row in ImportRejection.objects.filter(import_run=done).order_by("line", "reason")
    ]


def test_each_rejection_reason_names_line_column_and_value(tenant):
    catalogue_and_customers()
    good = "C00001;02/01/2024;Muscat;1;9,58;9,58;11,50;3,00;VENTE;V1;MUSCAT;;;\n"
    text = SALES_HEADER + (
        good  # line 2
        + good  # line 3: duplicate_row
        + ";02/01/2024;Muscat;1;9,58;9,58;11,50;3,00;VENTE;V2;MUSCAT;;;\n"  # 4: missing_key
        + "C00001;31/02/2024;Muscat;1;9,58;9,58;11,50;3,00;VENTE;V3;MUSCAT;;;\n"  # 5: invalid_date
        + "C00001;02/01/2024;Muscat;un;9,58;9,58;11,50;3,00;VENTE;V4;MUSCAT;;;\n"  # 6: invalid_number
        + "C99999;02/01/2024;Muscat;1;9,58;9,58;11,50;3,00;VENTE;V5;MUSCAT;;;\n"  # 7: unknown_customer
        + "C00001;02/01/2024;Muscat;1;9,58;9,58;11,50;3,00;VENTE;V6;NOPE;;;\n"  # 8: unknown_product
    )

    done = run_import(text)

    assert (done.rows_read, done.created, done.rejected) == (7, 1, 6)
    assert done.rejections == {
        "duplicate_row": 1,
        "missing_key": 1,
        "invalid_date": 1,
        "invalid_number": 1,
        "unknown_customer": 1,
        "unknown_product": 1,
    }
    assert _rows(done) == [
        (3, "", "", "duplicate_row", False),
        (4, "client_code", "", "missing_key", False),
        (5, "date_livraison", "31/02/2024", "invalid_date", False),
        (6, "qty_line", "un", "invalid_number", False),
        (7, "client_code", "C99999", "unknown_customer", False),
        (8, "article", "NOPE", "unknown_product", False),
    ]


def test_warnings_load_the_row(tenant):
    done = run_import(CUSTOMERS)

    assert _rows(done) == [
        (3, "code_postal", "1000", "postal_code_fixed", True),
        (4, "email", "not-an-email", "invalid_email", True),
        (4, "telephone", "abc", "phone_unparsed", True),
    ]
    assert Customer.objects.count() == 3


def test_phones_use_the_workspace_brand_country(tenant):
    brand_make(country="BE")
    run_import("client_code;telephone;pays\nB1;02 123 45 67;\n")

    assert Customer.objects.get(external_id="B1").phone == "+3221234567"


@pytest.fixture
def failing_line_insert():
    """A database-level failure in the middle of the upsert: while `crm.boom` is on, writing the
    credit note's line raises (lines before it are already written in the transaction)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION crm_etl_boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF current_setting('crm.boom', true) = 'on' AND NEW.document_type = 'credit_note' THEN "
            "RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER crm_etl_boom BEFORE INSERT OR UPDATE ON crm_salesline "
            "FOR EACH ROW EXECUTE FUNCTION crm_etl_boom()"
        )


def _lines():
    return list(SalesLine.objects.values_list("pk", "line_key", "amount_incl_tax", "row_hash").order_by("pk"))


def test_a_crash_mid_import_leaves_the_data_as_it_was(tenant, failing_line_insert):
    catalogue_and_customers()
    run_import(SALES.replace("AVOIR;A0000002", "AVOIR;A0000009"))
    before = _lines()
    with connection.cursor() as cursor:
        cursor.execute("SET crm.boom = 'on'")

    failed = run_import(SALES.replace("126,46", "999,00"))

    assert failed.status == "failed"
    assert "disk full" in failed.error
    assert _lines() == before
    assert not ImportRejection.objects.filter(import_run=failed).exists()
    with connection.cursor() as cursor:
        cursor.execute("RESET crm.boom")
    retried = run_import(SALES.replace("126,46", "999,00"))
    assert (retried.status, retried.created, retried.updated, retried.unchanged) == ("done", 1, 1, 1)


@pytest.mark.parametrize(
    ("date", "quantity", "reason"),
    [
        ("29/02/2024", "1", None),  # a leap day
        ("2024-4-5", "1", None),  # ISO without leading zeros
        ("29/02/2023", "1", "invalid_date"),
        ("31/04/2024", "1", "invalid_date"),
        ("2024-13-01", "1", "invalid_date"),
        ("0000-01-01", "1", "invalid_date"),
        ("02/01/2024", "123456789012", "invalid_number"),  # would overflow the column
        ("02/01/2024", "1e3", "invalid_number"),
        ("02/01/2024", "-1 234,5", None),
    ],
)
def test_dates_and_numbers_are_checked_without_casting_errors(tenant, date, quantity, reason):
    catalogue_and_customers()
    text = SALES_HEADER + f"C00001;{date};Muscat;{quantity};9,58;9,58;11,50;3,00;VENTE;V1;MUSCAT;;;\n"

    done = run_import(text)

    assert done.status == "done", done.error
    assert done.rejections == ({reason: 1} if reason else {})
