"""Orders tests: ready designs made by the real pipeline (tests/designs), orders by the real service."""

import pytest
from django.test import Client

from apps.designs.models import Design
from apps.designs.services import design_create
from apps.products.models import Product
from tests.designs.conftest import pipeline_run, product_make
from tests.sink import sink  # noqa: F401  (a local HTTP server that records requests)


def ready_design(product: Product, **fields) -> Design:
    """A design of `product` taken through the whole pipeline in this process."""
    return pipeline_run(design_create(product=product.pk, prompt="A fox in a snowy forest", **fields))


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Files of the test go to a temporary folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def product(tenant) -> Product:
    return product_make(views=("front", "back"))


@pytest.fixture
def design(product) -> Design:
    return ready_design(product)


@pytest.fixture
def anonymous() -> Client:
    return Client()
