"""Websockets through a real daphne and tasks run by a real Celery worker process.

Both processes use the test database, so the data they read is committed (transaction=True).
"""

import json
import time

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus

from apps.core import context
from apps.core.notifications import notify
from apps.core.tasks import notify_task
from apps.tenants.models import User
from apps.tenants.services import tenant_suspend
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

NOTIFICATIONS = "/ws/notifications/"


def owner(tenant) -> User:
    return User.objects.get(email=f"owner@{tenant.schema_name}.test")


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


def test_anonymous_socket_is_closed_with_4401(daphne, tenant):
    assert close_code(daphne, host="alpha.localhost") == 4401


def test_member_of_another_workspace_is_closed_with_4403(daphne, tenant, other_tenant):
    beta_owner_session = login(daphne, other_tenant, on=tenant)  # logs in on alpha's host

    assert close_code(daphne, host="alpha.localhost", session=beta_owner_session) == 4403


def test_socket_of_a_suspended_workspace_is_closed_with_4403(daphne, tenant):
    session = login(daphne, tenant)
    tenant_suspend(tenant=tenant)

    assert close_code(daphne, host="alpha.localhost", session=session) == 4403


@pytest.mark.parametrize(
    ("host", "origin"),
    [("nowhere.localhost", None), ("alpha.localhost", "http://evil.test")],
    ids=["unknown host", "foreign origin"],
)
def test_socket_is_refused_at_the_handshake(daphne, tenant, host, origin):
    session = login(daphne, tenant)

    with pytest.raises(InvalidStatus) as refused:
        daphne.websocket(NOTIFICATIONS, host=host, session=session, origin=origin)

    assert refused.value.response.status_code == 403
