"""Structured logs: request id echoed; request id, workspace, user (and task id) on each line.

Records go through the JSON formatter and context filter exactly as settings.LOGGING builds
them for production (LOG_FORMAT=json). Task log lines are checked on the real worker in
test_realtime.py.
"""

import io
import json
import logging
import logging.config
import re
from contextlib import contextmanager

from django.conf import settings
from django.test import Client

from apps.core import context
from apps.core.logging import ContextFilter
from apps.tenants.services import api_key_create
from tests.support.clients import dashboard_client
from tests.support.workspaces import member


@contextmanager
def json_log_lines():
    """Everything logged meanwhile, as the production JSON handler writes it (parsed)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    configurator = logging.config.DictConfigurator(settings.LOGGING)
    handler.setFormatter(configurator.configure_formatter(dict(settings.LOGGING["formatters"]["json"])))
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    lines: list[dict] = []
    try:
        yield lines
    finally:
        root.removeHandler(handler)
        lines.extend(json.loads(line) for line in stream.getvalue().splitlines())


def access_line(lines: list[dict]) -> dict:
    return next(line for line in lines if line["logger"] == "luneo.request")


def test_a_sane_request_id_is_kept_and_echoed(db):
    response = Client(HTTP_HOST="localhost").get("/", HTTP_X_REQUEST_ID="edge-7f3a.1")

    assert response["X-Request-ID"] == "edge-7f3a.1"


def test_the_context_ends_with_the_request(db):
    Client(HTTP_HOST="localhost").get("/", HTTP_X_REQUEST_ID="req-done")

    assert context.current() == {"request_id": "-", "tenant": "-", "user": "-", "task_id": "-"}


def test_an_unsafe_request_id_is_replaced(db):
    response = Client(HTTP_HOST="localhost").get("/", HTTP_X_REQUEST_ID="evil id\r\nX-Injected: 1")

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_access_line_names_request_workspace_and_member(tenant):
    user = member(tenant)

    with json_log_lines() as lines:
        dashboard_client(tenant, user).get("/", HTTP_X_REQUEST_ID="req-42")

    line = access_line(lines)
    assert line["message"].startswith("GET / 200 ")
    assert (line["level"], line["request_id"], line["tenant"], line["user"]) == (
        "INFO",
        "req-42",
        "alpha",
        str(user.pk),
    )
    assert line["task_id"] == "-"
    assert "time" in line


def test_access_line_names_the_api_key_by_prefix(tenant):
    key, raw = api_key_create(tenant=tenant, name="logs", scopes=["account:read"])

    with json_log_lines() as lines:
        Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me")

    line = access_line(lines)
    assert (line["tenant"], line["user"]) == ("alpha", f"key:{key.prefix}")


def test_lines_logged_by_django_about_the_response_carry_the_context(tenant):
    user = member(tenant)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)

    with json_log_lines() as lines:
        client.get("/workspaces/no-such-workspace/", HTTP_X_REQUEST_ID="req-404")  # 404 from the view

    not_found = next(line for line in lines if line["logger"] == "django.request")
    assert (not_found["request_id"], not_found["tenant"], not_found["user"]) == (
        "req-404",
        "public",
        str(user.pk),
    )
