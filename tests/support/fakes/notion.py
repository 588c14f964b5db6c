"""A local fake of Notion's public API (users/me, pages, block children): the real client stays on
the path. `notion_server(settings)` serves it and points NOTION_API_URL to it."""

import contextlib
import json
import time
import uuid
from dataclasses import dataclass, field

from tests.support.http import QuietHandler, http_server

NOTION_TOKEN = "ntn_" + "4f3e2d1c" * 6
PARENT_PAGE = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
PARENT_ID = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"


@dataclass
class FakeNotion:
    token: str = NOTION_TOKEN
    shared: set[str] = field(default_factory=lambda: {PARENT_ID})  # pages shared with the integration
    failures: list[tuple[int, dict]] = field(default_factory=list)  # (status, headers) for next requests
    requests: list[dict] = field(default_factory=list)  # {"method", "path", "headers", "body"}
    delay: float = 0.0  # seconds before answering (a timeout test)
    url: str = ""

    def answer(self, method: str, path: str, headers, body: dict) -> tuple[int, dict, dict]:
        if self.failures:
            status, extra = self.failures.pop(0)
            return status, {"object": "error", "status": status, "code": "x", "message": "failure"}, extra
        if (
            headers.get("Authorization") != f"Bearer {self.token}"
            or headers.get("Notion-Version") != "2022-06-28"
        ):
            return (
                401,
                {
                    "object": "error",
                    "status": 401,
                    "code": "unauthorized",
                    "message": "API token is invalid.",
                },
                {},
            )
        if method == "GET" and path == "/v1/users/me":
            return 200, {"object": "user", "id": str(uuid.uuid4()), "type": "bot", "name": "Luneo"}, {}
        if method == "POST" and path == "/v1/pages":
            parent = (body.get("parent") or {}).get("page_id")
            if parent not in self.shared:
                message = f"Could not find page with ID: {parent}. Make sure the relevant pages and databases are shared with your integration."  # noqa: E501
                return (
                    404,
                    {"object": "error", "status": 404, "code": "object_not_found", "message": message},
                    {},
                )
            page_id = str(uuid.uuid4())
            return (
                200,
                {
                    "object": "page",
                    "id": page_id,
                    "url": f"https://www.notion.so/Page-{page_id.replace('-', '')}",
                },
                {},
            )
        if method == "PATCH" and path.startswith("/v1/blocks/") and path.endswith("/children"):
            return 200, {"object": "list", "results": body.get("children", [])}, {}
        return (
            404,
            {"object": "error", "status": 404, "code": "invalid_request_url", "message": "Invalid URL"},
            {},
        )

    def handler(self):
        fake = self

        class Handler(QuietHandler):
            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else {}
                fake.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": body,
                        "raw": raw,
                    }
                )
                status, payload, extra = fake.answer(self.command, self.path, self.headers, body)
                time.sleep(fake.delay)
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in extra.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            do_GET = do_POST = do_PATCH = _serve

        return Handler


@contextlib.contextmanager
def notion_server(settings):
    fake = FakeNotion()
    with http_server(fake.handler()) as base:
        fake.url = base
        settings.NOTION_API_URL = base
        yield fake
