"""Operators' console, workspaces: the list, each workspace's page and its confirmed actions
(suspend with a reason, reactivate, change plan, extend trial, export, soft delete and restore)."""

import csv
import io
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_exists, tenant_context

from apps.audit.models import AuditEntry
from apps.billing.entitlements import month_start
from apps.billing.models import Limit, Plan, Subscription, UsageCounter
from apps.console.workspace_exports import workspace_export_task
from apps.designs.models import Design
from apps.tenants.models import Membership, Role, Tenant
from apps.tenants.services import api_key_create, tenant_reactivate, tenants_purge
from apps.webhooks.models import WebhookDelivery, WebhookEvent
from tests.support.clients import PUBLIC_HOST, admin_url, operator_client, staff_login
from tests.support.factories.analytics import ai_cost_on, design_on
from tests.support.factories.crm import customer_make
from tests.support.factories.orders import order_make
from tests.support.factories.products import product_make
from tests.support.factories.tenants import PASSWORD, UserFactory
from tests.support.factories.webhooks import endpoint_make
from tests.support.workspaces import host, member, owner


@pytest.fixture
def ops(tenant):
    """An operator's client, the public schema active; alpha reactivated afterwards."""
    connection.set_schema_to_public()
    client = operator_client()
    yield client
    tenant_reactivate(tenant=tenant)


def action_url(tenant: Tenant, name: str) -> str:
    return admin_url(Tenant, name, tenant.pk)


def fresh(tenant: Tenant) -> Tenant:
    return Tenant.objects.get(pk=tenant.pk)


# --- list ------------------------------------------------------------------------------------------


def test_the_list_shows_plan_usage_owner_and_filters(ops, tenant, other_tenant):
    UsageCounter.objects.create(tenant=tenant, metric=Limit.DESIGNS, period=month_start(), count=37)
    with tenant_context(tenant):
        ai_cost_on(timezone.localdate(), "1.25")

    page = ops.get(admin_url(Tenant, "changelist")).content.decode()

    assert "owner@alpha.test" in page
    assert "owner@beta.test" in page
    assert "Pro (Trial)" in page
    assert ">37<" in page
    assert "1.25" in page
    for query in ({"status__exact": "suspended"}, {"trial": "trialing"}, {"deletion": "pending"}):
        assert ops.get(admin_url(Tenant, "changelist"), query).status_code == 200
    searched = ops.get(admin_url(Tenant, "changelist"), {"q": "owner@beta.test"}).content.decode()
    assert "owner@beta.test" in searched
    assert "owner@alpha.test" not in searched


def _extra_workspaces(count: int) -> None:
    """Workspace rows (no schema: the list reads public tables only) with what the list shows."""
    plan = Plan.objects.get(code=Plan.Code.PRO)
    for n in range(count):
        tenant = Tenant.objects.bulk_create([Tenant(schema_name=f"extra{n}", name=f"Extra {n}")])[0]
        Subscription.objects.create(tenant=tenant, plan=plan, status=Subscription.Status.ACTIVE)
        UsageCounter.objects.create(tenant=tenant, metric=Limit.EMAILS, period=month_start(), count=n)
        Membership.objects.create(tenant=tenant, user=UserFactory(), role=Role.OWNER)


def test_the_list_query_count_does_not_grow_with_workspaces(
    ops, tenant, other_tenant, django_assert_max_num_queries
):
    url = admin_url(Tenant, "changelist")
    ops.get(url)  # warm caches (content types, sessions)
    with django_assert_max_num_queries(100) as few:
        assert ops.get(url).status_code == 200
    _extra_workspaces(6)

    with django_assert_max_num_queries(len(few.captured_queries)):
        page = ops.get(url)

    assert "Extra 5" in page.content.decode()


# --- the workspace's page --------------------------------------------------------------------------


def test_the_page_shows_members_domains_masked_keys_usage_audit_and_failures(ops, tenant):
    api_key, raw = api_key_create(tenant=tenant, name="ops-visible")
    UsageCounter.objects.create(tenant=tenant, metric=Limit.EMAILS, period=month_start(), count=412)
    with tenant_context(tenant):
        product = product_make()
        design_on(timezone.localdate(), product, status=Design.Status.FAILED, error_code="provider_down")
        endpoint, _secret = endpoint_make("https://hooks.example.com/luneo")
        event = WebhookEvent.objects.create(type="order.created", payload={})
        WebhookDelivery.objects.create(
            event=event, endpoint=endpoint, status=WebhookDelivery.Status.FAILED, attempt_count=8
        )
    ops.post(action_url(tenant, "suspend"), {"reason": "Audit trail check"})

    page = ops.get(admin_url(Tenant, "change", tenant.pk)).content.decode()

    assert "owner@alpha.test" in page
    assert "alpha.localhost" in page
    assert api_key.prefix in page
    assert raw not in page
    assert api_key.key_hash not in page
    assert "412" in page
    assert "Audit trail check" in page  # the audit entry of the suspension
    assert "provider_down" in page
    assert "https://hooks.example.com/luneo" in page


def test_people_who_are_not_staff_are_refused(tenant):
    connection.set_schema_to_public()
    client = Client(HTTP_HOST=PUBLIC_HOST)
    client.force_login(member(tenant, Role.OWNER, email="not-staff@alpha.test"))

    for url in (admin_url(Tenant, "changelist"), admin_url(Tenant, "change", tenant.pk)):
        assert client.get(url).status_code == 302  # to the admin's login
    response = client.post(action_url(tenant, "suspend"), {"reason": "no"})

    assert response.status_code == 302
    assert fresh(tenant).is_active


def test_staff_without_the_change_permission_cannot_act(tenant):
    connection.set_schema_to_public()
    client = staff_login(Client(HTTP_HOST=PUBLIC_HOST), UserFactory(email="viewer@luneo.test", is_staff=True))

    assert client.post(action_url(tenant, "suspend"), {"reason": "no"}).status_code == 403
    assert fresh(tenant).is_active


# --- suspend, reactivate ---------------------------------------------------------------------------


def test_suspend_needs_a_reason(ops, tenant):
    assert ops.get(action_url(tenant, "suspend")).status_code == 200

    response = ops.post(action_url(tenant, "suspend"), {"reason": "  "})

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert fresh(tenant).is_active


def test_the_reason_reaches_the_owner_page_email_and_audit(ops, tenant, django_capture_on_commit_callbacks):
    reason = 'Chargebacks <script>alert("x")</script> under review'
    with django_capture_on_commit_callbacks(execute=True):
        response = ops.post(action_url(tenant, "suspend"), {"reason": reason})

    assert response.status_code == 302
    suspended = fresh(tenant)
    assert (suspended.status, suspended.suspension_reason) == (Tenant.Status.SUSPENDED, reason)

    dashboard = Client(HTTP_HOST=host(tenant))
    dashboard.force_login(owner(tenant))
    page = dashboard.get("/")
    assert page.status_code == 403
    assert "Chargebacks &lt;script&gt;" in page.content.decode()

    [message] = [m for m in mail.outbox if m.to == ["owner@alpha.test"]]
    assert reason in message.body
    html = message.alternatives[0][0]
    assert "&lt;script&gt;" in html
    assert "<script>" not in html
    assert "http://localhost/workspaces/" in message.body  # the canonical host, not the request's

    entry = AuditEntry.objects.filter(tenant=tenant, object_type="tenants.tenant").first()
    assert entry.actor_label == "ops@luneo.test"
    assert entry.changes["suspension_reason"] == ["", reason]
    assert entry.changes["status"] == ["active", "suspended"]


def test_members_who_are_not_owners_do_not_see_the_reason(ops, tenant):
    ops.post(action_url(tenant, "suspend"), {"reason": "Internal fraud note"})
    dashboard = Client(HTTP_HOST=host(tenant))
    dashboard.force_login(member(tenant, Role.EDITOR))

    assert "Internal fraud note" not in dashboard.get("/").content.decode()


def test_reactivate(ops, tenant):
    ops.post(action_url(tenant, "suspend"), {"reason": "Unpaid invoice"})
    assert ops.get(action_url(tenant, "reactivate")).status_code == 200

    response = ops.post(action_url(tenant, "reactivate"))

    assert response.status_code == 302
    reactivated = fresh(tenant)
    assert reactivated.is_active
    assert reactivated.suspension_reason == ""
    assert AuditEntry.objects.filter(tenant=tenant, changes__status=["suspended", "active"]).exists()


# --- billing ---------------------------------------------------------------------------------------


def test_change_plan_goes_through_billing(ops, tenant):
    enterprise = Plan.objects.get(code=Plan.Code.ENTERPRISE)
    assert ops.get(action_url(tenant, "plan")).status_code == 200

    response = ops.post(action_url(tenant, "plan"), {"plan": enterprise.pk})

    assert response.status_code == 302
    subscription = Subscription.objects.get(tenant=tenant)
    assert (subscription.plan, subscription.status) == (enterprise, Subscription.Status.ACTIVE)
    assert AuditEntry.objects.filter(tenant=tenant, object_type="billing.subscription").exists()


def test_extend_trial_adds_days_to_its_end(ops, tenant):
    subscription = Subscription.objects.get(tenant=tenant)
    before = subscription.trial_ends_at
    assert ops.get(action_url(tenant, "trial")).status_code == 200

    ops.post(action_url(tenant, "trial"), {"days": 10})

    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.TRIALING
    assert subscription.trial_ends_at == before + timedelta(days=10)
    assert ops.post(action_url(tenant, "trial"), {"days": 0}).status_code == 200  # refused: 1 to 365


# --- export ----------------------------------------------------------------------------------------


def _rows(archive: zipfile.ZipFile, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def test_export_holds_the_workspace_rows_only(ops, tenant, other_tenant, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    with tenant_context(tenant):
        product = product_make()
        design = design_on(timezone.localdate(), product, status=Design.Status.READY)
        order_make(design, customer={"email": "ada@example.com", "name": '=HYPERLINK("x")'})
        customer_make(email="alpha-customer@example.com", first_name="@SUM(A1)")
    with tenant_context(other_tenant):
        customer_make(email="beta-customer@example.com")
        product_make()

    response = ops.post(action_url(tenant, "export"))
    assert response.status_code == 302
    assert fresh(tenant).export_requested_at is not None
    workspace_export_task.apply(args=[tenant.pk])  # what the queued task does
    connection.set_schema_to_public()

    download = ops.get(action_url(tenant, "export_download"))
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert set(archive.namelist()) == {"workspace.json", "orders.csv", "customers.csv", "products.csv"} | {
        "designs.csv"
    }
    customers = _rows(archive, "customers.csv")
    emails = {row["email"] for row in customers}
    assert "alpha-customer@example.com" in emails
    assert "beta-customer@example.com" not in emails
    assert {row["first_name"] for row in customers} >= {"'@SUM(A1)"}
    [order] = _rows(archive, "orders.csv")
    assert order["customer_name"] == '\'=HYPERLINK("x")'
    assert [row["sku"] for row in _rows(archive, "products.csv")] == [product.sku]
    assert [row["id"] for row in _rows(archive, "designs.csv")] == [design.public_id]
    assert b'"slug": "alpha"' in archive.read("workspace.json")
    assert fresh(tenant).export_requested_at is None
    assert "Download the latest export" in ops.get(admin_url(Tenant, "change", tenant.pk)).content.decode()


def test_export_download_is_404_before_an_export(ops, other_tenant):
    assert ops.get(action_url(other_tenant, "export_download")).status_code == 404


# --- soft delete -----------------------------------------------------------------------------------


@pytest.fixture
def doomed(db):
    """A throwaway workspace with its own schema (dropped by the test, or rolled back)."""
    from apps.accounts.services import tenant_provision

    connection.set_schema_to_public()
    return tenant_provision(
        slug="doomed", name="Doomed", owner_email="owner@doomed.test", owner_password=PASSWORD
    )


def test_delete_marks_then_the_task_drops_the_schema_after_the_grace(doomed, settings):
    connection.set_schema_to_public()
    ops = operator_client()
    assert ops.get(action_url(doomed, "delete_soft")).status_code == 200
    assert (
        ops.post(action_url(doomed, "delete_soft"), {"reason": "Closed", "slug": "nope"}).status_code == 200
    )
    assert fresh(doomed).delete_after is None  # the slug must be typed

    ops.post(action_url(doomed, "delete_soft"), {"reason": "Account closed", "slug": "doomed"})

    marked = fresh(doomed)
    assert marked.status == Tenant.Status.SUSPENDED
    grace = marked.delete_after - timezone.now()
    assert timedelta(days=settings.WORKSPACE_DELETION_GRACE_DAYS - 1) < grace
    assert tenants_purge() == []  # within the grace: kept
    assert schema_exists("doomed")

    Tenant.objects.filter(pk=doomed.pk).update(delete_after=timezone.now() - timedelta(minutes=1))
    assert tenants_purge() == ["doomed"]

    assert not Tenant.objects.filter(pk=doomed.pk).exists()
    assert not schema_exists("doomed")


def test_restore_within_the_grace(ops, tenant):
    ops.post(action_url(tenant, "delete_soft"), {"reason": "By mistake", "slug": "alpha"})
    assert fresh(tenant).delete_after is not None
    assert "Deletion on" in ops.get(admin_url(Tenant, "changelist")).content.decode()

    ops.post(action_url(tenant, "restore"))

    restored = fresh(tenant)
    assert restored.is_active
    assert restored.delete_after is None
    assert tenants_purge(now=timezone.now() + timedelta(days=365)) == []
    assert AuditEntry.objects.filter(tenant=tenant, changes__has_key="delete_after").count() == 2


def test_a_workspace_billed_by_stripe_is_not_deleted(ops, tenant):
    Subscription.objects.filter(tenant=tenant).update(stripe_subscription_id="sub_123")

    ops.post(action_url(tenant, "delete_soft"), {"reason": "x", "slug": "alpha"})

    assert fresh(tenant).delete_after is None


def test_usage_history_shows_ai_cost_per_month(ops, tenant):
    with tenant_context(tenant):
        ai_cost_on(timezone.localdate(), "2.50")
        ai_cost_on(timezone.localdate(), "0.25")

    page = ops.get(admin_url(Tenant, "change", tenant.pk)).content.decode()

    assert f"{Decimal('2.75'):.2f}" in page


def test_the_page_links_to_support_access_for_an_active_workspace(ops, tenant):
    page = ops.get(admin_url(Tenant, "change", tenant.pk)).content.decode()
    assert f"/admin/support/start/{tenant.pk}/" in page

    ops.post(action_url(tenant, "suspend"), {"reason": "Unpaid"})
    assert (
        f"/admin/support/start/{tenant.pk}/"
        not in ops.get(admin_url(Tenant, "change", tenant.pk)).content.decode()
    )
