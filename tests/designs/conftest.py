"""Designs tests: a catalog built through the catalog services; the pipeline run step by step."""

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.brands.services import brand_create
from apps.designs import tasks
from apps.designs.models import Design
from apps.products.models import Product, View
from apps.products.services import product_create, rect_points, variant_create, view_create
from tests.ai.conftest import fake_openai  # noqa: F401  (a local fake of the OpenAI HTTP API)
from tests.core.conftest import daphne, processes, worker  # noqa: F401  (real daphne and Celery worker)

STEPS = (
    tasks.design_moderate_task,
    tasks.design_generate_task,
    tasks.design_composite_task,
    tasks.design_export_task,
)
# Small print areas keep files small: 100 × 80 mm + 2 mm bleed at 100 DPI → 409 × 331 px.
VIEW_SPEC = {"width_mm": 100, "height_mm": 80, "dpi": 100, "bleed_mm": 2, "safe_mm": 3}


def png_upload(size=(400, 300), color=(230, 230, 235), name="image.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


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
            mockup=png_upload(),
            name=name,
            position=position,
            area_points=rect_points(x=100, y=60, width=200, height=160),
            **{**VIEW_SPEC, **spec},
        )
    return product


def brand_make(**fields):
    return brand_create(name=f"Brand {uuid.uuid4().hex[:6]}", **fields)


def variant_make(product: Product, name: str = "Blue"):
    return variant_create(product=product, name=name, sku_suffix=name.upper()[:8])


def pipeline_run(design: Design, steps=STEPS, *, throw: bool = True) -> Design:
    """Run the steps in order in this process, as a worker would (each in the design's schema).

    `throw=False` lets Celery handle a task's retry (run again at once) instead of raising it.
    """
    for task in steps:
        task.apply(args=[design.pk], throw=throw)
    design.refresh_from_db()
    return design


def views_of(product: Product) -> list[View]:
    return list(product.views.order_by("position"))


@pytest.fixture
def product(tenant) -> Product:
    return product_make()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Files of the test go to a temporary folder (tests with real processes override this)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
