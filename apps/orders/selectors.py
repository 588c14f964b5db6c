"""Reads for orders (the dashboard and the API share them)."""

import re
from datetime import datetime

from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q, QuerySet

from apps.designs.models import DesignAsset

from .models import Order, OrderItem

NUMBER_SEARCH = re.compile(r"^(?:LU-?)?0*(\d{1,9})$", re.IGNORECASE)
# An order request awaiting payment: a widget order of a brand that takes no online payment.
# It stays pending with the note the storefront writes on it (`order_request_note`); the widget
# writes no other note, and a paying widget order has none.
AWAITING_PAYMENT = Q(status=Order.Status.PENDING, source=Order.Source.WIDGET) & ~Q(note="")


def order_awaits_payment(order: Order) -> bool:
    """Whether `order` is an order request awaiting payment (AWAITING_PAYMENT, for one order)."""
    return order.status == Order.Status.PENDING and order.source == Order.Source.WIDGET and bool(order.note)


def order_list(
    *,
    status: str | None = None,
    source: str | None = None,
    search: str | None = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
    awaiting_payment: bool = False,
) -> QuerySet[Order]:
    """Orders, newest first, each with `awaits_payment`. `search` is a number (`LU-000123`,
    `123`), or part of the customer's email or name; `awaiting_payment` keeps order requests
    awaiting payment only."""
    orders = Order.objects.annotate(awaits_payment=ExpressionWrapper(AWAITING_PAYMENT, BooleanField()))
    if awaiting_payment:
        orders = orders.filter(AWAITING_PAYMENT)
    if status:
        orders = orders.filter(status=status)
    if source:
        orders = orders.filter(source=source)
    if created_after:
        orders = orders.filter(created_at__gte=created_after)
    if created_before:
        orders = orders.filter(created_at__lt=created_before)
    if search:
        search = search.strip()
        matches = Q(customer_email__icontains=search) | Q(customer_name__icontains=search)
        number = NUMBER_SEARCH.match(search)
        if number:
            matches |= Q(number=int(number.group(1)))
        orders = orders.filter(matches)
    return orders


def order_status_counts(**filters) -> dict[str, int]:
    """How many orders per status among those matching `filters` (the status filter aside)."""
    filters.pop("status", None)
    rows = order_list(**filters).order_by().values("status").annotate(count=Count("pk"))
    return {row["status"]: row["count"] for row in rows}


def order_details(orders: QuerySet[Order]) -> QuerySet[Order]:
    """`orders` with what the API shows: items (designs, products, previews) and history."""
    previews = DesignAsset.objects.filter(kind=DesignAsset.Kind.PREVIEW_JPG).select_related("view")
    return orders.select_related("brand").prefetch_related(
        "items__design",
        "items__product",
        Prefetch(
            "items__design__assets", queryset=previews.order_by("view__position"), to_attr="preview_assets"
        ),
        "history",
    )


def order_get(*, number: int) -> Order | None:
    """The order numbered `number`, with its details."""
    return order_details(Order.objects.filter(number=number)).first()


def order_latest(*, customer_email: str) -> Order | None:
    """The latest order placed with this e-mail address (any case)."""
    return Order.objects.filter(customer_email__iexact=customer_email).order_by("-created_at", "-pk").first()


def orders_holding(design) -> QuerySet[Order]:
    """The orders with an item of `design`."""
    return Order.objects.filter(pk__in=OrderItem.objects.filter(design=design).values("order_id"))


def order_from_source(*, source: str, external_ref: str) -> Order | None:
    """The order a shop (`source`) sent as `external_ref`, if it was imported."""
    return Order.objects.filter(source=source, external_ref=external_ref).first()


def order_number_parse(value: str) -> int | None:
    """`LU-000123` or `123` → 123; None for anything else."""
    match = NUMBER_SEARCH.match(value or "")
    return int(match.group(1)) if match else None


# Orders still to be fulfilled: what may hold them up is payment, then the production pack.
OPEN = (Order.Status.PENDING, Order.Status.PAID, Order.Status.IN_PRODUCTION)
PACK_BLOCKERS = {  # blocker: open orders it holds up
    "awaiting_payment": AWAITING_PAYMENT,
    "unpaid": Q(status=Order.Status.PENDING) & ~AWAITING_PAYMENT,
    "pack_failed": Q(status__in=OPEN[1:], pack_status=Order.PackStatus.FAILED),
    "pack_not_built": Q(status__in=OPEN[1:], pack_status=Order.PackStatus.NONE),
}


def order_blockers(*, limit: int = 10) -> dict:
    """What holds up the open orders: {"counts": {blocker: n}, "orders": the `limit` most recent
    blocked ones, each with its `blocker` (a key of PACK_BLOCKERS) and the pack's error}. An order
    request awaits payment; another pending order is unpaid; a paid or in-production order waits
    for its production pack when the build failed or was never asked for. Two queries."""
    counts = Order.objects.filter(status__in=OPEN).aggregate(
        **{name: Count("pk", filter=condition) for name, condition in PACK_BLOCKERS.items()}
    )
    blocked = Q()
    for condition in PACK_BLOCKERS.values():
        blocked |= condition
    orders = list(Order.objects.filter(blocked).order_by("-created_at", "-pk")[:limit])
    for order in orders:
        order.blocker = next(
            name
            for name, matches in (
                ("awaiting_payment", order_awaits_payment(order)),
                ("unpaid", order.status == Order.Status.PENDING),
                ("pack_failed", order.pack_status == Order.PackStatus.FAILED),
                ("pack_not_built", True),
            )
            if matches
        )
    return {"counts": counts, "orders": orders}
