"""Sales lines' customer and item without database foreign keys: the ORM and the import keep them."""

import pytest
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext

from apps.crm.etl import loader
from apps.crm.etl.reading import shape_detect
from apps.crm.etl.services import import_create
from apps.crm.models import CatalogItem, Customer, ImportRejection, SalesLine
from tests.support.crm_etl import SALES, catalogue_and_customers, run_import, upload


def test_the_keys_are_not_checked_by_the_database(tenant):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, SalesLine._meta.db_table)

    checked = {column for c in constraints.values() if c["foreign_key"] for column in c["columns"]}
    assert checked == {"order_id"}


def test_deleting_a_customer_deletes_their_sales_lines(tenant):
    catalogue_and_customers()
    run_import(SALES)

    Customer.objects.get(external_id="C00001").delete()

    assert list(SalesLine.objects.values_list("document_no", flat=True)) == ["A0000002"]
    assert not SalesLine.objects.exclude(customer__in=Customer.objects.all()).exists()


def test_an_item_sold_cannot_be_deleted(tenant):
    catalogue_and_customers()
    run_import(SALES)

    with pytest.raises(ProtectedError):
        CatalogItem.objects.get(article="MUSCAT").delete()
    assert SalesLine.objects.count() == 3


def _locked_before_lines_read(context, table: str) -> bool:
    sql = [query["sql"] for query in context.captured_queries]
    locked = next(i for i, text in enumerate(sql) if f'FROM "{table}"' in text and "FOR UPDATE" in text)
    return locked < next(i for i, text in enumerate(sql) if "crm_salesline" in text)


def test_deletes_lock_their_rows_before_reading_the_lines(tenant):
    """An import locks the customers and items of its lines `FOR KEY SHARE`: a delete that locked
    its rows first waits for the import's commit, then sees the lines it added."""
    catalogue_and_customers()
    run_import(SALES)
    item, customer = CatalogItem.objects.get(article="PGSGN"), Customer.objects.get(external_id="C00001")

    with CaptureQueriesContext(connection) as item_delete, pytest.raises(ProtectedError):
        item.delete()
    with CaptureQueriesContext(connection) as customer_delete:
        customer.delete()
    with CaptureQueriesContext(connection) as bulk_delete:
        Customer.objects.filter(external_id="C00002").delete()

    assert _locked_before_lines_read(item_delete, "crm_catalogitem")
    assert _locked_before_lines_read(customer_delete, "crm_customer")
    assert _locked_before_lines_read(bulk_delete, "crm_customer")
    assert not SalesLine.objects.exists()


def test_lines_of_a_customer_or_item_deleted_after_the_checks_are_rejected(tenant):
    """Lines are matched to customers and items before the writing transaction: one deleted in
    between is rejected as unknown when the import locks them, not written with a dangling key."""
    catalogue_and_customers()
    import_run = import_create(file=upload(SALES), run=False)
    with import_run.file.open("rb") as stream:
        shape = shape_detect(
            stream,
            kind=import_run.kind,
            encoding=import_run.encoding,
            delimiter=import_run.delimiter,
            mapping=import_run.mapping,
        )
        loader.stage(stream, shape)
    loader.typed_build(shape, default_country="FR")
    Customer.objects.get(external_id="C00002").delete()
    CatalogItem.objects.get(article="CREMANT").delete()

    try:
        done = loader.write(shape, import_id=import_run.pk)
    finally:
        loader.cleanup()

    assert (done.rows_read, done.created, done.rejected) == (3, 1, 2)
    assert done.rejections == {"unknown_customer": 1, "unknown_product": 1}
    rows = ImportRejection.objects.filter(import_run=import_run).order_by("line")
    assert [(r.line, r.column, r.value, r.reason) for r in rows] == [
        (3, "client_code", "C00002", "unknown_customer"),
        (4, "article", "CREMANT", "unknown_product"),
    ]
    assert list(SalesLine.objects.values_list("document_no", "customer__external_id", "item__article")) == [
        ("V0000001", "C00001", "MUSCAT")
    ]
