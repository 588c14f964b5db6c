"""Storefront tests: the widget's brand and product (`tests.support.widget`) under short names."""

import pytest


@pytest.fixture
def brand(widget_brand):
    return widget_brand


@pytest.fixture
def product(widget_product):
    return widget_product
