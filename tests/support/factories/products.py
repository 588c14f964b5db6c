"""Catalog test data: images made with Pillow, products and views built through the services."""

import io
import uuid
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.products.models import Product
from apps.products.services import product_create, rect_points, variant_create, view_create

# Small print areas keep files small: 100 × 80 mm + 2 mm bleed at 100 DPI → 409 × 331 px.
VIEW_SPEC = {"width_mm": 100, "height_mm": 80, "dpi": 100, "bleed_mm": 2, "safe_mm": 3}


def image_upload(
    width: int = 400, height: int = 300, *, fmt: str = "PNG", mode: str = "RGB", color="#3366CC", name=None
):
    """An uploaded image file of that size, format and colour."""
    out = io.BytesIO()
    Image.new(mode, (width, height), color).save(out, format=fmt)
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}.get(
        fmt, "application/octet-stream"
    )
    return SimpleUploadedFile(name or f"upload.{fmt.lower()}", out.getvalue(), content_type=content_type)


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


def product_make(
    *, status=Product.Status.ACTIVE, brand=None, views=("front",), shape="mug", **spec
) -> Product:
    """An active product with one view per name, each with a 400 × 300 mockup and a print area."""
    product = product_create(
        sku=f"SKU-{uuid.uuid4().hex[:8]}", name="Mug", price="12.00", status=status, brand=brand, shape=shape
    )
    for position, name in enumerate(views):
        view_create(
            product=product,
            mockup=image_upload(400, 300, color=(230, 230, 235), name="image.png"),
            name=name,
            position=position,
            area_points=rect_points(x=100, y=60, width=200, height=160),
            **{**VIEW_SPEC, **spec},
        )
    return product


def variant_make(product: Product, name: str = "Blue"):
    return variant_create(product=product, name=name, sku_suffix=name.upper()[:8])
