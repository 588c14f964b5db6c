"""Reads for the widget: the brand behind a publishable key, and a product's configuration."""

import json
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils.translation import get_language, get_supported_language_variant

from apps.ai.styles import STYLES
from apps.billing.entitlements import entitlements
from apps.billing.models import Feature
from apps.brands.countries import COUNTRY_CODES
from apps.brands.fonts import DEFAULT_FONT, FONTS
from apps.brands.models import Brand
from apps.core.hashing import sha256_hex
from apps.core.memo import ProcessCache
from apps.designs.errors import design_error_public
from apps.designs.models import PROMPT_MAX_LENGTH, Design
from apps.designs.selectors import design_ordered, session_designs, view_print_spec
from apps.designs.services import EDITABLE_SPEC_VERSION, TEXT_LAYERS_MAX, layout_clean
from apps.designs.signing import asset_urls
from apps.orders.models import QUANTITY_MAX
from apps.products.models import Product
from apps.tenants.models import ApiKey

from .errors import ProductNotFound
from .media import media_url
from .payments import brand_takes_payment
from .strings import strings

# The brand of each publishable key, and products' configurations, are kept per process: an
# edited brand applies at once in every process (apps.core.memo), a catalog change within
# WIDGET_CONFIG_MAX_AGE (as long as browsers cache the configuration anyway).
_brands = ProcessCache(seconds=60, everywhere=True)
_configs = ProcessCache(seconds=settings.WIDGET_CONFIG_MAX_AGE, max_size=2_000)
COUNTRIES = sorted(COUNTRY_CODES)  # the widget names them in the shopper's language


def widget_brand(api_key: ApiKey) -> Brand | None:
    """The brand a publishable key belongs to (in the current schema), or None if it is gone."""
    brand_id = api_key.brand_ref
    if not brand_id:
        return None
    return _brands.get_or_load(
        (connection.schema_name, brand_id),
        lambda: Brand.objects.filter(pk=brand_id).first(),
    )


def widget_caches_forget() -> None:
    _brands.forget()
    _configs.forget()


def widget_product(*, brand: Brand, sku: str) -> Product:
    """The brand's active product with this SKU; 404 `product_not_found` otherwise."""
    product = Product.objects.filter(brand=brand, sku=sku, status=Product.Status.ACTIVE).first()
    if product is None:
        raise ProductNotFound(details={"product": sku})
    return product


@dataclass(frozen=True)
class RenderedConfig:
    body: bytes  # JSON
    etag: str


def widget_config(*, brand: Brand, sku: str, absolute) -> RenderedConfig:
    """What the widget shows for a product, in the active language, as JSON with its ETag.

    Kept WIDGET_CONFIG_MAX_AGE s per process, rendered: the hottest widget call serves bytes.
    `absolute(path)` turns a path into a URL on the API's host.
    """
    key = (connection.schema_name, brand.pk, sku, get_language(), absolute("/"))
    return _configs.get_or_load(key, lambda: _config_render(brand, sku, absolute))


def _config_render(brand: Brand, sku: str, absolute) -> RenderedConfig:
    text = json.dumps(_config(brand, widget_product(brand=brand, sku=sku), absolute))
    return RenderedConfig(body=text.encode(), etag=f'"{sha256_hex(text)[:32]}"')


def _config(brand: Brand, product: Product, absolute) -> dict:
    font = FONTS.get(brand.font, FONTS[DEFAULT_FONT])
    return {
        "brand": {
            "name": brand.name,
            "logo_url": absolute(media_url("logo", brand.pk)) if brand.logo else None,
            "primary_color": brand.primary_color,
            "secondary_color": brand.secondary_color,
            "font": {
                "name": font.label,
                "url": absolute(reverse("storefront:widget-font", args=[font.regular])),
            },
            "allow_photo_upload": brand.allow_photo_upload,
            "allow_text_layers": brand.allow_text_layers,
            "powered_by": not entitlements(connection.tenant).has(Feature.WHITE_LABEL),
            "country": brand.country,
        },
        # The widget's own checkout (data-luneo-cart="luneo"): "stripe" when the shopper pays on
        # the brand's Stripe Checkout, null when orders are requests awaiting payment.
        "checkout": {
            "payment": "stripe" if brand_takes_payment(brand) else None,
            "countries": COUNTRIES,
        },
        "product": {
            "sku": product.sku,
            "name": product.localized_name,  # in the shopper's language, else the default name
            "description": product.description,
            "price": str(product.price),
            "currency": product.currency,
            "shape": product.shape,
            "has_3d": True,  # every product gets a textured GLB (its shape's, or its own model)
        },
        "variants": [
            {"id": v.pk, "name": v.localized_name, "price": str(product.price + v.price_delta)}
            for v in product.variants.all()
        ],
        "views": [
            {
                "id": view.pk,
                "name": view.localized_name,  # the key of the design's previews too
                "variant": view.variant_id,
                "mockup_url": absolute(media_url("mockup", view.pk)),
                "width": view.mockup_width,
                "height": view.mockup_height,
                "print_area": {"shape": view.area_shape, "points": view.area_points},
                # Where photo and text must stay (fractions of the print area): the editor keeps them in.
                "safe": view_print_spec(view).safe_box(),
            }
            for view in product.views.all()
        ],
        "options": [
            {"id": o.pk, "name": o.localized_name, "price_delta": str(o.price_delta)}
            for o in product.options.all()
        ],
        "styles": [{"id": style.key, "label": str(style.label)} for style in STYLES.values()],
        "fonts": [
            {
                "id": font.key,
                "name": font.label,
                "url": absolute(reverse("storefront:widget-font", args=[font.regular])),
            }
            for font in FONTS.values()
        ],
        "limits": {
            "prompt_max_length": PROMPT_MAX_LENGTH,
            "quantity_max": QUANTITY_MAX,
            "text_layers_max": TEXT_LAYERS_MAX,
        },
        "locale": get_language(),
        "strings": strings(),
    }


def supported_language(code: str | None) -> str | None:
    """The language of ours closest to `code` (`fr-CA`, `zh_Hans` …), or None."""
    try:
        return get_supported_language_variant(code.replace("_", "-").lower()) if code else None
    except LookupError:
        return None


def widget_design(*, public_id: str, session_id: str) -> Design | None:
    """A design of this shopper session, made or given by a reorder link (None for anyone else's:
    ids are not enough)."""
    return session_designs(session_id).filter(public_id=public_id).first()


def _view_names(design: Design) -> dict[str, str]:
    """Each view's name → its name in the active language (as the widget's configuration names it)."""
    return {view.name: view.localized_name for view in design.product.views.all()}


def widget_design_state(design: Design, absolute) -> dict:
    """What the widget shows of a design: status, progress, error, previews by view, the 3D model,
    and what its editor needs (the artwork and photo, where they sit, the text layers).

    Previews are keyed by the view's name in the active language, as in the configuration; the
    error is the shopper's (design_error_public: a refusal never names the blocked word).
    """
    previews, model_url, artwork_url = {}, None, None
    if design.status in (Design.Status.EXPORTING, Design.Status.READY):
        names = None
        for key, asset in asset_urls(design).items():
            view, _, kind = key.rpartition("/")
            if kind == "preview_jpg":
                names = _view_names(design) if names is None else names
                previews[names.get(view, view)] = absolute(asset["url"])
            elif kind == "glb":
                model_url = absolute(asset["url"])
            elif kind == "artwork":
                artwork_url = absolute(asset["url"])
    editable = (
        design.status == Design.Status.READY
        and design.spec.get("version", 0) >= EDITABLE_SPEC_VERSION
        and not design_ordered(design)
    )
    error = design_error_public(code=design.error_code, message=design.error_message, spec=design.spec)
    return {
        "id": design.public_id,
        "status": design.status,
        "step": design.step,
        "progress": design.progress,
        "error": error,
        "previews": previews,
        "model_url": model_url,
        "offline": design.provider == "offline",  # made by the offline generator, not an AI service
        "editable": editable,
        "artwork_url": artwork_url,
        "photo_url": absolute(media_url("photo", design.pk)) if design.photo else None,
        "layout": layout_clean(design.layout),
        "text_layers": design.text_layers,
    }
