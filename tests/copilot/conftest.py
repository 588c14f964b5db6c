"""A fixed history the copilot's tests share (tools and engine)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from apps.analytics.services import rollup_catch_up
from apps.campaigns.models import Recipient
from apps.orders.models import Order
from apps.products.models import Product
from tests.support.campaigns import campaign_make
from tests.support.crm_pages import customer_make, item_make, recommendation_make, score_make
from tests.support.factories.analytics import ai_cost_on, days_ago, design_on, order_on
from tests.support.factories.products import ProductFactory


@pytest.fixture
def history(tenant):
    """A fixed week and the week before (as tests/analytics), CRM customers with scores, a campaign.

    week:     orders 30.00 paid (ada), 50.00 pending (bob, 2 mugs), 20.00 refunded, 15.00 USD pending;
              designs: 2 mug watercolour (widget, previewed, one carted), 1 poster failed, 1 mug rejected;
              AI cost 0.30
    previous: an order 40.00 delivered (ada); a design; AI cost 0.10
    """
    mug = ProductFactory(sku="MUG-A", name="Mug", currency="EUR", status=Product.Status.ACTIVE)
    poster = ProductFactory(sku="POSTER-A", name="Poster", currency="EUR", status=Product.Status.ACTIVE)
    order_on(days_ago(1), total="30.00", email="ada@example.com", status=Order.Status.PAID)
    order_on(days_ago(3), total="50.00", email="bob@example.com", product=mug, quantity=2)
    order_on(days_ago(4), total="20.00", email="ada@example.com", status=Order.Status.REFUNDED)
    order_on(days_ago(6), total="15.00", email="dan@example.com", currency="USD")
    order_on(days_ago(9), total="40.00", email="ada@example.com", status=Order.Status.DELIVERED)
    now = timezone.now()
    design_on(days_ago(2), mug, style="watercolor", status="ready", preview_seen_at=now, added_to_cart_at=now)
    design_on(days_ago(2), mug, style="watercolor", status="ready", preview_seen_at=now)
    design_on(
        days_ago(0), poster, status="failed", error_code="render", error_message="The *renderer* stopped"
    )
    design_on(days_ago(1), mug, status="rejected", error_code="moderation", error_message="Not allowed")
    design_on(days_ago(8), mug)
    ai_cost_on(days_ago(1), "0.30")
    ai_cost_on(days_ago(10), "0.10")
    rollup_catch_up()
    wine = item_make("RIES", "Riesling")
    grace = customer_make(
        first_name="Grace", last_name="Hopper", email="grace@example.com", external_id="C42"
    )
    score_make(grace, "at_risk", monetary=Decimal("300.00"), recency_days=200)
    score_make(customer_make(first_name="Alan", last_name="Turing"), "at_risk", monetary=Decimal("90.00"))
    score_make(customer_make(), "champions", monetary=Decimal("900.00"), recency_days=3)
    recommendation_make(grace, wine, "rebuy", {"code": "rebuy", "days": 30})
    campaign = campaign_make(name="Spring")
    for status in ("sent", "delivered", "opened", "clicked", "failed"):
        Recipient.objects.create(campaign=campaign, email=f"{status}@example.com", status=status)
    return {"mug": mug, "grace": grace}
