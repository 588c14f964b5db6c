"""The dashboard's Imports and Data health pages."""

import pytest
from django_tenants.utils import tenant_context

from apps.crm.models import HealthSnapshot, Import
from apps.tenants.models import Role
from tests.support.clients import dashboard_client
from tests.support.crm_etl import CUSTOMERS, SALES, catalogue_and_customers, run_import, upload
from tests.support.workspaces import member


def test_empty_imports_and_health_pages_say_how_to_start(tenant, as_role):
    client = as_role(Role.VIEWER)

    imports = client.get("/crm/imports/")
    health = client.get("/crm/health/")

    assert imports.status_code == health.status_code == 200
    assert "No imports yet." in imports.content.decode()
    assert 'id="crm-imports"' not in imports.content.decode()  # viewers do not import
    assert "Nothing to measure yet." in health.content.decode()


def test_preview_then_start_then_report_and_csv(tenant, as_role):
    client = as_role(Role.EDITOR)

    preview = client.post("/crm/imports/preview/", {"file": upload(CUSTOMERS, encoding="cp1252")})
    started = client.post(
        "/crm/imports/start/", {"file": upload(CUSTOMERS, encoding="cp1252"), "source": "erp"}
    )

    assert preview.status_code == 200
    assert (preview.json()["encoding"], preview.json()["kind"]) == ("cp1252", "customers")
    assert started.status_code == 202
    import_run = Import.objects.get(uuid=started.json()["uuid"])
    assert import_run.status == "queued"
    assert client.get(started.json()["status_url"]).json()["status"] == "queued"


def test_a_report_lists_rejected_rows_escaped(tenant, as_role):
    catalogue_and_customers()
    done = run_import(SALES.replace("C00002;", "<b>x</b>;"))
    client = as_role(Role.VIEWER)

    page = client.get(f"/crm/imports/{done.uuid}/").content.decode()
    csv_text = client.get(f"/crm/imports/{done.uuid}/rejections.csv").getvalue().decode()

    assert "&lt;b&gt;x&lt;/b&gt;" in page
    assert "<b>x</b>" not in page
    assert "unknown_customer" in page
    assert "<b>x</b>,unknown_customer" in csv_text


def test_health_page_shows_duplicates_anomalies_and_trend(tenant, as_role):
    catalogue_and_customers()
    run_import(SALES.replace("02/01/2024", "02/01/2099").replace(";31,61;", ";999,00;"))
    run_import(CUSTOMERS.replace("loic.lefevre1@example.fr", "zoe.muller@example.fr"))

    page = as_role(Role.VIEWER).get("/crm/health/").content.decode()

    latest = HealthSnapshot.objects.order_by("-taken_at").first().metrics
    assert latest["duplicate_emails"] == 1
    assert (latest["future_dates"], latest["margin_above_price"]) == (1, 1)
    assert latest["customers_without_sales"] == 1  # C00003
    assert latest["completeness"]["email"] == pytest.approx(66.7)
    assert "zoe.muller@example.fr" in page
    assert 'id="crm-health-chart"' in page


@pytest.mark.parametrize("path", ["preview", "start"])
def test_viewers_cannot_import_and_bad_input_is_a_clear_4xx(tenant, as_role, path):
    assert as_role(Role.VIEWER).post(f"/crm/imports/{path}/", {"file": upload(CUSTOMERS)}).status_code == 403
    response = as_role(Role.EDITOR).post(f"/crm/imports/{path}/", {"file": upload(b"\x00\x01binary")})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "import_file_binary"
    missing = as_role(Role.EDITOR).post(f"/crm/imports/{path}/", {"kind": "customers"})
    assert missing.status_code == 400


def test_another_workspace_cannot_see_this_workspaces_import(other_tenant, tenant, as_role):
    done = run_import(CUSTOMERS)
    with tenant_context(other_tenant):
        stranger = dashboard_client(other_tenant, member(other_tenant, Role.OWNER))

    assert stranger.get(f"/crm/imports/{done.uuid}/").status_code == 404
    assert stranger.get(f"/crm/imports/{done.uuid}/rejections.csv").status_code == 404
    assert stranger.get(f"/crm/imports/{done.uuid}/status/").status_code == 404
