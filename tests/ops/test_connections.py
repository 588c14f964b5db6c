"""Database connections under the web server that `make run` starts (daphne, ASGI).

Django runs each synchronous request of an ASGI server in a thread of its own: a persistent
connection (CONN_MAX_AGE > 0) would stay open after every request, never reused, until
PostgreSQL refuses new ones. Bursts of concurrent requests must leave no connection behind.
"""

import http.client
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import psycopg
import pytest
from django.db import connection

from config.embedded import BASE_DIR
from config.run import web_args
from tests.support.processes import free_port

pytestmark = pytest.mark.django_db(transaction=True)

BURSTS = 4
BURST_SIZE = 20
# (host, path): the public site, a workspace's pages (workspace looked up), readiness (503: no worker).
PAGES = [("localhost", "/accounts/login/"), ("alpha.localhost", "/accounts/login/"), ("localhost", "/readyz")]
START_TIMEOUT_SECONDS = 60
SETTLE_SECONDS = 10  # Django closes a request's connection just after sending its response


def _test_database_url() -> str:
    return urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{connection.settings_dict['NAME']}").geturl()


def _get(port: int, host: str, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"Host": f"{host}:{port}"})
        return conn.getresponse().status
    except OSError:
        return 0
    finally:
        conn.close()


def _connections_to_test_database() -> int:
    """Server processes connected to the test database, other than this count's own."""
    with psycopg.connect(_test_database_url(), autocommit=True) as conn:
        query = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
        return conn.execute(query, [connection.settings_dict["NAME"]]).fetchone()[0]


def _settled_connections(limit: int) -> int:
    """The count once it is at most `limit`, or after SETTLE_SECONDS if it never gets there."""
    deadline = time.monotonic() + SETTLE_SECONDS
    count = _connections_to_test_database()
    while count > limit and time.monotonic() < deadline:
        time.sleep(0.2)
        count = _connections_to_test_database()
    return count


@pytest.fixture
def web_server(tenant, tmp_path):
    """`make run`'s web server (same command line) on the test database; yields its port."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    log = tmp_path / "daphne.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, *web_args("127.0.0.1", str(port))],
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while _get(port, "localhost", "/healthz") != 200:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_bursts_of_concurrent_requests_leave_no_database_connection_open(web_server):
    # given the web server, answering
    connection.close()  # this test's own connection is not the server's
    before = _connections_to_test_database()
    counts = []
    with ThreadPoolExecutor(max_workers=BURST_SIZE) as pool:
        for _ in range(BURSTS):
            # when a burst of concurrent requests, each reaching the database, has been answered
            requests = [PAGES[i % len(PAGES)] for i in range(BURST_SIZE)]
            statuses = list(pool.map(lambda page: _get(web_server, *page), requests))
            assert all(status not in (0, 500) for status in statuses), statuses  # answered, no error
            counts.append(_settled_connections(before))
    # then the server holds no more connections than before the bursts
    assert max(counts) <= before, (before, counts)
