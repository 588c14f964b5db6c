"""Reads for brands (the current schema's)."""

import logging

from django.db import connection
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from apps.core.crypto import decrypt
from apps.tenants.models import ApiKey
from apps.tenants.services import tenant_url

from .models import Brand

logger = logging.getLogger(__name__)
# Where the brand's Stripe account sends Checkout events, on the workspace's host (apps/storefront).
STRIPE_WEBHOOK_PATH = "/api/v1/widget/payments/stripe"


def brand_count() -> int:
    return Brand.objects.count()


def brand_list() -> QuerySet[Brand]:
    return Brand.objects.all()


def brand_get(*, pk: int) -> Brand:
    """The brand, or Http404 (rendered as 404 `not_found` by the API)."""
    return get_object_or_404(Brand, pk=pk)


def _active_keys():
    return ApiKey.objects.filter(
        tenant=connection.tenant, type=ApiKey.Type.PUBLISHABLE, revoked_at__isnull=True
    )


def brand_publishable_key(*, brand: Brand) -> ApiKey | None:
    """The brand's active publishable key (with its value, unless it was made before values were kept)."""
    return _active_keys().filter(brand_ref=brand.pk).first()


def brand_publishable_keys(*, brands) -> dict[int, ApiKey]:
    """The active publishable key of each of `brands`, by brand id, in one query."""
    return {key.brand_ref: key for key in _active_keys().filter(brand_ref__in=[brand.pk for brand in brands])}


def brand_embeddable_exists() -> bool:
    """Whether a brand can run its widget somewhere: it lists an allowed origin and has an active key."""
    with_origins = Brand.objects.exclude(allowed_origins=[]).values_list("pk", flat=True)
    return _active_keys().filter(brand_ref__in=list(with_origins)).exists()


def brand_allows_origin(*, pk: int, origin: str) -> bool:
    """Whether the brand exists and lists `origin` among its allowed origins, read afresh."""
    return Brand.objects.filter(pk=pk, allowed_origins__contains=[origin]).exists()


def brand_stripe_key(*, brand: Brand) -> str:
    """The brand's own Stripe secret key ("" when it has none: its widget takes no payment)."""
    if not brand.stripe_secret_key:
        return ""
    try:
        return decrypt(brand.stripe_secret_key)
    except ValueError:  # encrypted with a key ENCRYPTION_KEYS no longer lists
        logger.error("brand %s: its Stripe key cannot be decrypted; enter it again", brand.pk)
        return ""


def brand_stripe_key_hint(*, brand: Brand) -> str:
    """The brand's Stripe key as the settings show it: `sk_live_…WXYZ`."""
    key = brand_stripe_key(brand=brand)
    return f"{key[:8]}…{key[-4:]}" if key else ""


def brand_stripe_webhook_url() -> str:
    """The address to give the brand's Stripe account for its Checkout events."""
    return tenant_url(connection.tenant, STRIPE_WEBHOOK_PATH)
