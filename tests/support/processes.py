"""Real processes for tests: daphne serving config.asgi and a Celery worker.

Both connect to pytest-django's test database (`test_<name>`) and the same Redis, with the
test settings. They live for one test module and are stopped at its end, also on failure.
Data they must see has to be committed: their tests use `transaction=True`.
"""

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
import websockets.sync.client
from django.db import connection
from websockets.exceptions import ConnectionClosed

from config.celery import app as celery_app

BASE_DIR = Path(__file__).resolve().parents[2]
START_TIMEOUT_SECONDS = 60


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.popen.poll() is None

    def terminate(self) -> None:
        if self.alive():
            self.popen.terminate()

    def wait(self) -> None:
        try:
            self.popen.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(timeout=5)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def process_environ() -> dict[str, str]:
    """This test process's environment, pointed at the test database."""
    test_database = connection.settings_dict["NAME"]
    database_url = urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{test_database}").geturl()
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "PYTHONUNBUFFERED": "1",
    }


def process_start(name: str, argv: list[str], log_dir: Path) -> Process:
    log_path = log_dir / f"{name}.log"
    with log_path.open("wb") as log:
        popen = subprocess.Popen(
            [sys.executable, *argv],
            cwd=BASE_DIR,
            env=process_environ(),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return Process(name=name, popen=popen, log_path=log_path)


def wait_until(process: Process, ready, what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not ready():
        if not process.alive():
            pytest.fail(f"{process.name} exited while starting:\n{process.log()}")
        if time.monotonic() > deadline:
            pytest.fail(f"{process.name}: no {what} after {START_TIMEOUT_SECONDS}s:\n{process.log()}")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def processes(django_db_setup, tmp_path_factory):
    """Starts processes for the module; stops every one of them at its end."""
    started: list[Process] = []
    log_dir = tmp_path_factory.mktemp("processes")

    def start(name: str, argv: list[str]) -> Process:
        process = process_start(name, argv, log_dir)
        started.append(process)
        return process

    try:
        yield start
    finally:
        for process in started:
            process.terminate()
        for process in started:
            process.wait()


# --- daphne ----------------------------------------------------------------------------


@dataclass
class Server:
    process: Process
    port: int

    def request(self, method: str, path: str, *, host: str, headers=None, body: str | None = None):
        """One HTTP request to daphne with `host` as Host; returns (status, headers, body)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers={"Host": f"{host}:{self.port}", **(headers or {})})
            response = conn.getresponse()
            return response.status, response.headers, response.read().decode()
        finally:
            conn.close()

    def login(self, *, host: str, email: str, password: str) -> str:
        """Logs in through the real allauth form on `host`; returns the session cookie's value."""
        _status, headers, page = self.request("GET", "/accounts/login/", host=host)
        csrf_cookie = cookies(headers)["csrftoken"]
        csrf_field = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = {"login": email, "password": password, "csrfmiddlewaretoken": csrf_field}
        status, headers, _body = self.request(
            "POST",
            "/accounts/login/",
            host=host,
            headers={
                "Cookie": f"csrftoken={csrf_cookie}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
            body=urlencode(form),
        )
        assert status == 302, f"login as {email} on {host} failed ({status})"
        return cookies(headers)["sessionid"]

    def websocket(self, path: str, *, host: str, session: str | None = None, origin: str | None = None):
        """A websocket client to daphne with `host` as Host (and Origin unless given), maybe logged in.

        The client connects to 127.0.0.1 and names `host` through the library's own option:
        daphne refuses a second Host header.
        """
        return websockets.sync.client.connect(
            f"ws://{host}:{self.port}{path}",
            address=("127.0.0.1", self.port),
            origin=origin or f"http://{host}:{self.port}",
            additional_headers={"Cookie": f"sessionid={session}"} if session else None,
            proxy=None,
            open_timeout=10,
        )


def closed_with(socket) -> tuple[list[dict], int]:
    """The messages received until the server closed the socket, and its close code."""
    messages = []
    try:
        while True:
            messages.append(json.loads(socket.recv(timeout=10)))
    except ConnectionClosed as closed:
        return messages, closed.rcvd.code


def cookies(headers) -> dict[str, str]:
    jar = SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        jar.load(value)
    return {name: morsel.value for name, morsel in jar.items()}


def _answers(server: Server) -> bool:
    try:
        return server.request("GET", "/healthz", host="localhost")[0] == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def daphne(processes) -> Server:
    """daphne serving config.asgi (HTTP and websockets) on a free port."""
    port = free_port()
    process = processes(
        "daphne", ["-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"]
    )
    server = Server(process=process, port=port)
    wait_until(process, lambda: _answers(server), "answer on /healthz")
    return server


# --- Celery worker -----------------------------------------------------------------------


def _worker_answers() -> bool:
    return bool(celery_app.control.ping(timeout=0.5, limit=1))


@pytest.fixture(scope="module")
def worker(processes) -> Process:
    """A real worker on every queue (solo pool), with this test run's settings and database."""
    argv = ["-m", "celery", "-A", "config", "worker", "-Q", "default,ai,etl", "-P", "solo"]
    argv += ["--without-gossip", "--without-mingle", "-l", "info", "-n", f"test-{os.getpid()}@%h"]
    celery_app.control.purge()  # tasks other tests queued with no worker must not run now
    process = processes("worker", argv)
    wait_until(process, _worker_answers, "answer to a ping")
    return process
