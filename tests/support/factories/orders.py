"""Orders test data, made through the real services (totals are the service's to compute)."""

from apps.designs.models import Design
from apps.orders.models import Order
from apps.orders.services import ItemInput, order_create

CUSTOMER = {"email": "ada@example.com", "name": "Ada Lovelace", "phone": "+33 1 23 45 67 89"}
ADDRESS = {
    "name": "Ada Lovelace",
    "line1": "1 rue de la Paix",
    "city": "Paris",
    "postal_code": "75002",
    "country": "fr",
}


def order_make(*designs: Design, quantity: int = 1, options=(), **fields) -> Order:
    """An order of one line per design (source `api` unless told)."""
    items = [ItemInput(design=design, quantity=quantity, options=list(options)) for design in designs]
    fields = {"source": Order.Source.API, "customer": CUSTOMER, "shipping_address": ADDRESS, **fields}
    return order_create(items=items, **fields)
