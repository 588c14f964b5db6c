"""Webhooks tests: a real HTTP receiver on 127.0.0.1, and Celery run eagerly through on_commit.

With `deliver_eagerly`, queuing a delivery task after commit runs it at once in this process:
a failed attempt queues the next one (its countdown skipped, and the long waits the sweep
would send queued too), so a whole retry chain runs through the real task, service and HTTP
client without sleeping.
"""

import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from apps.webhooks import services
from apps.webhooks.services import endpoint_create
from config.celery import app as celery_app
from tests.core.conftest import processes, worker  # noqa: F401  (a real Celery worker, test_worker.py)


@dataclass
class Answer:
    status: int = 200
    body: bytes = b"ok"
    delay: float = 0.0


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int


@dataclass
class Receiver:
    """Answers POSTs with the planned answers in order (then `default`) and records each request."""

    url: str = ""
    plan: list[Answer] = field(default_factory=list)
    default: Answer = field(default_factory=Answer)
    requests: list[Received] = field(default_factory=list)

    def answer(self, path: str, headers: dict, body: bytes) -> Answer:
        answer = self.plan.pop(0) if self.plan else self.default
        self.requests.append(Received(path=path, headers=headers, body=body, status=answer.status))
        return answer


def _handler(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            answer = receiver.answer(self.path, dict(self.headers.items()), body)
            time.sleep(answer.delay)
            self.send_response(answer.status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def receiver():
    receiver = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/luneo"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def deliver_eagerly(monkeypatch):
    """Tasks queued run at once, here, and their errors propagate."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", True)
    monkeypatch.setattr(services, "MAX_QUEUED_DELAY_SECONDS", float("inf"))


def endpoint_make(url: str, events=("order.created",), **fields):
    """An endpoint through the service: (endpoint, raw secret)."""
    return endpoint_create(url=url, events=list(events), **fields)


def resolve_rebinding(monkeypatch, name: str, public: str = "93.184.216.34") -> None:
    """DNS (outside this machine: faked) answers `public` for `name` the first time, then 127.0.0.1."""
    real = socket.getaddrinfo
    answers = [public]

    def getaddrinfo(host, port, *args, **kwargs):
        if host != name:
            return real(host, port, *args, **kwargs)
        address = answers.pop() if answers else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
