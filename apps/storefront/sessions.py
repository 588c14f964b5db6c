"""Shopper sessions: a signed token naming (workspace, brand, random id), kept by the widget.

Stateless: the server stores only the random id on the designs and orders it made, so a
shopper sees their own designs and nobody else's. Tokens expire after SESSION_MAX_AGE.
"""

import secrets

from django.core import signing

SALT = "storefront.session"
SESSION_MAX_AGE = 30 * 24 * 3600


def session_new(*, schema: str, brand_id: int) -> str:
    return signing.dumps([schema, brand_id, secrets.token_urlsafe(18)], salt=SALT, compress=True)


def session_read(token: str | None, *, schema: str, brand_id: int) -> str | None:
    """The session id of a valid token for this workspace and brand; None otherwise."""
    if not token:
        return None
    try:
        token_schema, token_brand, session_id = signing.loads(token, salt=SALT, max_age=SESSION_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if token_schema != schema or token_brand != brand_id or not isinstance(session_id, str):
        return None
    return session_id
