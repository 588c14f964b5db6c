"""A merchant's own website: the page that embeds the widget, on another origin than Luneo's."""

import contextlib
from collections.abc import Iterator

from tests.support.http import QuietHandler, http_server


@contextlib.contextmanager
def merchant(port: int, page: str) -> Iterator[None]:
    """A merchant's own website on 127.0.0.1:`port`: the same page on every path."""

    class Handler(QuietHandler):
        def do_GET(self):  # noqa: N802
            body = page.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with http_server(Handler, port):
        yield
