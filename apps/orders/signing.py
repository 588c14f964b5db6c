"""Signed, expiring download URLs for production packs: `/orders/packs/<token>/`.

Like design assets (apps/designs/signing.py): the token signs (schema, order id, build time)
and expires after ASSET_URL_MAX_AGE seconds; a rebuilt pack invalidates older links.
"""

from django.conf import settings
from django.core import signing
from django.db import connection
from django.urls import reverse

SALT = "orders.pack"


def pack_token(*, schema: str, order_id: int, built: int) -> str:
    return signing.dumps([schema, order_id, built], salt=SALT, compress=True)


def pack_token_read(token: str) -> tuple[str, int, int] | None:
    """(schema, order id, build timestamp) of a valid, unexpired token; None otherwise."""
    try:
        schema, order_id, built = signing.loads(token, salt=SALT, max_age=settings.ASSET_URL_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(schema, str) or not isinstance(order_id, int) or not isinstance(built, int):
        return None
    return schema, order_id, built


def pack_built_stamp(order) -> int:
    """When the pack was built, in microseconds: a token is for that build only."""
    return round(order.pack_built_at.timestamp() * 1_000_000)


def pack_url(order) -> str | None:
    """The signed path of the order's ready pack in the current schema; None until it is built."""
    if order.pack_status != order.PackStatus.READY or not order.pack or order.pack_built_at is None:
        return None
    token = pack_token(schema=connection.schema_name, order_id=order.pk, built=pack_built_stamp(order))
    return reverse("order-pack", args=[token])
