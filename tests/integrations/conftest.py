"""Integrations tests: the fake shop is `tests.support.fakes.shops`; a Luneo design to order."""

import pytest

from tests.support.factories.designs import ready_design
from tests.support.factories.products import product_make


@pytest.fixture
def luneo_design(tenant):
    """A ready design of an active mug priced 12.00 EUR in the catalog."""
    return ready_design(product_make())
