"""A local HTTP receiver on 127.0.0.1 that records every request it gets.

It stands for the outside world: the endpoint our webhooks are delivered to (POSTs answered with
the planned answers), and any address a document must not fetch from (`receiver.requests` stays
empty when nothing was fetched).
"""

import time
from dataclasses import dataclass, field

import pytest

from tests.support.http import QuietHandler, http_server


@dataclass
class Answer:
    status: int = 200
    body: bytes = b"ok"
    delay: float = 0.0


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    status: int


@dataclass
class Receiver:
    """Answers with the planned answers in order (then `default`) and records each request."""

    url: str = ""
    plan: list[Answer] = field(default_factory=list)
    default: Answer = field(default_factory=Answer)
    requests: list[Received] = field(default_factory=list)

    def answer(self, method: str, path: str, headers: dict, body: bytes) -> Answer:
        answer = self.plan.pop(0) if self.plan else self.default
        self.requests.append(
            Received(method=method, path=path, headers=headers, body=body, status=answer.status)
        )
        return answer


def _handler(receiver: Receiver):
    class Handler(QuietHandler):
        def do_GET(self):
            self.reply(b"")

        def do_POST(self):
            self.reply(self.rfile.read(int(self.headers.get("Content-Length", 0))))

        def reply(self, body: bytes) -> None:
            answer = receiver.answer(self.command, self.path, dict(self.headers.items()), body)
            time.sleep(answer.delay)
            self.send_response(answer.status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

    return Handler


@pytest.fixture
def receiver():
    receiver = Receiver()
    with http_server(_handler(receiver)) as base:
        receiver.url = f"{base}/hooks/luneo"
        yield receiver
