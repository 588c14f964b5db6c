"""A local fake of Twilio's REST API (an account, WhatsApp messages): the real client stays on the
path. `twilio_server(settings)` serves it and points TWILIO_API_URL to it; `twilio_signature`
signs a status callback or a customer's reply the way Twilio does (written here from Twilio's
documentation)."""

import base64
import contextlib
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from tests.support.http import QuietHandler, http_server

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "f" * 8 + "0a1b2c3d" * 3
SENDER = "whatsapp:+14155238886"
TEMPLATE_ORDER = "HX" + "a1" * 16
TEMPLATE_DESIGN = "HX" + "b2" * 16
TEMPLATE_PROOF = "HX" + "c3" * 16


def twilio_signature(auth_token: str, url: str, params: dict[str, str]) -> str:
    """Twilio's X-Twilio-Signature: base64(HMAC-SHA1(token, url + each name and value, sorted by name))."""
    payload = url + "".join(f"{name}{params[name]}" for name in sorted(params))
    return base64.b64encode(hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()).decode()


@dataclass
class FakeTwilio:
    account_sid: str = ACCOUNT_SID
    auth_token: str = AUTH_TOKEN
    unreachable: set[str] = field(default_factory=set)  # numbers answered 400 / 21211
    failures: list[int] = field(default_factory=list)  # statuses for next requests
    requests: list[dict] = field(default_factory=list)  # {"method", "path", "form", "auth"}
    url: str = ""

    def answer(self, method: str, path: str, auth: str, form: dict) -> tuple[int, dict]:
        if self.failures:
            status = self.failures.pop(0)
            return status, {"code": 20500, "message": "Internal Server Error", "status": status}
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if auth != f"Basic {expected}":
            return 401, {"code": 20003, "message": "Authenticate", "status": 401}
        base = f"/2010-04-01/Accounts/{self.account_sid}"
        if method == "GET" and path == f"{base}.json":
            return 200, {"sid": self.account_sid, "friendly_name": "Luneo test", "status": "active"}
        if method == "POST" and path == f"{base}/Messages.json":
            if form.get("To", "").removeprefix("whatsapp:") in self.unreachable:
                return 400, {"code": 21211, "message": "Invalid 'To' Phone Number", "status": 400}
            sid = "SM" + secrets.token_hex(16)
            return 201, {"sid": sid, "status": "queued", "to": form.get("To"), "from": form.get("From")}
        return 404, {"code": 20404, "message": "The requested resource was not found", "status": 404}

    def handler(self):
        fake = self

        class Handler(QuietHandler):
            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                form = {name: values[0] for name, values in parse_qs(raw).items()}
                auth = self.headers.get("Authorization", "")
                fake.requests.append({"method": self.command, "path": self.path, "form": form, "auth": auth})
                status, payload = fake.answer(self.command, self.path, auth, form)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _serve

        return Handler


@contextlib.contextmanager
def twilio_server(settings):
    fake = FakeTwilio()
    with http_server(fake.handler()) as base:
        fake.url = base
        settings.TWILIO_API_URL = base
        yield fake
