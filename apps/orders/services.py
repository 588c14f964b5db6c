"""Writes for orders: create (totals computed here, never taken from a browser), move status.

Every order and status move publishes a webhook event (`order.created`, `order.updated`) and
a dashboard notification, both after commit.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.hygiene import single_line
from apps.core.notifications import notify
from apps.designs.models import Design
from apps.designs.selectors import session_designs
from apps.products.models import Currency, Product
from apps.webhooks.services import event_publish

from .errors import (
    CurrencyMismatch,
    DesignNotFound,
    DesignNotReady,
    OrderInvalid,
    OrderTransitionNotAllowed,
    ProductUnavailable,
)
from .models import NUMBER_SEQUENCE, QUANTITY_MAX, Order, OrderItem, OrderStatusChange
from .pack import order_pack_request
from .payloads import order_event_data
from .signals import order_placed

TRANSITIONS: dict[str, set[str]] = {
    Order.Status.PENDING: {Order.Status.PAID, Order.Status.CANCELLED},
    Order.Status.PAID: {Order.Status.IN_PRODUCTION, Order.Status.CANCELLED, Order.Status.REFUNDED},
    Order.Status.IN_PRODUCTION: {Order.Status.SHIPPED, Order.Status.CANCELLED, Order.Status.REFUNDED},
    Order.Status.SHIPPED: {Order.Status.DELIVERED, Order.Status.REFUNDED},
    Order.Status.DELIVERED: {Order.Status.REFUNDED},
    Order.Status.CANCELLED: set(),
    Order.Status.REFUNDED: set(),
}
ORDER_EVENT = "order.status"
EXTERNAL_SOURCES = (Order.Source.SHOPIFY, Order.Source.WOOCOMMERCE)  # shops: their prices were paid
ADDRESS_FIELDS = {
    "name": 200,
    "line1": 200,
    "line2": 200,
    "city": 100,
    "postal_code": 20,
    "region": 100,
    "country": 2,
    "phone": 40,
}
ADDRESS_REQUIRED = ("line1", "city", "postal_code", "country")


@dataclass
class ItemInput:
    """One line to order. `unit_price` is honoured only for shops' orders (their price was paid)."""

    design: Design | str | None = None  # a Design, or its public id
    product: Product | None = None  # for shops' lines without a design
    variant_id: int | None = None
    options: list[int] = field(default_factory=list)
    quantity: int = 1
    title: str = ""
    sku: str = ""
    unit_price: Decimal | None = None


# --- validation -----------------------------------------------------------------------------


class _Errors:
    """Collects field errors, then raises one OrderInvalid with all of them."""

    def __init__(self):
        self.fields: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(message)

    def raise_any(self) -> None:
        if self.fields:
            raise OrderInvalid(details={"fields": self.fields})


def address_clean(address, *, prefix: str, errors: _Errors) -> dict:
    """A shipping address: line1, city, postal_code, country (ISO 3166 alpha-2) required."""
    if not isinstance(address, dict):
        errors.add(prefix, _("Send an address object."))
        return {}
    clean = {}
    for name, max_length in ADDRESS_FIELDS.items():
        value = address.get(name, "")
        if not isinstance(value, str):
            errors.add(f"{prefix}.{name}", _("Send text."))
            continue
        value = value.strip()
        if len(value) > max_length:
            errors.add(f"{prefix}.{name}", _("At most %d characters.") % max_length)
        elif not value and name in ADDRESS_REQUIRED:
            errors.add(f"{prefix}.{name}", _("This field is required."))
        elif value:
            clean[name] = value
    country = clean.get("country", "")
    if country and not (len(country) == 2 and country.isalpha()):
        errors.add(f"{prefix}.country", _("Use the two-letter country code, e.g. FR."))
    elif country:
        clean["country"] = country.upper()
    return clean


def _customer_clean(customer, errors: _Errors) -> dict:
    if not isinstance(customer, dict):
        errors.add("customer", _("Send a customer object with email and name."))
        return {}
    email = str(customer.get("email") or "").strip()
    name = str(customer.get("name") or "").strip()
    phone = str(customer.get("phone") or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        errors.add("customer.email", _("Enter a valid email address."))
    if not 0 < len(name) <= 200:
        errors.add("customer.name", _("Enter the customer's name (at most 200 characters)."))
    else:
        try:
            single_line(name)
        except ValidationError as exc:
            errors.add("customer.name", exc.messages[0])
    if len(phone) > 40:
        errors.add("customer.phone", _("At most 40 characters."))
    return {"customer_email": email.lower(), "customer_name": name, "customer_phone": phone}


def _quantity_clean(quantity, name: str, errors: _Errors) -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= QUANTITY_MAX:
        errors.add(name, _("Enter a whole number from 1 to %d.") % QUANTITY_MAX)
        return 1
    return quantity


# --- pricing --------------------------------------------------------------------------------


def _design_get(design: Design | str, *, shopper_session: str) -> Design:
    if isinstance(design, Design):
        return design
    # A shopper orders only the designs of their own session (made, or given by a reorder link).
    designs = session_designs(shopper_session) if shopper_session else Design.objects.all()
    # Locked: an edit of the design (which redraws its print files) waits for the order, then refuses.
    designs = designs.select_related("product", "variant").select_for_update(of=("self",))
    found = designs.filter(public_id=design).first()
    if found is None:
        raise DesignNotFound(details={"design": design})
    return found


def _line_from_design(item: ItemInput, index: int, errors: _Errors, *, shopper_session: str) -> OrderItem:
    design = _design_get(item.design, shopper_session=shopper_session)
    if design.status != Design.Status.READY:
        raise DesignNotReady(details={"design": design.public_id, "status": design.status})
    product = design.product
    if product.status != Product.Status.ACTIVE:
        raise ProductUnavailable(details={"product": product.sku})
    options = []
    known = {option.pk: option for option in product.options.all()}
    for option_id in item.options:
        if option_id not in known:
            errors.add(f"items.{index}.options", _("Unknown option %s for this product.") % option_id)
        else:
            options.append(known[option_id])
    price = product.price + (design.variant.price_delta if design.variant else Decimal(0))
    price += sum((option.price_delta for option in options), Decimal(0))
    sku = product.sku + (f"-{design.variant.sku_suffix}" if design.variant else "")
    return OrderItem(
        design=design,
        product=product,
        variant=design.variant,
        title=product.name + (f" — {design.variant.name}" if design.variant else ""),
        sku=sku,
        options=[{"id": o.pk, "name": o.name, "price_delta": str(o.price_delta)} for o in options],
        unit_price=max(price, Decimal(0)),
    )


def _line(item: ItemInput, index: int, errors: _Errors, *, source: str, shopper_session: str) -> OrderItem:
    external = source in EXTERNAL_SOURCES
    if item.design is not None:
        line = _line_from_design(item, index, errors, shopper_session=shopper_session)
    elif external and item.product is not None:
        line = OrderItem(product=item.product, title=item.product.name, sku=item.product.sku, unit_price=0)
    elif external:
        line = OrderItem(title=item.title[:300], sku=item.sku[:100], unit_price=Decimal(0))
    else:
        raise OrderInvalid(details={"fields": {f"items.{index}.design": [_("This field is required.")]}})
    if external and item.unit_price is not None:
        line.unit_price = item.unit_price  # what the shopper paid in the shop
    line.quantity = _quantity_clean(item.quantity, f"items.{index}.quantity", errors)
    line.total = line.unit_price * line.quantity
    return line


def _currency(lines: list[OrderItem], source: str, currency: str) -> str:
    """A shop's orders are in the shop's currency (its prices were paid); ours in the catalog's."""
    if source in EXTERNAL_SOURCES and currency:
        if currency not in Currency.values:
            raise CurrencyMismatch(details={"currency": currency, "supported": Currency.values})
        return currency
    currencies = {line.product.currency for line in lines if line.product is not None}
    if len(currencies) > 1:
        raise CurrencyMismatch(details={"currencies": sorted(currencies)})
    return currencies.pop() if currencies else currency or Currency.EUR


# --- services -------------------------------------------------------------------------------


def _next_number() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [NUMBER_SEQUENCE])
        return cursor.fetchone()[0]


@transaction.atomic
def order_create(
    *,
    source: str,
    items: list[ItemInput],
    customer: dict,
    shipping_address: dict,
    billing_address: dict | None = None,
    currency: str = "",
    shipping_total: Decimal = Decimal(0),
    note: str = "",
    external_ref: str = "",
    shopper_session: str = "",
    api_key_prefix: str = "",
    actor: str = "",
) -> Order:
    """Validate every field (422 `order_invalid` listing them all), price each line from the
    catalog (product + variant + options) × quantity, save the order with its items and first
    history entry, then publish `order.created` after commit."""
    errors = _Errors()
    people = _customer_clean(customer, errors)
    shipping = address_clean(shipping_address, prefix="shipping_address", errors=errors)
    billing = (
        address_clean(billing_address, prefix="billing_address", errors=errors) if billing_address else {}
    )
    if not isinstance(items, list) or not 0 < len(items) <= 50:
        errors.add("items", _("Send between 1 and 50 items."))
        items = []
    lines = [
        _line(item, index, errors, source=source, shopper_session=shopper_session)
        for index, item in enumerate(items)
    ]
    errors.raise_any()
    subtotal = sum((line.total for line in lines), Decimal(0))
    designed = next((line for line in lines if line.design_id), None)
    order = Order.objects.create(
        number=_next_number(),
        source=source,
        external_ref=external_ref,
        brand_id=designed.product.brand_id if designed else None,
        **people,
        shipping_address=shipping,
        billing_address=billing,
        currency=_currency(lines, source, currency),
        subtotal=subtotal,
        shipping_total=shipping_total,
        total=subtotal + shipping_total,
        note=note[:2000],
        shopper_session=shopper_session,
        api_key_prefix=api_key_prefix,
    )
    for line in lines:
        line.order = order
    OrderItem.objects.bulk_create(lines)
    OrderStatusChange.objects.create(order=order, to_status=order.status, actor=actor or source)
    order_placed.send(sender=Order, order=order)
    _announce(order, "order.created")
    return order


def _transition_check(current: str, status: str) -> None:
    allowed = TRANSITIONS.get(current, set())
    if status not in allowed:
        raise OrderTransitionNotAllowed(details={"from": current, "to": status, "allowed": sorted(allowed)})


def order_transition(*, order: Order, status: str, note: str = "", actor: str = "") -> Order:
    """Move `order` to `status` under a row lock; 409 `order_transition_not_allowed` otherwise."""
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        _transition_check(locked.status, status)
        OrderStatusChange.objects.create(
            order=locked, from_status=locked.status, to_status=status, note=note[:500], actor=actor
        )
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
        if status == Order.Status.PAID:  # production starts from the pack
            order_pack_request(order=locked)
        _announce(locked, "order.updated")
    return locked


def order_proof_approve(*, order: Order, via: str) -> Order:
    """Record that the customer approved the proof of the order's design now, through `via` (an
    `Order.ProofVia`); a later approval (of a proof sent again) replaces it. The status is not moved."""
    if via not in Order.ProofVia.values:
        raise ValueError(f"unknown proof channel: {via!r}")
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        locked.proof_approved_at, locked.proof_approved_via = timezone.now(), via
        locked.save(update_fields=["proof_approved_at", "proof_approved_via", "updated_at"])
    return locked


@transaction.atomic
def order_history_import(
    *, order: Order, created_at: datetime, moves: list[tuple[str, datetime]], actor: str = ""
) -> Order:
    """Give a new order the past it had before it was recorded here (the demo's history): created
    at `created_at`, then each `(status, when)` move in turn, each checked like `order_transition`'s.

    Nothing is published: these events are over. An order paid on the way asks for its production
    pack, as any paid order does.
    """
    locked = Order.objects.select_for_update().get(pk=order.pk)
    changes = []
    for status, moment in moves:
        _transition_check(locked.status, status)
        changes.append(
            OrderStatusChange(
                order=locked, from_status=locked.status, to_status=status, actor=actor, created_at=moment
            )
        )
        locked.status = status
    OrderStatusChange.objects.bulk_create(changes)
    locked.history.filter(from_status="").update(created_at=created_at)
    locked.created_at = created_at
    locked.save(update_fields=["status", "created_at", "updated_at"])
    if any(status == Order.Status.PAID for status, _moment in moves):
        order_pack_request(order=locked)
    return locked


def _announce(order: Order, event_type: str) -> None:
    data = order_event_data(order)
    event_publish(type=event_type, data=data)
    notify(schema=connection.schema_name, event=ORDER_EVENT, payload={"type": event_type, "order": data})


ERASED_EMAIL = "erased@invalid.invalid"  # RFC 2606: a domain that can never receive mail


def orders_anonymize(*, order_ids: list[int]) -> int:
    """Remove the buyer's personal data from these orders (a data erasure request); amounts, lines
    and dates stay for the brand's books. Returns how many orders changed."""
    return Order.objects.filter(pk__in=order_ids).update(
        customer_email=ERASED_EMAIL,
        customer_name="—",
        customer_phone="",
        shipping_address={},
        billing_address={},
        note="",
        updated_at=timezone.now(),
    )
