"""The widget's side of the storefront API: a shopper's browser on a merchant's site, and its brand.

Fixtures: `widget_brand` (brand "Maison" allowing SHOP, in French), `widget_product` (a mug of
that brand at 20.00) and `widget` (a Widget with a publishable key of that brand).
"""

import json
from decimal import Decimal

import pytest
from django.test import Client

from apps.brands.services import brand_create, brand_publishable_key_create
from apps.designs.models import Design
from tests.support.factories.designs import pipeline_run
from tests.support.factories.products import product_make

SHOP = "https://shop.example"


class Widget:
    """A browser on `origin` running the widget with a brand's publishable key."""

    def __init__(self, raw_key: str, origin: str = SHOP):
        self.key, self.origin, self.client = raw_key, origin, Client()
        self.session = None

    def url(self, path: str, **params) -> str:
        query = "&".join(f"{name}={value}" for name, value in {"key": self.key, **params}.items())
        return f"/api/v1/widget/{path}?{query}"

    def headers(self, extra: dict) -> dict:
        headers = {"HTTP_ORIGIN": self.origin, **extra}
        if self.session:
            headers["HTTP_X_LUNEO_SESSION"] = self.session
        return headers

    def get(self, path: str, **params):
        return self.client.get(self.url(path, **params), **self.headers({}))

    def post(self, path: str, data=None, headers=None, **params):
        return self.send("post", path, data, headers, **params)

    def patch(self, path: str, data=None, headers=None, **params):
        return self.send("patch", path, data, headers, **params)

    def send(self, method: str, path: str, data=None, headers=None, **params):
        """A JSON request of `method` (post, patch) with the page's origin and the shopper's session."""
        return getattr(self.client, method)(
            self.url(path, **params),
            json.dumps(data or {}),
            content_type="application/json",
            **self.headers(headers or {}),
        )

    def start_session(self) -> None:
        self.session = self.post("sessions").json()["session"]


@pytest.fixture
def widget_brand(tenant):
    return brand_create(name="Maison", allowed_origins=[SHOP], default_language="fr")


@pytest.fixture
def widget_product(widget_brand):
    product = product_make(brand=widget_brand)
    product.price = Decimal("20.00")
    product.save()
    return product


@pytest.fixture
def widget(widget_brand) -> Widget:
    _key, raw = brand_publishable_key_create(brand=widget_brand)
    return Widget(raw)


def widget_ready_design(widget: Widget, product, **fields) -> Design:
    """A design the widget asked for (a shopper's session), taken through the pipeline here."""
    widget.start_session()
    response = widget.post("designs", {"product": product.sku, "prompt": "a fox in the snow", **fields})
    assert response.status_code == 202, response.content
    return pipeline_run(Design.objects.get(public_id=response.json()["id"]))
