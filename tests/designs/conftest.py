"""Designs tests: a catalog built through the catalog services; the pipeline run step by step."""

import pytest

from apps.products.models import Product
from tests.support.factories.products import product_make


@pytest.fixture
def product(tenant) -> Product:
    return product_make()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Files of the test go to a temporary folder (tests with real processes override this)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
