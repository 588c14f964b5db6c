"""How a file is read: encodings, delimiters, headers, kinds, and files refused before any write."""

import codecs

import pytest

from apps.crm.etl.errors import (
    ImportColumnsUnmatched,
    ImportFileBinary,
    ImportFileEmpty,
    ImportFileTooLarge,
)
from apps.crm.etl.services import import_create, import_preview
from apps.crm.models import ColumnMapping, Customer, Import
from tests.support.crm_etl import CUSTOMERS, PRODUCTS, SALES, run_import, upload


def test_cp1252_accents_are_read_as_cp1252(tenant):
    done = run_import(CUSTOMERS, encoding="cp1252")

    assert (done.status, done.encoding, done.created) == ("done", "cp1252", 3)
    assert Customer.objects.get(external_id="C00001").last_name == "Lefèvre"
    assert Customer.objects.get(external_id="C00003").first_name == "Élise"


def test_a_utf8_byte_order_mark_is_skipped(tenant):
    done = run_import(codecs.BOM_UTF8 + CUSTOMERS.encode())

    assert (done.status, done.encoding, done.created) == ("done", "utf-8", 3)
    assert Customer.objects.filter(external_id="C00001").exists()  # not "\ufeffC00001"'s header lost


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_delimiters_are_detected(tenant, delimiter):
    text = "client_code;nom;email\nC1;Ober;o@example.com\nC2;Kah;k@example.com\n".replace(";", delimiter)

    preview = import_preview(stream=upload(text))

    assert (preview["delimiter"], preview["kind"]) == (delimiter, "customers")
    assert preview["rows"][0]["values"] == {
        "external_id": "C1",
        "last_name": "Ober",
        "email": "o@example.com",
    }


def test_the_three_sample_headers_map_with_no_input(tenant):
    for text, kind, count in ((CUSTOMERS, "customers", 9), (PRODUCTS, "products", 9), (SALES, "sales", 14)):
        preview = import_preview(stream=upload(text))
        assert preview["kind"] == kind
        assert len(preview["mapping"]) == count


def test_the_preview_shows_rows_as_they_will_be_read_and_writes_nothing(tenant):
    preview = import_preview(stream=upload(CUSTOMERS, encoding="cp1252"))

    assert preview["encoding"] == "cp1252"
    first = preview["rows"][1]
    assert first["line"] == 3
    assert first["values"]["email"] == "zoe.muller@example.fr"
    assert first["values"]["postal_code"] == "01000"
    assert first["values"]["phone"] == "+33389123456"
    assert not Customer.objects.exists()


def test_an_overridden_encoding_is_used(tenant):
    preview = import_preview(stream=upload(CUSTOMERS, encoding="utf-8"), encoding="cp1252")

    assert preview["rows"][0]["values"]["last_name"] == "LefÃ¨vre"


def test_a_mapping_saved_for_a_source_is_used_again(tenant):
    text = "ref client;surnom;courriel\nK1;Ober;o@example.com\n"
    with pytest.raises(ImportColumnsUnmatched):
        import_preview(stream=upload(text))

    mapping = {"ref client": "external_id", "surnom": "last_name"}
    first = run_import(text, kind="customers", source="erp-a", mapping=mapping)
    second = run_import(text.replace("Ober", "Oberlin"), kind="customers", source="erp-a")

    assert ColumnMapping.objects.get(kind="customers", source="erp-a").mapping == {
        "ref client": "external_id",
        "surnom": "last_name",
        "courriel": "email",
    }
    assert (first.created, second.updated) == (1, 1)
    assert Customer.objects.get(external_id="K1").last_name == "Oberlin"


def test_columns_matching_no_kind_are_refused(tenant):
    with pytest.raises(ImportColumnsUnmatched):
        import_create(file=upload("colour;size\nred;L\n"), run=False)
    with pytest.raises(ImportColumnsUnmatched) as missing:
        import_create(file=upload("nom;email\nOber;o@example.com\n"), kind="customers", run=False)
    assert missing.value.details["missing"] == ["external_id"]
    assert not Import.objects.exists()


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"", ImportFileEmpty),
        (b"\xef\xbb\xbf  \n", ImportFileEmpty),
        (b"PK\x03\x04" + b"\x00" * 200, ImportFileBinary),
        (b"client_code;nom\nC1;\x00\x01\x02\x03\x04\x05\x06\n", ImportFileBinary),
    ],
)
def test_empty_and_binary_files_are_refused_before_anything_is_written(tenant, content, error):
    with pytest.raises(error):
        import_create(file=upload(content), run=False)
    assert not Import.objects.exists()


def test_an_oversized_file_is_refused(tenant, settings):
    settings.CRM_IMPORT_MAX_BYTES = 100

    with pytest.raises(ImportFileTooLarge) as refused:
        import_create(file=upload(CUSTOMERS), run=False)
    assert refused.value.status == 413
    assert not Import.objects.exists()
