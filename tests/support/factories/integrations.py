"""Shops connected through the service, to the local fake shop (`tests.support.fakes.shops`)."""

from apps.integrations.models import Integration
from apps.integrations.services import integration_connect
from tests.support.fakes.shops import (
    SHOPIFY_SECRET,
    SHOPIFY_TOKEN,
    WOO_KEY,
    WOO_SECRET,
    WOO_WEBHOOK_SECRET,
    FakeShop,
)


def shopify_connect(fake_shop: FakeShop, **fields) -> Integration:
    credentials = {"access_token": SHOPIFY_TOKEN, "api_secret": SHOPIFY_SECRET}
    return integration_connect(kind="shopify", shop_url=fake_shop.url, credentials=credentials, **fields)


def woocommerce_connect(fake_shop: FakeShop, **fields) -> Integration:
    credentials = {
        "consumer_key": WOO_KEY,
        "consumer_secret": WOO_SECRET,
        "webhook_secret": WOO_WEBHOOK_SECRET,
    }
    return integration_connect(kind="woocommerce", shop_url=fake_shop.url, credentials=credentials, **fields)
