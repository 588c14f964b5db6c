"""Brands: settings checked by the service, constraints in the database, publishable keys."""

import pytest
from django.db import IntegrityError, connection

from apps.brands.errors import BrandInvalid, BrandNameTaken
from apps.brands.models import Brand
from apps.brands.selectors import brand_publishable_key
from apps.brands.services import brand_create, brand_delete, brand_publishable_key_create, brand_update
from apps.tenants.models import ApiKey
from apps.tenants.selectors import api_key_authenticate
from tests.support.factories.products import image_upload


def test_brand_create_normalises_colours_origins_and_words(tenant):
    brand = brand_create(
        name="  Acme ",
        primary_color="#aabbcc",
        allowed_origins=["https://Shop.Example/", "https://shop.example", "http://localhost:3000"],
        blocked_words=[" Hate ", "hate", ""],
        font="dejavu-serif",
    )

    assert brand.name == "Acme"
    assert brand.primary_color == "#AABBCC"
    assert brand.allowed_origins == ["https://shop.example", "http://localhost:3000"]
    assert brand.blocked_words == ["hate"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"primary_color": "red"}, "primary_color"),
        ({"secondary_color": "#12345"}, "secondary_color"),
        ({"font": "comic-sans"}, "font"),
        ({"default_language": "de"}, "default_language"),
    ],
)
def test_brand_create_refuses_bad_settings_naming_the_field(tenant, fields, field):
    with pytest.raises(BrandInvalid) as caught:
        brand_create(name="Acme", **fields)

    assert field in caught.value.details["fields"]


@pytest.mark.parametrize(
    "origin",
    ["http://shop.example", "https://shop.example/path", "shop.example", "https://", "ftp://x.example"],
)
def test_an_origin_must_be_https_without_a_path(tenant, origin):
    with pytest.raises(BrandInvalid) as caught:
        brand_create(name="Acme", allowed_origins=[origin])

    assert "allowed_origins" in caught.value.details["fields"]


def test_two_brands_cannot_share_a_name(tenant):
    brand_create(name="Acme")

    with pytest.raises(BrandNameTaken):
        brand_create(name="Acme")


def test_the_database_refuses_a_colour_that_is_not_hex(tenant):
    with pytest.raises(IntegrityError):
        Brand.objects.create(name="Raw", primary_color="blue")


def test_brand_update_replaces_the_logo_with_a_re_encoded_image(tenant):
    brand = brand_create(name="Acme")

    brand = brand_update(brand=brand, logo=image_upload(64, 64, fmt="WEBP"), allow_photo_upload=False)

    assert brand.logo.name.startswith("brands/logos/")
    assert brand.logo.name.endswith(".jpg")
    assert brand.allow_photo_upload is False


def test_a_brand_gets_a_publishable_key_bound_to_it_and_rotation_revokes_the_old_one(tenant):
    brand = brand_create(name="Acme")

    first, first_raw = brand_publishable_key_create(brand=brand)
    second, _raw = brand_publishable_key_create(brand=brand)

    assert first_raw.startswith("pk_live_")
    assert (second.type, second.brand_ref, second.tenant_id) == (ApiKey.Type.PUBLISHABLE, brand.pk, tenant.pk)
    first.refresh_from_db()
    assert not first.is_active
    assert brand_publishable_key(brand=brand) == second
    assert api_key_authenticate(first_raw).revoked_at is not None


def test_deleting_a_brand_revokes_its_key(tenant):
    brand = brand_create(name="Acme")
    api_key, _raw = brand_publishable_key_create(brand=brand)

    brand_delete(brand=brand)

    api_key.refresh_from_db()
    assert not api_key.is_active
    assert connection.tenant == tenant
