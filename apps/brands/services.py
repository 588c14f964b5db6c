"""Writes for brands and their publishable keys."""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from apps.billing.entitlements import limit_reserve
from apps.billing.models import Limit
from apps.core.crypto import encrypt
from apps.core.hygiene import one_line
from apps.core.memo import forget_everywhere
from apps.core.notifications import access_changed
from apps.core.uploads import image_clean
from apps.tenants.models import ApiKey, Tenant, User
from apps.tenants.services import api_key_create, api_key_revoke

from .errors import BrandInvalid, BrandNameTaken
from .models import Brand
from .selectors import brand_count

# Publishable keys live in page source: the widget needs nothing more.
PUBLISHABLE_SCOPES = ["catalog:read", "designs:read", "designs:write"]
LOCAL_HOSTS = ("localhost", "127.0.0.1")
BRAND_FIELDS = (
    "name",
    "primary_color",
    "secondary_color",
    "font",
    "default_language",
    "allowed_origins",
    "blocked_words",
    "allow_photo_upload",
    "allow_text_layers",
    "country",
)
# A secret or restricted key of the brand's own Stripe account, live or test.
STRIPE_KEY = re.compile(r"(sk|rk)_(live|test)_[0-9A-Za-z]{10,240}")


def origin_normalise(value: str) -> str:
    """`https://Shop.Example/` → `https://shop.example`. Only https (http for localhost), no path."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError as exc:
        raise BrandInvalid(
            details={"fields": {"allowed_origins": [_("Not a web address: %s") % value]}}
        ) from exc
    host = parts.hostname or ""
    secure = parts.scheme == "https" or (parts.scheme == "http" and host in LOCAL_HOSTS)
    if (
        not host
        or not secure
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username
    ):
        message = _("“%s” is not an origin: use https://your-shop.example, without a path.") % value
        raise BrandInvalid(details={"fields": {"allowed_origins": [message]}})
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


def _words(words: list[str]) -> list[str]:
    return list(dict.fromkeys(word.strip().lower() for word in words if word.strip()))


def _stripe_key_set(brand: Brand, value: str | None) -> None:
    """None keeps the brand's Stripe key, "" removes it; a key is checked, then stored encrypted."""
    if value is None:
        return
    value = value.strip()
    if value and not STRIPE_KEY.fullmatch(value):
        message = _(
            "Paste a secret key (sk_live_…) or restricted key (rk_live_…) of the brand's Stripe account."
        )
        raise BrandInvalid(details={"fields": {"stripe_secret_key": [message]}})
    brand.stripe_secret_key = encrypt(value) if value else ""


def _save(brand: Brand, logo=None) -> Brand:
    brand.name = brand.name.strip()
    brand.country = brand.country.strip().upper()
    brand.allowed_origins = list(dict.fromkeys(origin_normalise(o) for o in brand.allowed_origins))
    brand.blocked_words = _words(brand.blocked_words)
    brand.primary_color, brand.secondary_color = brand.primary_color.upper(), brand.secondary_color.upper()
    try:
        brand.full_clean(exclude=["logo"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise BrandInvalid(details={"fields": exc.message_dict}) from exc
    if logo is not None:
        brand.logo = image_clean(logo, name="logo").file
    try:
        with transaction.atomic():
            brand.save()
    except IntegrityError as exc:
        raise BrandNameTaken() from exc
    forget_everywhere()  # the widget's cached brands, in every process
    return brand


def brand_create(*, name: str, logo=None, stripe_secret_key: str | None = None, **fields) -> Brand:
    """Create a brand. `fields` are any of BRAND_FIELDS; `logo` an uploaded image (re-encoded);
    `stripe_secret_key` the brand's own Stripe key, for the widget's checkout (stored encrypted)."""
    brand = Brand(name=name, **_known(fields))
    _stripe_key_set(brand, stripe_secret_key)
    with limit_reserve(Limit.BRANDS, used=brand_count):
        return _save(brand, logo)


def brand_update(*, brand: Brand, logo=None, stripe_secret_key: str | None = None, **fields) -> Brand:
    """Update a brand. Sites no longer allowed lose the widget's open sockets at once.

    `stripe_secret_key`: None keeps the brand's Stripe key, "" removes it, a key replaces it.
    """
    with transaction.atomic():
        # The stored origins: a ModelForm may already have set the new ones on `brand`.
        stored = (
            Brand.objects.select_for_update().filter(pk=brand.pk).values_list("allowed_origins", flat=True)
        )
        before = set(stored.first() or [])
        for field, value in _known(fields).items():
            setattr(brand, field, value)
        _stripe_key_set(brand, stripe_secret_key)
        brand = _save(brand, logo)
        if before - set(brand.allowed_origins):
            for api_key in _keys(brand):
                access_changed(schema=connection.schema_name, key_id=api_key.pk)  # sockets check the origin
    return brand


def _known(fields: dict) -> dict:
    unknown = sorted(set(fields) - set(BRAND_FIELDS))
    if unknown:
        raise BrandInvalid(details={"unknown_fields": unknown})
    return fields


def brand_delete(*, brand: Brand) -> None:
    """Delete a brand and revoke its publishable keys (its products stay, without a brand)."""
    with transaction.atomic():
        _keys_revoke(brand)
        brand.delete()


def _keys(brand: Brand):
    """The brand's active publishable keys."""
    return ApiKey.objects.filter(
        tenant=connection.tenant, brand_ref=brand.pk, type=ApiKey.Type.PUBLISHABLE, revoked_at__isnull=True
    )


def _keys_revoke(brand: Brand) -> None:
    for key in _keys(brand):
        api_key_revoke(api_key=key)


def brand_publishable_key_create(*, brand: Brand, created_by: User | None = None) -> tuple[ApiKey, str]:
    """A new `pk_live_…` key for the brand's widget; any previous one is revoked (rotation).

    Returns the key and the raw value, shown once.
    """
    tenant: Tenant = connection.tenant
    with transaction.atomic():
        Brand.objects.select_for_update().filter(pk=brand.pk).first()  # parallel rotations take turns
        _keys_revoke(brand)
        label = one_line(brand.name)  # a name stored before names were checked may span lines
        return api_key_create(
            tenant=tenant,
            name=_("Widget key for %(brand)s") % {"brand": label},
            key_type=ApiKey.Type.PUBLISHABLE,
            scopes=PUBLISHABLE_SCOPES,
            created_by=created_by,
            brand_ref=brand.pk,
        )
