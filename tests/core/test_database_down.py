"""A lost database (or Redis) answers 503 (the API's envelope, or a plain page), never 500; service resumes
as soon as a new connection can be made.

The connection really fails: its server process is terminated from another connection
(`pg_terminate_backend`, what a PostgreSQL restart does to every client), or Django is pointed
at a port where nothing listens (the server is down). Nothing of ours is mocked.
"""

import contextlib

import psycopg
import pytest
from django.db import close_old_connections, connection
from django.test import Client

from tests.support.clients import new_key
from tests.support.processes import free_port, process_environ

BOGUS_KEY = "sk_test_" + "x" * 40  # looked up in the database: 401 while it is up


def _terminate_our_backend() -> None:
    """Kill the server process behind Django's connection, from a connection of our own."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with psycopg.connect(process_environ()["DATABASE_URL"], autocommit=True) as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0] is True


@contextlib.contextmanager
def _database_down():
    """Django's connection pointed at a port with no server, for the block."""
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = str(free_port())
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port


def _client() -> Client:
    return Client(raise_request_exception=False)


@pytest.mark.django_db(transaction=True)
def test_an_api_request_on_a_terminated_connection_is_a_503_in_the_api_format_then_recovers():
    api = Client(HTTP_AUTHORIZATION=f"Bearer {BOGUS_KEY}", raise_request_exception=False)
    assert api.get("/api/v1/me").status_code == 401  # the key was looked up
    _terminate_our_backend()

    response = api.get("/api/v1/me")

    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert response["Retry-After"] == "5"
    error = response.json()["error"]
    assert error["code"] == "service_unavailable"
    assert set(error) == {"code", "message", "details"}
    close_old_connections()  # what Django does when a request ends: the broken connection goes
    assert api.get("/api/v1/me").status_code == 401  # a new connection: served again


@pytest.mark.django_db(transaction=True)
def test_a_page_while_the_database_is_down_is_a_plain_503_page():
    with _database_down():
        response = _client().get("/accounts/login/", HTTP_COOKIE="sessionid=abc")
        api = _client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {BOGUS_KEY}")

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"] == "5"
    assert b"503" in response.content
    assert api.status_code == 503
    assert api.json()["error"]["code"] == "service_unavailable"
    assert _client().get("/accounts/login/").status_code == 200  # back up


@pytest.mark.django_db(transaction=True)
def test_readyz_reports_the_service_unavailable_with_a_503():
    with _database_down():
        response = _client().get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["database"]["status"] == "unavailable"


def test_other_crashes_stay_500(tenant, test_views):
    _key, raw = new_key(tenant)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}", raise_request_exception=False)
    response = client.get("/api/v1/test/crash")

    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"


def test_an_api_request_while_redis_is_down_is_a_503_in_the_api_format(tenant, settings):
    _key, raw = new_key(tenant)
    cache = {**settings.CACHES["default"], "LOCATION": f"redis://127.0.0.1:{free_port()}/0"}
    settings.CACHES = {**settings.CACHES, "default": cache}  # nothing listens there

    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}", raise_request_exception=False).get("/api/v1/me")

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "service_unavailable"
