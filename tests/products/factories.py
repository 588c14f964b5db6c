"""Catalog test data: images made with Pillow, products and views built through the services."""

import io
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.brands.models import Brand
from apps.products.models import Product
from apps.products.services import rect_points, view_create


def image_upload(width: int = 400, height: int = 300, *, fmt: str = "PNG", mode: str = "RGB", name=None):
    """An uploaded image file of that size and format."""
    out = io.BytesIO()
    Image.new(mode, (width, height), "#3366CC").save(out, format=fmt)
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}.get(
        fmt, "application/octet-stream"
    )
    return SimpleUploadedFile(name or f"upload.{fmt.lower()}", out.getvalue(), content_type=content_type)


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand

    name = factory.Sequence(lambda n: f"Brand {n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"SKU-{n}")
    name = factory.Sequence(lambda n: f"Product {n}")
    price = Decimal("19.90")


def product_with_view(**product_fields):
    """A poster product with a 400 × 300 px mockup and a 250 × 200 mm print area on it."""
    product = ProductFactory(**product_fields)
    view = view_create(
        product=product,
        mockup=image_upload(400, 300),
        name="front",
        area_points=rect_points(x=50, y=50, width=250, height=200),
        width_mm=Decimal(250),
        height_mm=Decimal(200),
    )
    return product, view
