"""Websockets through a real daphne and tasks run by a real Celery worker process.

Both processes use the test database, so the data they read is committed (transaction=True).
"""

import json
import re
import time
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from websockets.exceptions import ConnectionClosed, InvalidStatus

from apps.core import context
from apps.core.notifications import notify
from apps.core.tasks import notify_task
from apps.tenants.models import Membership, Role, Tenant, User
from apps.tenants.services import membership_remove, tenant_suspend
from tests.support.clients import admin_url, operator_client
from tests.support.factories.tenants import PASSWORD
from tests.support.processes import closed_with, cookies
from tests.support.workspaces import member, owner

pytestmark = pytest.mark.django_db(transaction=True)

NOTIFICATIONS = "/ws/notifications/"


def login(daphne, tenant, *, on=None) -> str:
    """The session of `tenant`'s owner, logged in through the form on `on`'s host (default: own)."""
    host = f"{(on or tenant).schema_name}.localhost"
    return daphne.login(host=host, email=owner(tenant).email, password=PASSWORD)


def close_code(daphne, *, host: str, session: str | None = None) -> int:
    """Connects and returns the code the server closes the socket with."""
    with daphne.websocket(NOTIFICATIONS, host=host, session=session) as socket:
        with pytest.raises(ConnectionClosed) as closed:
            socket.recv(timeout=10)
    return closed.value.rcvd.code


def wait_for_log_line(process, *fragments: str, timeout: float = 10) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in process.log().splitlines():
            if all(fragment in line for fragment in fragments):
                return line
        time.sleep(0.1)
    pytest.fail(f"no line with {fragments} in the {process.name} log:\n{process.log()}")


@pytest.mark.worker
def test_member_socket_receives_a_notification_sent_by_a_task_on_the_worker(daphne, worker, tenant):
    session = login(daphne, tenant)

    with daphne.websocket(NOTIFICATIONS, host="alpha.localhost", session=session) as socket:
        tokens = context.bind(request_id="req-from-test")
        try:
            result = notify_task.delay(owner(tenant).pk, "demo.ping", {"n": 1})  # queued in alpha
        finally:
            context.unbind(tokens)
        message = json.loads(socket.recv(timeout=20))

    assert message == {"event": "demo.ping", "payload": {"n": 1, "workspace": "alpha"}}
    # The task's log line names the request that queued it, its workspace and its own id.
    wait_for_log_line(worker, f"[req-from-test alpha - {result.id}]", "notified demo.ping")


@pytest.mark.worker
def test_readyz_is_ok_with_a_live_worker(daphne, worker):
    status, _headers, body = daphne.request("GET", "/readyz", host="localhost")

    assert status == 200
    payload = json.loads(body)
    assert payload["status"] == "ok"
    assert {name: check["status"] for name, check in payload["checks"].items()} == {
        "database": "ok",
        "redis": "ok",
        "celery": "ok",
    }
    assert payload["checks"]["celery"]["worker"].startswith("test-")


def test_workspace_notification_reaches_its_members_and_no_other_workspace(daphne, tenant, other_tenant):
    alpha_session = login(daphne, tenant)
    beta_session = login(daphne, other_tenant)

    with (
        daphne.websocket(NOTIFICATIONS, host="alpha.localhost", session=alpha_session) as alpha,
        daphne.websocket(NOTIFICATIONS, host="beta.localhost", session=beta_session) as beta,
    ):
        notify(schema="alpha", event="design.ready", payload={"id": 3})

        assert json.loads(alpha.recv(timeout=10)) == {"event": "design.ready", "payload": {"id": 3}}
        with pytest.raises(TimeoutError):
            beta.recv(timeout=1)


def test_an_idle_socket_stays_open_past_the_channel_layers_blocking_read(daphne, tenant):
    session = login(daphne, tenant)

    with daphne.websocket(NOTIFICATIONS, host="alpha.localhost", session=session) as socket:
        with pytest.raises(TimeoutError):
            socket.recv(timeout=7)  # channels_redis blocks 5 s per read of the socket's channel
        notify(schema="alpha", event="demo.ping", payload={"n": 2})
        message = json.loads(socket.recv(timeout=10))

    assert message == {"event": "demo.ping", "payload": {"n": 2}}


def test_anonymous_socket_is_closed_with_4401(daphne, tenant):
    assert close_code(daphne, host="alpha.localhost") == 4401


def test_member_of_another_workspace_is_closed_with_4403(daphne, tenant, other_tenant):
    beta_owner_session = login(daphne, other_tenant, on=tenant)  # logs in on alpha's host

    assert close_code(daphne, host="alpha.localhost", session=beta_owner_session) == 4403


def test_socket_of_a_suspended_workspace_is_closed_with_4403(daphne, tenant):
    session = login(daphne, tenant)
    tenant_suspend(tenant=tenant)

    assert close_code(daphne, host="alpha.localhost", session=session) == 4403


def test_a_removed_member_socket_is_closed_before_the_next_notification(daphne, tenant):
    viewer = member(tenant, Role.VIEWER)
    session = daphne.login(host="alpha.localhost", email=viewer.email, password=PASSWORD)
    owner_membership = Membership.objects.get(tenant=tenant, user=owner(tenant))

    with daphne.websocket(NOTIFICATIONS, host="alpha.localhost", session=session) as socket:
        notify(schema="alpha", event="order.created", payload={"customer": "before"})
        assert json.loads(socket.recv(timeout=10))["payload"] == {"customer": "before"}
        membership_remove(membership=Membership.objects.get(user=viewer), actor=owner_membership)
        notify(schema="alpha", event="order.created", payload={"customer": "Ada, +33 6 12 34 56 78"})
        messages, code = closed_with(socket)

    assert (messages, code) == ([], 4403)


def test_an_open_socket_of_a_workspace_being_suspended_is_closed(daphne, tenant):
    session = login(daphne, tenant)

    with daphne.websocket(NOTIFICATIONS, host="alpha.localhost", session=session) as socket:
        notify(schema="alpha", event="demo.ping", payload={})
        socket.recv(timeout=10)  # the socket is open and subscribed
        tenant_suspend(tenant=tenant)
        notify(schema="alpha", event="order.created", payload={"customer": "Ada"})
        messages, code = closed_with(socket)

    assert (messages, code) == ([], 4403)


@pytest.mark.parametrize(
    ("host", "origin"),
    [
        ("nowhere.localhost", None),
        ("alpha.localhost", "http://evil.test"),
        ("alpha.localhost", "http://beta.localhost"),
        ("alpha.localhost", "http://localhost"),
    ],
    ids=["unknown host", "foreign origin", "another workspace's origin", "the public host's origin"],
)
def test_socket_is_refused_at_the_handshake(daphne, tenant, host, origin):
    session = login(daphne, tenant)

    with pytest.raises(InvalidStatus) as refused:
        daphne.websocket(NOTIFICATIONS, host=host, session=session, origin=origin)

    assert refused.value.response.status_code == 403


NEW_PASSWORD = "another-horse-battery"


def deactivate_in_the_admin(user: User):
    joined = timezone.localtime(user.date_joined)
    form = {"email": user.email, "name": user.name, "language": user.language, "is_active": ""}
    form |= {"date_joined_0": joined.date().isoformat(), "date_joined_1": joined.strftime("%H:%M:%S")}
    return operator_client().post(admin_url(User, "change", user.pk), form)


def password_set_in_the_admin(user: User):
    form = {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    url = reverse("admin:auth_user_password_change", args=[user.pk], urlconf="config.urls_public")
    return operator_client().post(url, form)  # Django names this view after its own User model


def password_changed_by_its_owner(user: User):
    """The person changes their password in another browser (account pages live on the public host)."""
    browser = Client(HTTP_HOST="localhost")
    browser.force_login(user)
    form = {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    return browser.post("/accounts/password/change/", form)


ACCESS_ENDS = {
    "deactivated in the admin": deactivate_in_the_admin,
    "password set in the admin": password_set_in_the_admin,
    "password changed by its owner": password_changed_by_its_owner,
}


@pytest.mark.parametrize("change", ACCESS_ENDS)
def test_a_person_s_open_sockets_close_when_their_sessions_end(daphne, tenant, change):
    viewer = member(tenant, Role.VIEWER)
    session = daphne.login(host="alpha.localhost", email=viewer.email, password=PASSWORD)

    with daphne.websocket(NOTIFICATIONS, host="alpha.localhost", session=session) as socket:
        notify(schema="alpha", event="demo.ping", payload={})
        socket.recv(timeout=10)  # the socket is open and subscribed
        response = ACCESS_ENDS[change](User.objects.get(pk=viewer.pk))
        assert response.status_code == 302, response.content.decode()[:2000]
        notify(schema="alpha", event="order.created", payload={"customer": "Ada, +33 6 12 34 56 78"})
        messages, code = closed_with(socket)

    assert (messages, code) == ([], 4401)  # the session no longer logs anyone in


def membership_deleted_in_the_admin(membership: Membership):
    return operator_client().post(admin_url(Membership, "delete", membership.pk), {"post": "yes"})


def membership_deleted_with_its_workspace_s_inline(membership: Membership):
    tenant, prefix = membership.tenant, "memberships"
    form = {"name": tenant.name, "domains-TOTAL_FORMS": "0", "domains-INITIAL_FORMS": "0"}
    form |= {f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "1", f"{prefix}-0-id": membership.pk}
    form |= {f"{prefix}-0-tenant": tenant.pk, f"{prefix}-0-user": membership.user_id}
    form |= {f"{prefix}-0-role": membership.role, f"{prefix}-0-DELETE": "on"}
    return operator_client().post(admin_url(Tenant, "change", tenant.pk), form)


MEMBERSHIP_DELETIONS = {
    "membership deleted": membership_deleted_in_the_admin,
    "removed in the workspace's page": membership_deleted_with_its_workspace_s_inline,
}


@pytest.mark.parametrize("deletion", MEMBERSHIP_DELETIONS)
def test_a_member_removed_by_an_operator_loses_their_open_sockets(daphne, tenant, deletion):
    viewer = member(tenant, Role.VIEWER)
    session = daphne.login(host="alpha.localhost", email=viewer.email, password=PASSWORD)

    with daphne.websocket(NOTIFICATIONS, host="alpha.localhost", session=session) as socket:
        notify(schema="alpha", event="demo.ping", payload={})
        socket.recv(timeout=10)  # the socket is open and subscribed
        response = MEMBERSHIP_DELETIONS[deletion](Membership.objects.get(user=viewer))
        assert response.status_code == 302, response.content.decode()[:3000]
        assert not Membership.objects.filter(user=viewer).exists()
        notify(schema="alpha", event="order.created", payload={"customer": "Ada"})
        messages, code = closed_with(socket)

    assert (messages, code) == ([], 4403)


def logout(daphne, *, host: str, session: str) -> int:
    """Logs the session out through the real allauth form on `host`; returns the status."""
    _status, headers, page = daphne.request("GET", "/accounts/logout/", host=host, headers=cookie(session))
    csrf_field = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, _headers, _body = daphne.request(
        "POST",
        "/accounts/logout/",
        host=host,
        headers={
            "Cookie": f"sessionid={session}; csrftoken={cookies(headers)['csrftoken']}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=urlencode({"csrfmiddlewaretoken": csrf_field}),
    )
    return status


def cookie(session: str) -> dict:
    return {"Cookie": f"sessionid={session}"}


def test_the_sockets_of_a_session_close_when_it_logs_out_and_other_sessions_stay(daphne, tenant):
    viewer = member(tenant, Role.VIEWER)
    leaving, staying = (
        daphne.login(host="alpha.localhost", email=viewer.email, password=PASSWORD) for _ in range(2)
    )

    with (
        daphne.websocket(NOTIFICATIONS, host="alpha.localhost", session=leaving) as left,
        daphne.websocket(NOTIFICATIONS, host="alpha.localhost", session=staying) as stayed,
    ):
        assert logout(daphne, host="alpha.localhost", session=leaving) == 302
        notify(schema="alpha", event="order.created", payload={"customer": "Ada"})
        messages, code = closed_with(left)
        still_open = json.loads(stayed.recv(timeout=10))

    assert (messages, code) == ([], 4401)
    assert still_open == {"event": "order.created", "payload": {"customer": "Ada"}}


MALFORMED = {
    "nested 50,000 deep": "[" * 50_000 + "]" * 50_000,
    "NUL": '{"note": "\\u0000"}',
    "unpaired surrogate": '{"note": "\\ud800"}',
    "not JSON": "ping",
    "binary": b"\x00\xff",
}


@pytest.mark.parametrize("message", MALFORMED)
def test_a_malformed_client_message_is_answered_with_an_error_and_the_socket_stays_open(
    daphne, tenant, message
):
    session = login(daphne, tenant)

    with daphne.websocket(NOTIFICATIONS, host="alpha.localhost", session=session) as socket:
        socket.send(MALFORMED[message])
        error = json.loads(socket.recv(timeout=10))
        notify(schema="alpha", event="demo.ping", payload={"n": 3})
        after = json.loads(socket.recv(timeout=10))

    assert error["error"]["code"] == "malformed_request"
    assert error["error"]["message"]
    assert after == {"event": "demo.ping", "payload": {"n": 3}}
