"""`/api/v1/crm/imports`: send a file, read the import, its report and its rejected rows."""

import csv
import io
import json

import pytest
from django_tenants.utils import tenant_context

from apps.crm.etl.tasks import crm_import_task
from apps.crm.models import Customer, Import
from tests.support.clients import api_client, error_code
from tests.support.crm_etl import CUSTOMERS, SALES, catalogue_and_customers, upload

IMPORTS = "/api/v1/crm/imports"
READ_WRITE = ["customers:read", "customers:write"]


def _post(client, content, **fields):
    return client.post(IMPORTS, {"file": upload(content), **fields})


def _run_queued():
    for import_run in Import.objects.filter(status=Import.Status.QUEUED):
        crm_import_task.run(import_run.pk)  # what the `etl` worker runs


def test_post_queues_the_import_then_its_report_and_rejections_are_read(tenant):
    catalogue_and_customers()
    client = api_client(tenant, READ_WRITE)

    response = _post(client, SALES.replace("C00002;", "C99999;"), kind="sales")

    assert response.status_code == 202
    body = response.json()
    assert (body["kind"], body["status"], body["encoding"], body["delimiter"]) == (
        "sales",
        "queued",
        "utf-8",
        ";",
    )
    _run_queued()
    detail = client.get(f"{IMPORTS}/{body['uuid']}").json()
    assert detail["status"] == "done"
    assert detail["report"] == {
        "status": "done",
        "rows_read": 3,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
        "rejections": {"unknown_customer": 1},
        "warnings": {},
        "credit_notes": 0,
    }
    rows = client.get(f"{IMPORTS}/{body['uuid']}/rejections").json()
    assert rows["results"] == [
        {
            "line": 3,
            "column": "client_code",
            "value": "C99999",
            "reason": "unknown_customer",
            "warning": False,
        }
    ]
    listed = client.get(IMPORTS).json()["results"]
    assert listed[0]["uuid"] == body["uuid"]


def test_rejections_as_csv_neutralise_formulas(tenant):
    client = api_client(tenant, READ_WRITE)
    body = _post(client, "client_code;email\n=HYPERLINK(1);x@example.com\nC2;=1+1\n", kind="customers").json()
    _run_queued()

    response = client.get(f"{IMPORTS}/{body['uuid']}/rejections?format=csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert rows[0] == ["line", "column", "value", "reason", "warning"]
    assert rows[1] == ["3", "email", "'=1+1", "invalid_email", "True"]


def test_a_mapping_and_source_are_accepted_as_multipart_json(tenant):
    client = api_client(tenant, READ_WRITE)
    text = "ref;surnom\nK1;Ober\n"

    response = _post(
        client, text, source="erp", mapping=json.dumps({"ref": "external_id", "surnom": "last_name"})
    )
    _run_queued()

    assert response.status_code == 202
    assert Customer.objects.get(external_id="K1").last_name == "Ober"


@pytest.mark.parametrize(
    ("content", "fields", "status", "code"),
    [
        (b"", {}, 422, "import_file_empty"),
        (b"PK\x03\x04\x00\x00", {}, 422, "import_file_binary"),
        (b"colour;size\nred;L\n", {}, 422, "import_columns_unmatched"),
        (CUSTOMERS.encode(), {"kind": "nope"}, 400, "validation_error"),
        (CUSTOMERS.encode(), {"mapping": "{not json"}, 400, "validation_error"),
        (CUSTOMERS.encode(), {"encoding": "ebcdic"}, 400, "validation_error"),
    ],
)
def test_bad_files_and_fields_are_clear_errors(tenant, content, fields, status, code):
    response = _post(api_client(tenant, READ_WRITE), content, **fields)

    assert response.status_code == status
    assert error_code(response) == code
    assert not Import.objects.exists()


def test_a_file_without_file_is_a_validation_error(tenant):
    response = api_client(tenant, READ_WRITE).post(IMPORTS, {"kind": "customers"})

    assert response.status_code == 400
    assert error_code(response) == "validation_error"


def test_an_oversized_file_is_413(tenant, settings):
    settings.CRM_IMPORT_MAX_BYTES = 50

    response = _post(api_client(tenant, READ_WRITE), CUSTOMERS)

    assert response.status_code == 413
    assert error_code(response) == "import_file_too_large"


def test_scopes(tenant):
    reader = api_client(tenant, ["customers:read"])
    body = _post(api_client(tenant, READ_WRITE), CUSTOMERS).json()

    assert _post(reader, CUSTOMERS).status_code == 403
    assert reader.get(f"{IMPORTS}/{body['uuid']}").status_code == 200
    assert api_client(tenant, ["orders:read"]).get(IMPORTS).status_code == 403


def test_another_workspace_key_gets_404_on_this_workspaces_import(other_tenant, tenant):
    body = _post(api_client(tenant, READ_WRITE), CUSTOMERS).json()
    with tenant_context(other_tenant):
        stranger = api_client(other_tenant, READ_WRITE)

    assert stranger.get(f"{IMPORTS}/{body['uuid']}").status_code == 404
    assert stranger.get(f"{IMPORTS}/{body['uuid']}/rejections").status_code == 404
    assert stranger.get(f"{IMPORTS}/{body['uuid']}/rejections?format=csv").status_code == 404
    assert stranger.get(IMPORTS).json()["results"] == []


def test_an_error_asked_as_csv_is_json_with_its_allow_header(tenant):
    client = api_client(tenant, ["customers:read"])
    path = "/api/v1/crm/imports/e3e70682-c209-1cac-a29f-6fbed82c07cd/rejections?format=csv"

    trace = client.generic("TRACE", path)
    missing = client.get(path)

    assert trace.status_code == 405
    assert trace["Allow"] == "GET, HEAD, OPTIONS"
    assert trace.json()["error"]["code"] == "method_not_allowed"
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
