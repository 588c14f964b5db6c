"""Timestamped HMAC signatures: `t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.

Our webhooks send it as `Luneo-Signature`; Stripe signs its events the same way.

The key is the whole secret as shown once (`whsec_…`, UTF-8); the message is the timestamp, a
dot, then the raw request body bytes. docs/webhooks.md shows receivers how to verify it.
"""

import hashlib
import hmac
import secrets
import time

SECRET_PREFIX = "whsec_"
SCHEME = "v1"


def secret_new() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(*, secret: str, body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},{SCHEME}={signature(secret=secret, timestamp=timestamp, body=body)}"


def _parse(header: str) -> tuple[int | None, list[str]]:
    timestamp, signatures = None, []
    for item in header.split(","):
        key, _sep, value = item.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == SCHEME:
            signatures.append(value)
    return timestamp, signatures


def signature_verify(
    *, secret: str, header: str, body: bytes, tolerance: int = 300, now: int | None = None
) -> bool:
    """True if `header` signs `body` with `secret` and its timestamp is within `tolerance` seconds."""
    timestamp, signatures = _parse(header or "")
    if timestamp is None or not signatures:
        return False
    now = int(time.time()) if now is None else now
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret=secret, timestamp=timestamp, body=body)
    return any(hmac.compare_digest(expected, candidate) for candidate in signatures)
