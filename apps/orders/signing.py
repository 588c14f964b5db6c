"""Signed, expiring download URLs for production packs: `/orders/packs/<token>/`.

Like design assets (apps/designs/signing.py): the token signs (schema, order id, build time)
and expires after ASSET_URL_MAX_AGE seconds; a rebuilt pack invalidates older links.
"""

from django.conf import settings
from django.db import connection
from django.urls import reverse

from apps.core.signed_links import link_token, link_token_read

SALT = "orders.pack"


def pack_token(*, schema: str, order_id: int, built: int) -> str:
    return link_token(SALT, schema, order_id, built)


def pack_token_read(token: str) -> tuple[str, int, int] | None:
    """(schema, order id, build timestamp) of a valid, unexpired token; None otherwise."""
    return link_token_read(token, salt=SALT, max_age=settings.ASSET_URL_MAX_AGE, types=(str, int, int))


def pack_built_stamp(order) -> int:
    """When the pack was built, in microseconds: a token is for that build only."""
    return round(order.pack_built_at.timestamp() * 1_000_000)


def pack_url(order) -> str | None:
    """The signed path of the order's ready pack in the current schema; None until it is built."""
    if order.pack_status != order.PackStatus.READY or not order.pack or order.pack_built_at is None:
        return None
    token = pack_token(schema=connection.schema_name, order_id=order.pk, built=pack_built_stamp(order))
    return reverse("order-pack", args=[token])
