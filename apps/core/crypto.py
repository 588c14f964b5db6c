"""Secrets at rest (integration credentials, webhook signing secrets): Fernet, with rotation.

`ENCRYPTION_KEYS` lists Fernet keys newest first: values are encrypted with the first and
decrypted with any, so a new key can be put first while old values are still read. Without
keys (development, tests) one key is derived from SECRET_KEY; production settings require them.
"""

import base64
import functools
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@functools.cache
def _fernet() -> MultiFernet:
    keys = list(settings.ENCRYPTION_KEYS)
    if not keys:
        digest = hashlib.sha256(f"luneo.crypto:{settings.SECRET_KEY}".encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """The plain value; raises ValueError when no configured key opens it."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("No ENCRYPTION_KEYS entry decrypts this value") from exc


def encrypt_json(value: dict) -> str:
    return encrypt(json.dumps(value, separators=(",", ":"), sort_keys=True))


def decrypt_json(token: str) -> dict:
    return json.loads(decrypt(token))
