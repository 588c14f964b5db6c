"""Support access ("view as"): an operator opens a workspace's dashboard as a member, read-only
unless a superuser allowed changes, time-limited, audited; and the admin's workspace records
(designs, CRM customers) show only the picked workspace's rows."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.utils import timezone

from apps.accounts.channels import _member_refusal
from apps.accounts.models import SupportSession
from apps.accounts.tasks import support_sessions_expire_task
from apps.audit.models import AuditEntry
from apps.core.schedules import SCHEDULES
from apps.designs.models import Design
from apps.tenants.models import Role, Tenant, User
from tests.support.clients import PUBLIC_HOST, operator_client, staff_login
from tests.support.factories.crm import customer_make
from tests.support.factories.products import product_make
from tests.support.factories.tenants import PASSWORD
from tests.support.workspaces import host, member

RENAME = "/settings/rename/"


def start(client: Client, tenant: Tenant, user: User, reason: str = "Ticket 4242: a broken export", **extra):
    return client.post(f"/admin/support/start/{tenant.pk}/", {"member": user.pk, "reason": reason, **extra})


def open_on_host(response, tenant: Tenant) -> Client:
    """Follow the one-time link the admin redirected to, in a fresh browser on the workspace host."""
    assert response.status_code == 302, response.content.decode()[:500]
    link = urlsplit(response["Location"])
    assert link.hostname == host(tenant)
    browser = Client(HTTP_HOST=host(tenant))
    landed = browser.get(f"{link.path}?{link.query}")
    assert landed.status_code == 302
    assert landed["Location"] == "/"
    return browser


def view_as(tenant: Tenant, user: User, ops: Client | None = None, **extra) -> tuple[Client, SupportSession]:
    browser = open_on_host(start(ops or operator_client(), tenant, user, **extra), tenant)
    return browser, SupportSession.objects.get(tenant=tenant, member=user, ended_at__isnull=True)


def support_entries(tenant: Tenant, session: SupportSession):
    return AuditEntry.objects.filter(
        tenant=tenant, object_type="accounts.supportsession", object_id=str(session.pk)
    ).order_by("pk")


def staff(email: str, *, view_as: bool) -> Client:
    user = User.objects.create_user(email=email, password=PASSWORD, is_staff=True)
    if view_as:
        user.user_permissions.add(
            Permission.objects.get(codename="view_as", content_type__app_label="accounts")
        )
    return staff_login(Client(HTTP_HOST=PUBLIC_HOST), user)


def test_a_superuser_views_a_workspace_as_a_member_read_only_and_everything_is_audited(tenant):
    admin = member(tenant, Role.ADMIN)
    ops = operator_client()
    browser, session = view_as(tenant, admin, ops)

    page = browser.get("/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f"You are viewing {tenant.name} as {admin.email}" in html
    assert "read-only" in html
    assert "Leave" in html
    assert timezone.localtime(session.expires_at).strftime("%H:%M") in html
    assert browser.get("/settings/").status_code == 200  # an admin's page: the member's role applies

    refused = browser.post(RENAME, {"name": "Hijacked"})
    assert refused.status_code == 403
    assert "read-only" in refused.content.decode()
    assert browser.put(RENAME).status_code == 403
    assert browser.delete(RENAME).status_code == 403
    htmx = browser.post(RENAME, {"name": "Hijacked"}, headers={"HX-Request": "true"})
    assert htmx.status_code == 403
    assert "data-htmx-error" in htmx.content.decode()
    # The API takes keys, never a session: the support session's cookie opens nothing there
    api = browser.post("/api/v1/brands", {"name": "Hijacked"}, content_type="application/json")
    assert api.status_code == 401
    assert api.json()["error"]["code"] == "not_authenticated"
    tenant.refresh_from_db()
    assert tenant.name != "Hijacked"

    entries = list(support_entries(tenant, session))
    assert entries[0].action == "create"
    assert entries[0].changes["reason"][1].startswith("Ticket 4242")
    refusals = [
        entry for entry in entries if entry.changes.get("outcome", [None, ""])[1].startswith("refused")
    ]
    assert [entry.changes["request"][1] for entry in refusals] == [
        f"POST {RENAME}",
        f"PUT {RENAME}",
        f"DELETE {RENAME}",
        f"POST {RENAME}",
    ]
    assert all(entry.actor_label == f"ops@luneo.test (support → {admin.email})" for entry in entries)
    assert all(entry.actor == f"user:{session.operator_id}" for entry in entries)

    # The workspace's own audit log (Settings → Audit log) lists them.
    log = browser.get("/settings/audit/").content.decode()
    assert "Support access" in log
    assert "ops@luneo.test" in log

    left = browser.post("/handoff/support/leave/")
    assert left.status_code == 302
    assert left["Location"].endswith("/admin/support/")
    session.refresh_from_db()
    assert session.end_reason == SupportSession.End.LEFT
    assert support_entries(tenant, session).last().changes["end_reason"] == ["", "left"]
    assert browser.get("/").status_code == 302  # the operator's session on the host is logged out
    # The platform's record of the session lists every entry.
    connection.set_schema_to_public()
    platform = ops.get(f"/admin/accounts/supportsession/{session.pk}/change/").content.decode()
    assert "refused (403)" in platform
    assert "POST /settings/rename/" in platform


def test_changes_allowed_by_a_superuser_are_made_and_audited_as_the_operator(tenant):
    owner_user = member(tenant, Role.OWNER, email="boss@alpha.test")
    browser, session = view_as(tenant, owner_user, allow_changes="on")
    assert session.allow_changes
    assert "changes allowed" in browser.get("/").content.decode()

    assert browser.post(RENAME, {"name": "Renamed by support"}).status_code == 302
    tenant.refresh_from_db()
    assert tenant.name == "Renamed by support"
    change = AuditEntry.objects.filter(tenant=tenant, object_type="tenants.tenant").latest("pk")
    assert change.actor_label == f"ops@luneo.test (support → {owner_user.email})"
    allowed = support_entries(tenant, session).last()
    assert allowed.changes == {"request": [None, f"POST {RENAME}"], "outcome": [None, "allowed (302)"]}
    # The member's own account is never changed, even with changes allowed.
    assert browser.post("/accounts/password/change/", {"password1": "x"}).status_code == 403
    owner_user.refresh_from_db()
    assert owner_user.check_password(PASSWORD)
    assert owner_user.last_login is None


def test_a_new_session_replaces_the_last_one_in_the_same_browser(tenant):
    ops = operator_client()
    viewer, editor = member(tenant, Role.VIEWER), member(tenant, Role.EDITOR)
    browser, first = view_as(tenant, viewer, ops)
    link = urlsplit(start(ops, tenant, editor)["Location"])
    assert browser.get(f"{link.path}?{link.query}")["Location"] == "/"
    assert f"as {editor.email}" in browser.get("/").content.decode()
    first.refresh_from_db()
    assert first.end_reason == SupportSession.End.REPLACED


def test_the_session_ends_at_expiry(tenant):
    browser, session = view_as(tenant, member(tenant, Role.VIEWER))
    SupportSession.objects.filter(pk=session.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    ended = browser.get("/")
    assert ended.status_code == 403
    assert "Your support session has ended" in ended.content.decode()
    session.refresh_from_db()
    assert session.end_reason == SupportSession.End.EXPIRED
    assert support_entries(tenant, session).last().changes["end_reason"] == ["", "expired"]
    assert browser.get("/").status_code == 302  # logged out


def test_logging_out_leaves_the_session(tenant):
    browser, session = view_as(tenant, member(tenant, Role.EDITOR))
    browser.post("/accounts/logout/")
    session.refresh_from_db()
    assert session.end_reason == SupportSession.End.LEFT


def test_websockets_of_the_session_follow_it(tenant):
    viewer = member(tenant, Role.VIEWER)
    browser, session = view_as(tenant, viewer)
    scope = {
        "tenant": tenant,
        "user": session.operator,
        "session": type("S", (), {"session_key": browser.cookies["sessionid"].value})(),
    }
    assert _member_refusal(scope, tenant) is None
    assert scope["support_member_id"] == viewer.pk  # the member's notifications

    SupportSession.objects.filter(pk=session.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _member_refusal(scope, tenant) == 403


def test_only_staff_with_the_permission_may_start_it_and_only_superusers_allow_changes(tenant):
    viewer = member(tenant, Role.VIEWER)
    url = f"/admin/support/start/{tenant.pk}/"
    outsider = Client(HTTP_HOST=PUBLIC_HOST)
    outsider.force_login(viewer)
    assert outsider.get(url).status_code == 302  # the admin's login
    assert start(outsider, tenant, viewer).status_code == 302
    assert staff("staff@luneo.test", view_as=False).get(url).status_code == 403
    assert start(staff("staff2@luneo.test", view_as=False), tenant, viewer).status_code == 403
    assert not SupportSession.objects.exists()

    support = staff("support@luneo.test", view_as=True)
    form = support.get(url).content.decode()
    assert "Allow changes" not in form
    browser = open_on_host(start(support, tenant, viewer, allow_changes="on"), tenant)
    session = SupportSession.objects.get()
    assert not session.allow_changes
    assert browser.post(RENAME, {"name": "Nope"}).status_code == 403


def test_no_support_access_into_a_suspended_workspace(suspended_tenant):
    response = start(operator_client(), suspended_tenant, member(suspended_tenant, Role.VIEWER))
    assert response.status_code == 400
    assert "suspended" in response.content.decode()
    assert not SupportSession.objects.exists()


def test_it_cannot_be_used_on_another_workspace_host(other_tenant, tenant):
    viewer = member(tenant, Role.VIEWER)
    response = start(operator_client(), tenant, viewer)
    link = urlsplit(response["Location"])
    elsewhere = Client(HTTP_HOST=host(other_tenant))
    assert elsewhere.get(f"{link.path}?{link.query}")["Location"].startswith("/accounts/login/")
    assert elsewhere.get("/").status_code == 302  # not logged in there
    session = SupportSession.objects.get()
    assert session.opened_at is None

    browser = Client(HTTP_HOST=host(tenant))
    assert browser.get(f"{link.path}?{link.query}").status_code == 302
    assert browser.get(f"{link.path}?{link.query}")["Location"].startswith("/accounts/login/")  # one use
    # The session cookie of one workspace's host opens nothing on another's.
    stolen = Client(HTTP_HOST=host(other_tenant))
    stolen.cookies = browser.cookies
    page = stolen.get("/")
    assert page.status_code in (302, 403)
    assert "You are viewing" not in page.content.decode()
    connection.set_tenant(tenant)


# --- workspace records in the admin ---------------------------------------------------------------


def _rows(client: Client, path: str, query: str = "") -> str:
    response = client.get(f"{path}{query}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("path", ["/admin/designs/design/", "/admin/crm/customer/"])
def test_workspace_records_show_only_the_picked_workspace(other_tenant, tenant, path):
    connection.set_tenant(other_tenant)
    Design.objects.create(product=product_make(), prompt="beta-only prompt", status=Design.Status.READY)
    customer_make(last_name="BetaOnly")
    connection.set_tenant(tenant)
    design = Design.objects.create(
        product=product_make(), prompt="alpha-only prompt", status=Design.Status.READY
    )
    customer_make(last_name="AlphaOnly")

    client = operator_client()
    assert "Choose" in _rows(client, path)
    alpha = _rows(client, path, "?workspace=alpha")
    assert "alpha-only" in alpha or "AlphaOnly" in alpha
    assert "beta-only" not in alpha
    assert "BetaOnly" not in alpha
    assert "Change workspace" in alpha
    assert 'data-admin-workspace="alpha"' in alpha
    beta = _rows(client, path, "?workspace=beta")
    assert "beta-only" in beta or "BetaOnly" in beta
    assert "alpha-only" not in beta
    assert "AlphaOnly" not in beta
    again = _rows(client, path)  # remembered
    assert 'data-admin-workspace="beta"' in again
    assert "alpha-only" not in again
    assert "AlphaOnly" not in again
    if path.startswith("/admin/designs/"):
        detail = _rows(client, f"{path}{design.pk}/change/", "?workspace=alpha")
        assert "alpha-only prompt" in detail
        assert 'data-admin-workspace="alpha"' in detail
        assert 'type="submit"' not in detail or "Save" not in detail  # read-only
    connection.set_tenant(tenant)


def test_the_beat_job_ends_sessions_past_their_time_without_a_request(tenant):
    _browser, session = view_as(tenant, member(tenant, Role.VIEWER))
    SupportSession.objects.filter(pk=session.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert support_sessions_expire_task.apply().get() == 1

    session.refresh_from_db()
    assert session.end_reason == SupportSession.End.EXPIRED
    assert support_sessions_expire_task.apply().get() == 0
    assert "apps.accounts.tasks.support_sessions_expire_task" in {schedule.task for schedule in SCHEDULES}
