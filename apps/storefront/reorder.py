""" "Reorder my design" links: a brand's shop page that reopens the widget with a saved design.

`reorder_url(page, design)` adds `luneo_reorder=<token>` to the page's address; the token signs
(schema, design's public id) as the lasting links in e-mails do (apps.core.signed_links, valid
LASTING_MAX_AGE). The widget sends it to `POST /api/v1/widget/reorders`, which reads it back
with `reorder_design`.
"""

from urllib.parse import urlencode, urlsplit, urlunsplit

from django.db import connection

from apps.brands.models import Brand
from apps.core.signed_links import LASTING_MAX_AGE, lasting_salt, link_token, link_token_read
from apps.designs.models import Design

from .selectors import widget_design_state

PARAMETER = "luneo_reorder"
SALT = lasting_salt("storefront.reorder")


def reorder_url(page_url: str, design: Design) -> str:
    """`page_url` with `luneo_reorder=<token>` for `design` (a design of the current schema) added
    to its query; the rest of the address, fragment included, is kept as it was."""
    parts = urlsplit(page_url)
    parameter = urlencode({PARAMETER: link_token(SALT, connection.schema_name, design.public_id)})
    query = f"{parts.query}&{parameter}" if parts.query else parameter
    return urlunsplit(parts._replace(query=query))


def reorder_design(token: str, *, brand: Brand) -> Design | None:
    """The ready design of `brand` a token names; None if the token is tampered with, expired or
    of another workspace, or the design is not ready (or not the brand's)."""
    values = link_token_read(token, salt=SALT, max_age=LASTING_MAX_AGE, types=(str, str))
    if values is None or values[0] != connection.schema_name:
        return None
    designs = Design.objects.select_related("product", "variant")
    return designs.filter(public_id=values[1], status=Design.Status.READY, product__brand=brand).first()


def reorder_state(design: Design, absolute) -> dict:
    """The widget's state of the design, and what its form needs to make it again elsewhere."""
    return {
        **widget_design_state(design, absolute),
        "product": design.product.sku,
        "variant": design.variant_id,
        "prompt": design.prompt,
        "style": design.style,
    }
