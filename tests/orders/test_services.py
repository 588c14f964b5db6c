"""Order services: catalog pricing, numbering, field errors, status moves."""

import re
from decimal import Decimal
from itertools import product as pairs

import pytest
from django_tenants.utils import tenant_context

from apps.designs.services import design_create
from apps.orders.errors import DesignNotReady, OrderInvalid, OrderTransitionNotAllowed
from apps.orders.models import Order
from apps.orders.services import ItemInput, order_create, order_transition
from apps.orders.tasks import order_pack_build_task
from apps.products.services import option_create
from tests.support.factories.designs import ready_design
from tests.support.factories.orders import ADDRESS, CUSTOMER, order_make
from tests.support.factories.products import ProductFactory, product_make, variant_make

S = Order.Status
# The allowed moves, written out here independently of services.TRANSITIONS.
ALLOWED = {
    (S.PENDING, S.PAID),
    (S.PENDING, S.CANCELLED),
    (S.PAID, S.IN_PRODUCTION),
    (S.PAID, S.CANCELLED),
    (S.PAID, S.REFUNDED),
    (S.IN_PRODUCTION, S.SHIPPED),
    (S.IN_PRODUCTION, S.CANCELLED),
    (S.IN_PRODUCTION, S.REFUNDED),
    (S.SHIPPED, S.DELIVERED),
    (S.SHIPPED, S.REFUNDED),
    (S.DELIVERED, S.REFUNDED),
}


def shop_order(**fields) -> Order:
    """A cheap order without a design: a Shopify line at the price paid in the shop."""
    line = ItemInput(product=ProductFactory(), unit_price=Decimal("10.00"), quantity=2)
    return order_create(
        source=Order.Source.SHOPIFY, items=[line], customer=CUSTOMER, shipping_address=ADDRESS, **fields
    )


def field_errors(exc_info) -> dict:
    return exc_info.value.details["fields"]


def test_prices_come_from_the_catalog_with_variant_and_options(tenant):
    # Given a 12.00 product, a +3.00 variant and two options (+5.00, +1.50)
    product = product_make()
    variant = variant_make(product)
    variant.price_delta = Decimal("3.00")
    variant.save()
    premium = option_create(product=product, name="Premium print", price_delta=Decimal("5.00"))
    wrap = option_create(product=product, name="Gift wrap", price_delta=Decimal("1.50"))
    design = ready_design(product, variant=variant.pk)

    # When two are ordered with both options and 4.90 shipping
    order = order_make(design, quantity=2, options=[premium.pk, wrap.pk], shipping_total=Decimal("4.90"))

    # Then each line is priced product + variant + options, times the quantity
    item = order.items.get()
    assert item.unit_price == Decimal("21.50")
    assert item.total == Decimal("43.00")
    assert (order.subtotal, order.shipping_total, order.total) == (
        Decimal("43.00"),
        Decimal("4.90"),
        Decimal("47.90"),
    )
    assert order.currency == product.currency
    assert item.sku == f"{product.sku}-BLUE"
    assert [option["name"] for option in item.options] == ["Premium print", "Gift wrap"]
    assert (order.customer_email, order.shipping_address["country"]) == ("ada@example.com", "FR")
    assert [(change.from_status, change.to_status) for change in order.history.all()] == [("", S.PENDING)]


def test_a_design_that_is_not_ready_cannot_be_ordered(tenant):
    design = design_create(product=product_make().pk, prompt="Not yet")

    with pytest.raises(DesignNotReady):
        order_make(design)

    assert not Order.objects.exists()


def test_numbers_are_sequential_per_workspace_and_read_lu_000123(other_tenant, tenant):
    first, second = shop_order(), shop_order()
    with tenant_context(other_tenant):
        elsewhere = shop_order()
    third = shop_order()

    assert second.number == first.number + 1
    assert third.number == second.number + 1  # beta's order took nothing from alpha's sequence
    assert re.fullmatch(r"LU-\d{6}", first.reference)
    assert first.reference == f"LU-{first.number:06d}"
    with tenant_context(other_tenant):
        assert Order.objects.get(pk=elsewhere.pk).reference == elsewhere.reference


def test_bad_email_address_and_quantity_answer_422_with_every_field(tenant):
    line = ItemInput(product=ProductFactory(), unit_price=Decimal(1), quantity=0)
    bad_address = {**ADDRESS, "city": "", "country": "France"}

    with pytest.raises(OrderInvalid) as exc_info:
        order_create(
            source=Order.Source.SHOPIFY,
            items=[line],
            customer={"email": "not-an-email", "name": "Ada"},
            shipping_address=bad_address,
        )

    assert exc_info.value.status == 422
    assert set(field_errors(exc_info)) == {
        "customer.email",
        "shipping_address.city",
        "shipping_address.country",
        "items.0.quantity",
    }
    assert not Order.objects.exists()


def test_every_status_move_is_allowed_or_refused_as_documented(tenant):
    order = shop_order()

    for current, target in pairs(S.values, S.values):
        Order.objects.filter(pk=order.pk).update(status=current)
        if (current, target) in ALLOWED:
            moved = order_transition(order=order, status=target, note="ok", actor="user:a@b.c")
            assert moved.status == target
            change = moved.history.last()
            assert (change.from_status, change.to_status, change.actor) == (current, target, "user:a@b.c")
        else:
            with pytest.raises(OrderTransitionNotAllowed) as exc_info:
                order_transition(order=order, status=target)
            assert exc_info.value.status == 409
            assert exc_info.value.details["from"] == current
            order.refresh_from_db()
            assert order.status == current


def test_a_full_journey_keeps_the_history_in_order(tenant):
    order = shop_order()

    for status in (S.PAID, S.IN_PRODUCTION, S.SHIPPED, S.DELIVERED):
        order = order_transition(order=order, status=status, actor="user:ops@alpha.test")

    moves = [(change.from_status, change.to_status) for change in order.history.all()]
    assert moves == [
        ("", S.PENDING),
        (S.PENDING, S.PAID),
        (S.PAID, S.IN_PRODUCTION),
        (S.IN_PRODUCTION, S.SHIPPED),
        (S.SHIPPED, S.DELIVERED),
    ]


def test_an_order_moving_to_paid_builds_its_production_pack(tenant):
    # Needs `order_pack_request(order=locked)` in services.order_transition when moving to `paid`.
    order = shop_order()

    order_transition(order=order, status=S.PAID)
    order.refresh_from_db()
    queued = order.pack_status
    order_pack_build_task.apply(args=[order.pk])
    order.refresh_from_db()

    assert queued == Order.PackStatus.BUILDING
    assert order.pack_status == Order.PackStatus.READY
