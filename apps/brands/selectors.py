"""Reads for brands (the current schema's)."""

from django.db import connection
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from apps.tenants.models import ApiKey

from .models import Brand


def brand_count() -> int:
    return Brand.objects.count()


def brand_list() -> QuerySet[Brand]:
    return Brand.objects.all()


def brand_get(*, pk: int) -> Brand:
    """The brand, or Http404 (rendered as 404 `not_found` by the API)."""
    return get_object_or_404(Brand, pk=pk)


def brand_publishable_key(*, brand: Brand) -> ApiKey | None:
    """The brand's active publishable key (its prefix is all that can be shown again)."""
    return ApiKey.objects.filter(
        tenant=connection.tenant, brand_ref=brand.pk, type=ApiKey.Type.PUBLISHABLE, revoked_at__isnull=True
    ).first()


def brand_allows_origin(*, pk: int, origin: str) -> bool:
    """Whether the brand exists and lists `origin` among its allowed origins, read afresh."""
    return Brand.objects.filter(pk=pk, allowed_origins__contains=[origin]).exists()
