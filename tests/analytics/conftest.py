"""A small fixed history, made through the real services, then dated where the test needs it."""

from dataclasses import dataclass

import pytest
from django.utils import timezone

from apps.orders.models import Order
from apps.products.models import Product
from apps.tenants.models import User
from tests.support.clients import dashboard_client
from tests.support.factories.analytics import ai_cost_on, days_ago, design_on, order_on
from tests.support.factories.products import ProductFactory


@pytest.fixture
def owner_client(tenant):
    return dashboard_client(tenant, User.objects.get(email="owner@alpha.test"))


@dataclass
class History:
    mug: Product
    poster: Product


@pytest.fixture
def history(tenant) -> History:
    """Over the last 7 days (period) and the 7 before (previous period):

    period:   orders 30.00 (ada), 50.00 (bob, ×2 units, mug), 20.00 refunded (ada), 99.00 cancelled (cy),
              15.00 USD (dan); designs: 4 (2 mug "watercolor" widget: one previewed+carted, one
              previewed; 1 poster widget in the default style; 1 mug from the dashboard); AI cost 0.30 + 0.20
    previous: orders 40.00 (ada); designs: 2; AI cost 0.10
    older:    an order 25.00 (eve) 40 days ago, one 10.00 (fay) 100 days ago
    """
    mug = ProductFactory(sku="MUG-A", name="Mug", currency="EUR", status=Product.Status.ACTIVE)
    poster = ProductFactory(sku="POSTER-A", name="Poster", currency="EUR", status=Product.Status.ACTIVE)
    order_on(days_ago(1), total="30.00", email="ada@example.com", status=Order.Status.PAID)
    order_on(days_ago(3), total="50.00", email="bob@example.com", product=mug, quantity=2)
    order_on(days_ago(4), total="20.00", email="ada@example.com", status=Order.Status.REFUNDED)
    order_on(days_ago(5), total="99.00", email="cy@example.com", status=Order.Status.CANCELLED)
    order_on(days_ago(6), total="15.00", email="dan@example.com", currency="USD")
    order_on(days_ago(9), total="40.00", email="ada@example.com", status=Order.Status.DELIVERED)
    order_on(days_ago(40), total="25.00", email="eve@example.com", status=Order.Status.DELIVERED)
    order_on(days_ago(100), total="10.00", email="fay@example.com", status=Order.Status.DELIVERED)
    now = timezone.now()
    design_on(days_ago(2), mug, style="watercolor", status="ready", preview_seen_at=now, added_to_cart_at=now)
    design_on(days_ago(2), mug, style="watercolor", status="ready", preview_seen_at=now)
    design_on(days_ago(0), poster, status="failed")
    design_on(days_ago(3), mug, widget=False, status="ready")
    design_on(days_ago(8), mug)
    design_on(days_ago(12), poster)
    ai_cost_on(days_ago(1), "0.30")
    ai_cost_on(days_ago(6), "0.20")
    ai_cost_on(days_ago(10), "0.10")
    return History(mug=mug, poster=poster)
