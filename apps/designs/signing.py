"""Signed, expiring download URLs for design assets: `/designs/assets/<token>/`.

The token signs (schema, asset id) with the SECRET_KEY and a timestamp; it expires after
ASSET_URL_MAX_AGE seconds. Storage paths are never shown: the token is the only way in.
"""

from django.conf import settings
from django.db import connection
from django.urls import reverse

from apps.core.memo import ProcessCache
from apps.core.signed_links import lasting_salt, link_token, link_token_read, link_token_read_any

from .selectors import design_own_assets

SALT = "designs.asset"
CORRECTION_SALT = "designs.correction"


def asset_token(*, schema: str, asset_id: int, lasting: bool = False) -> str:
    return link_token(lasting_salt(SALT) if lasting else SALT, schema, asset_id)


def asset_token_read(token: str) -> tuple[str, int] | None:
    """(schema, asset id) of a valid, unexpired token; None otherwise."""
    return link_token_read_any(token, salt=SALT, max_age=settings.ASSET_URL_MAX_AGE, types=(str, int))


# Signing a link and reversing its path take ≈ 80 µs; a page of 50 ready designs has ≈ 350 links.
# A link signed in the last minute is handed out again, so it expires between ASSET_URL_MAX_AGE
# minus a minute and ASSET_URL_MAX_AGE after it is shown.
_RECENT_URLS = ProcessCache(seconds=60)


def asset_url(asset, *, lasting: bool = False) -> str:
    """The asset's signed path in the current schema (prefix a host for links outside the site);
    `lasting` for a link in an e-mail (LASTING_MAX_AGE instead of ASSET_URL_MAX_AGE)."""
    key = (connection.schema_name, asset.pk, lasting)
    return _RECENT_URLS.get_or_load(key, lambda: _asset_path(*key))


def _asset_path(schema: str, asset_id: int, lasting: bool) -> str:
    return reverse("design-asset", args=[asset_token(schema=schema, asset_id=asset_id, lasting=lasting)])


def asset_key(asset) -> str:
    """`<view name>/<kind>` for a view's asset, `<kind>` for the design's own (artwork, GLB)."""
    return f"{asset.view.name}/{asset.kind}" if asset.view_id else asset.kind


def asset_urls(design) -> dict[str, dict]:
    """Every asset of `design` by key: signed url, pixel size, dpi."""
    return {
        asset_key(asset): {
            "url": asset_url(asset),
            "width": asset.width,
            "height": asset.height,
            "dpi": asset.dpi,
            "content_type": asset.content_type,
            "bytes": asset.bytes,
        }
        for asset in design_own_assets(design)
    }


def correction_preview_url(design, replacements) -> str:
    """The signed path of the design's preview with `replacements` (wrong → right) applied to its
    text, drawn when opened (`/designs/corrections/<token>/preview.png`): a correction's "after".
    The token names the current schema, the design and the replacements: nothing else renders."""
    pairs = [[wrong, right] for wrong, right in replacements]
    token = link_token(CORRECTION_SALT, connection.schema_name, design.public_id, pairs)
    return reverse("design-correction-preview", args=[token])


def correction_token_read(token: str) -> tuple[str, str, list] | None:
    """(schema, design id `dsg_…`, replacements) of a valid, unexpired token; None otherwise."""
    return link_token_read(
        token, salt=CORRECTION_SALT, max_age=settings.ASSET_URL_MAX_AGE, types=(str, str, list)
    )
