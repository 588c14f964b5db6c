"""Orders tests: ready designs made by the real pipeline, orders by the real service."""

import pytest
from django.test import Client

from apps.designs.models import Design
from apps.products.models import Product
from tests.support.factories.designs import ready_design
from tests.support.factories.products import product_make


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
