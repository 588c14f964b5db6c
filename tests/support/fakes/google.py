"""A local fake of Google's OAuth token endpoint and the Gmail API (profile, threads, labels,
drafts): allauth's OAuth2 client and our Gmail client stay on the path. `google_server(settings)`
serves it and points the Google settings (and allauth's Google app) to it."""

import base64
import contextlib
import json
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from tests.support.http import QuietHandler, http_server

CLIENT_ID = "luneo-test.apps.googleusercontent.com"
CLIENT_SECRET = "GOCSPX-test-secret"
GOOD_CODE = "4/0good-consent-code"
MAILBOX = "hello@brand.example"


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def gmail_thread(thread_id: str, *, sender: str, subject: str, body: str, html: bool = False) -> dict:
    """A thread as `threads.get?format=full` returns it: one message, text (or HTML) body."""
    part = {"mimeType": "text/html" if html else "text/plain", "body": {"data": b64(body)}}
    headers = [
        {"name": "From", "value": sender},
        {"name": "Subject", "value": subject},
        {"name": "Message-ID", "value": f"<{thread_id}@mail.example>"},
    ]
    message = {
        "id": f"m{thread_id}",
        "threadId": thread_id,
        "internalDate": str(int(time.time() * 1000)),
        "payload": {"mimeType": "multipart/alternative", "headers": headers, "parts": [part]},
    }
    return {"id": thread_id, "messages": [message]}


@dataclass
class FakeGoogle:
    access_token: str = "ya29.first"
    refresh_token: str = "1//refresh"
    revoked: bool = False
    expires_in: int = 3599
    threads: dict[str, dict] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=lambda: {"INBOX": "INBOX"})  # name → id
    labelled: dict[str, list[str]] = field(default_factory=dict)  # thread → label ids
    drafts: dict[str, dict] = field(default_factory=dict)
    requests: list[dict] = field(default_factory=list)
    refreshes: int = 0
    url: str = ""

    def _token(self, form: dict) -> tuple[int, dict]:
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return 401, {"error": "invalid_client"}
        grant = form.get("grant_type")
        if grant == "authorization_code" and form.get("code") == GOOD_CODE:
            tokens = {"access_token": self.access_token, "refresh_token": self.refresh_token}
            return 200, {**tokens, "expires_in": self.expires_in, "token_type": "Bearer"}
        if grant == "refresh_token" and form.get("refresh_token") == self.refresh_token and not self.revoked:
            self.refreshes += 1
            self.access_token = f"ya29.refreshed{self.refreshes}"
            return 200, {
                "access_token": self.access_token,
                "expires_in": self.expires_in,
                "token_type": "Bearer",
            }
        return 400, {"error": "invalid_grant", "error_description": "Bad Request"}

    def _gmail(self, method: str, path: str, query: dict, body: dict) -> tuple[int, dict]:
        if path == "/profile":
            return 200, {"emailAddress": MAILBOX, "messagesTotal": len(self.threads)}
        if method == "GET" and path == "/threads":
            ids = list(self.threads)[: int(query.get("maxResults", ["100"])[0])]
            return 200, {"threads": [{"id": thread_id} for thread_id in ids]}
        if method == "GET" and path.startswith("/threads/"):
            thread = self.threads.get(path.removeprefix("/threads/"))
            return (200, thread) if thread else (404, {"error": {"code": 404, "message": "Not Found"}})
        if method == "POST" and path.endswith("/modify"):
            thread_id = path.removeprefix("/threads/").removesuffix("/modify")
            self.labelled.setdefault(thread_id, []).extend(body.get("addLabelIds", []))
            return 200, {"id": thread_id}
        if path == "/labels":
            if method == "POST":
                self.labels[body["name"]] = f"Label_{len(self.labels)}"
                return 200, {"id": self.labels[body["name"]], "name": body["name"]}
            return 200, {"labels": [{"id": i, "name": n} for n, i in self.labels.items()]}
        if method == "POST" and path == "/drafts":
            draft_id = f"r{len(self.drafts) + 1}"
            self.drafts[draft_id] = body
            return 200, {"id": draft_id, "message": {"threadId": body["message"]["threadId"]}}
        if method == "PUT" and path.startswith("/drafts/"):
            draft_id = path.removeprefix("/drafts/")
            if draft_id not in self.drafts:
                return 404, {"error": {"code": 404, "message": "Requested entity was not found."}}
            self.drafts[draft_id] = body
            return 200, {"id": draft_id}
        return 404, {"error": {"code": 404, "message": "Not Found"}}

    def answer(self, method: str, raw_path: str, headers, raw: bytes) -> tuple[int, dict]:
        parts = urlsplit(raw_path)
        query = parse_qs(parts.query)
        if parts.path in ("/token", "/revoke"):
            form = {key: values[0] for key, values in parse_qs(raw.decode()).items()}
            if parts.path == "/revoke":
                self.revoked = True
                return 200, {}
            return self._token(form)
        if not parts.path.startswith("/gmail/v1/users/me"):
            return 404, {"error": "not found"}
        if headers.get("Authorization") != f"Bearer {self.access_token}":
            return 401, {"error": {"code": 401, "message": "Request had invalid authentication credentials."}}
        body = json.loads(raw) if raw else {}
        return self._gmail(method, parts.path.removeprefix("/gmail/v1/users/me"), query, body)

    def handler(self):
        fake = self

        class Handler(QuietHandler):
            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                fake.requests.append({"method": self.command, "path": self.path, "raw": raw})
                status, payload = fake.answer(self.command, self.path, self.headers, raw)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = _serve

        return Handler


@contextlib.contextmanager
def google_server(settings):
    fake = FakeGoogle()
    with http_server(fake.handler()) as base:
        fake.url = base
        settings.GOOGLE_OAUTH_AUTHORIZE_URL = f"{base}/auth"
        settings.GOOGLE_OAUTH_TOKEN_URL = f"{base}/token"
        settings.GOOGLE_OAUTH_REVOKE_URL = f"{base}/revoke"
        settings.GMAIL_API_URL = base
        settings.SOCIALACCOUNT_PROVIDERS = {
            "google": {"APPS": [{"client_id": CLIENT_ID, "secret": CLIENT_SECRET}]}
        }
        yield fake
