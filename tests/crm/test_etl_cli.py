"""`manage.py crm_import <workspace> --kind … FILE [--json]`."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from apps.crm.models import Customer
from tests.support.crm_etl import CUSTOMERS


def test_json_report_on_stdout(tenant, tmp_path):
    path = tmp_path / "clients.csv"
    path.write_bytes(CUSTOMERS.encode("cp1252"))
    out = io.StringIO()

    call_command("crm_import", tenant.schema_name, "--kind", "customers", str(path), "--json", stdout=out)

    assert json.loads(out.getvalue()) == {
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
    assert Customer.objects.get(external_id="C00001").last_name == "Lefèvre"

    again = io.StringIO()
    call_command("crm_import", tenant.schema_name, "--kind", "customers", str(path), "--json", stdout=again)
    assert json.loads(again.getvalue())["unchanged"] == 3


def test_bad_workspace_file_or_columns_are_command_errors(tenant, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("colour;size\nred;L\n")

    with pytest.raises(CommandError, match="no workspace"):
        call_command("crm_import", "nope", "--kind", "customers", str(path))
    with pytest.raises(CommandError, match="no file"):
        call_command("crm_import", tenant.schema_name, "--kind", "customers", str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match="import_columns_unmatched"):
        call_command("crm_import", tenant.schema_name, "--kind", "customers", str(path))
