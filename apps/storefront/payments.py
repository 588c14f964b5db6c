"""Payment for the widget's own checkout: Stripe Checkout on the brand's own Stripe account.

An order placed in the widget of a brand with a Stripe key gets a Checkout Session priced from
the order (the server's totals, never the browser's) and the shopper is sent to its page. The
order is marked paid only once the session, read back from Stripe with the brand's key, says it
is paid for this very order and amount — when the shopper comes back (`payment_confirm`) or when
the brand's Stripe account sends its event (`stripe_event_receive`), whichever comes first.
Nothing a browser or an event's body says is taken for payment: both only point at a session.

A brand without a Stripe key takes no payment: its widget orders are order requests awaiting
payment, which the brand collects itself (the order's note says so on the dashboard).
"""

import json
import logging
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import stripe
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext as _

from apps.brands.models import Brand
from apps.brands.selectors import brand_stripe_key
from apps.orders.errors import OrderTransitionNotAllowed
from apps.orders.models import Order
from apps.orders.selectors import order_get, order_number_parse
from apps.orders.services import order_transition

from .errors import OrderNotFound, PaymentUnavailable

logger = logging.getLogger(__name__)
RETURN_PARAMETER = "luneo_payment"  # the widget reads the session id from its page's address
ZERO_DECIMAL_CURRENCIES = {"JPY"}  # Stripe counts these in units, the others in hundredths
PAID_EVENTS = {"checkout.session.completed", "checkout.session.async_payment_succeeded"}


def brand_takes_payment(brand: Brand) -> bool:
    """Whether the brand's widget checkout takes payment: it has a (readable) Stripe key."""
    return bool(brand_stripe_key(brand=brand))


def order_request_note(brand: Brand) -> str:
    """What the brand reads on an order its widget took without payment, in the brand's language."""
    with translation.override(brand.default_language):
        return _(
            "Order request awaiting payment: this brand takes no online payment, so the customer has "
            "not paid. Contact them to collect the payment, then mark the order as paid."
        )


def minor_units(amount: Decimal, currency: str) -> int:
    """An amount as Stripe counts it: 12.50 EUR → 1250, 1200 JPY → 1200."""
    factor = 1 if currency in ZERO_DECIMAL_CURRENCIES else 100
    return int((amount * factor).to_integral_value())


def return_url_clean(url: str, *, brand: Brand) -> str | None:
    """The shopper's page (on one of the brand's allowed origins), without our parameter, or None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if f"{parts.scheme}://{parts.netloc}" not in brand.allowed_origins:
        return None
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != RETURN_PARAMETER]
    )
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, ""))


def _call(function, *args, api_key: str, **params):
    """One Stripe call with the brand's key; a failure is a 503 the shopper may retry."""
    try:
        return function(*args, api_key=api_key, **params)
    except stripe.StripeError as exc:
        logger.warning("brand stripe call %s failed: %s", function.__qualname__, exc)
        raise PaymentUnavailable() from exc


def payment_start(*, order: Order, brand: Brand, return_url: str) -> str:
    """A Checkout Session for `order` on the brand's Stripe account; returns its page's URL.

    `return_url` (checked by `return_url_clean`) is where Stripe sends the shopper back, with
    `luneo_payment=<session id>` once paid.
    """
    separator = "&" if urlsplit(return_url).query else "?"
    line_items = [
        {
            "quantity": item.quantity,
            "price_data": {
                "currency": order.currency.lower(),
                "unit_amount": minor_units(item.unit_price, order.currency),
                "product_data": {"name": item.title},
            },
        }
        for item in order.items.all()
    ]
    session = _call(
        stripe.checkout.Session.create,
        api_key=brand_stripe_key(brand=brand),
        mode="payment",
        client_reference_id=order.reference,
        customer_email=order.customer_email,
        line_items=line_items,
        metadata={"luneo_order": order.reference, "luneo_workspace": connection.schema_name},
        # Stripe puts the session's id in place of {CHECKOUT_SESSION_ID}: braces left as they are.
        success_url=f"{return_url}{separator}{RETURN_PARAMETER}={{CHECKOUT_SESSION_ID}}",
        cancel_url=return_url,
    )
    return session.url


def payment_confirm(*, brand: Brand, session_id: str) -> Order:
    """The order of Checkout Session `session_id`, marked paid if Stripe says it is paid.

    The session is read from Stripe with `brand`'s key: a session of another account, or one
    naming an order of another brand, finds nothing (404 `order_not_found`).
    """
    if not brand_takes_payment(brand) or not session_id.startswith("cs_"):
        raise OrderNotFound()
    try:
        session = stripe.checkout.Session.retrieve(session_id, api_key=brand_stripe_key(brand=brand))
    except stripe.InvalidRequestError as exc:  # no such session on this account
        raise OrderNotFound() from exc
    except stripe.StripeError as exc:
        logger.warning("brand stripe session %s not read: %s", session_id, exc)
        raise PaymentUnavailable() from exc
    order = _widget_order(brand, session.get("client_reference_id") or "")
    if order is None:
        raise OrderNotFound()
    if _paid_for(session, order) and order.status == Order.Status.PENDING:
        with translation.override(brand.default_language):  # the brand reads it in its history
            note = _("Paid with Stripe Checkout (%s).") % session.id
        try:
            order = order_transition(order=order, status=Order.Status.PAID, note=note, actor="stripe")
        except OrderTransitionNotAllowed:  # the other confirmation (return or event) came first
            order.refresh_from_db()
    return order


def _widget_order(brand: Brand, reference: str) -> Order | None:
    number = order_number_parse(reference)
    order = order_get(number=number) if number else None
    if order is None or order.source != Order.Source.WIDGET or order.brand_id != brand.pk:
        return None
    return order


def _paid_for(session, order: Order) -> bool:
    """Whether Stripe's session is paid, for this order of this workspace, in full and in its currency."""
    paid = (
        session.get("payment_status") == "paid"
        and (session.get("metadata") or {}).get("luneo_workspace") == connection.schema_name
        and session.get("client_reference_id") == order.reference
        and session.get("currency") == order.currency.lower()
        and session.get("amount_total") == minor_units(order.total, order.currency)
    )
    if session.get("payment_status") == "paid" and not paid:
        logger.error("stripe session %s is paid but does not match order %s", session.get("id"), order)
    return paid


def stripe_event_receive(*, body: bytes) -> str:
    """A Checkout event from a brand's Stripe account: "paid" or "ignored".

    The event is only a pointer: its session is read back from Stripe with the key of the
    brand whose order it names, in this workspace (`payment_confirm`).
    """
    try:
        event = json.loads(body)
        session = event["data"]["object"]
        kind, session_id, reference = event["type"], session["id"], session.get("client_reference_id")
    except (ValueError, KeyError, TypeError):
        return "ignored"
    if kind not in PAID_EVENTS or not isinstance(session_id, str) or not isinstance(reference, str):
        return "ignored"
    number = order_number_parse(reference)
    order = order_get(number=number) if number else None
    if order is None or order.brand is None or order.status != Order.Status.PENDING:
        return "ignored"
    try:
        paid = payment_confirm(brand=order.brand, session_id=session_id)
    except OrderNotFound:
        return "ignored"
    return "paid" if paid.status == Order.Status.PAID else "ignored"
