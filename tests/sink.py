"""A local HTTP server that records every request it gets: the proof that code fetched nothing.

Import the fixture where it is needed: `from tests.sink import sink  # noqa: F401`.
"""

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Sink:
    url: str = ""
    requests: list[str] = field(default_factory=list)


def _handler(sink: Sink):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            sink.requests.append(self.path)
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def sink():
    recorder = Sink()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(recorder))
    server.daemon_threads = True
    recorder.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield recorder
    server.shutdown()
    server.server_close()
