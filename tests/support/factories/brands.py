"""Brands: a factory-boy factory, one made through the service, and the dashboard form's data."""

import uuid

import factory

from apps.brands.models import Brand
from apps.brands.services import brand_create

# A complete, valid Settings → Brands form.
BRAND_FORM = {
    "name": "Acme",
    "primary_color": "#112233",
    "secondary_color": "#445566",
    "font": "dejavu-sans",
    "default_language": "fr",
    "allowed_origins": "https://shop.example\nhttps://www.shop.example",
    "blocked_words": "spam, scam",
    "allow_photo_upload": "on",
}


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand

    name = factory.Sequence(lambda n: f"Brand {n}")


def brand_make(**fields):
    return brand_create(name=f"Brand {uuid.uuid4().hex[:6]}", **fields)
