"""The tags a merchant pastes into a product page to embed a brand's widget."""

from django.utils.html import escape

from apps.tenants.models import ApiKey
from apps.tenants.services import public_url

SCRIPT_PATH = "/widget/v1/luneo.js"  # served on every host; the contract of widget/README.md
SKU_PLACEHOLDER = "SKU"


def embed_snippet(api_key: ApiKey | None, *, sku: str = SKU_PLACEHOLDER) -> str:
    """The script tag with the brand's publishable key, and the element showing product `sku`.

    Empty when there is no key, or when the key was made before its value was kept.
    """
    if api_key is None or not api_key.publishable_value:
        return ""
    script = escape(public_url(SCRIPT_PATH))
    return (
        f'<script src="{script}" data-luneo-key="{escape(api_key.publishable_value)}" async></script>\n'
        f'<div data-luneo-product="{escape(sku)}"></div>'
    )
