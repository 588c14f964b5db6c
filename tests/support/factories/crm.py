"""CRM test data in the models' natural shapes: customers, catalogue items, sales lines
(a sale or a credit note, one line per article of a document).

`sale_make(customer, "2025-01-10", (item, 2, "24.00"), doc="V0001")` is one sale document of
one line: 2 × `item` for 24.00 incl. tax. A credit note (`credit=True`) stores negative
quantities and amounts, as the importer does with the ERP's `AVOIR` lines.
"""

import itertools
from datetime import date
from decimal import Decimal

from apps.crm.models import CatalogItem, Customer, SalesLine

_sequence = itertools.count(1)


def customer_make(**fields) -> Customer:
    """A customer with a client code `C<n>` and an e-mail of its own, unless told."""
    n = next(_sequence)
    fields = {
        "external_id": f"C{n:05d}",
        "email": f"customer{n}@example.com",
        "last_name": f"Name{n}",
        **fields,
    }
    return Customer.objects.create(**fields)


def item_make(label: str | None = None, **fields) -> CatalogItem:
    """An active catalogue item (article `A<n>`, family `Family`, price 10.00 unless told)."""
    n = next(_sequence)
    fields = {
        "article": f"A{n:05d}",
        "label": label or f"Item {n}",
        "family": "Family",
        "price": Decimal("10.00"),
        **fields,
    }
    return CatalogItem.objects.create(**fields)


def _date(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def sale_make(
    customer: Customer, day, *lines, doc: str | None = None, credit: bool = False
) -> list[SalesLine]:
    """One document of `customer` on `day`, a line per `(item, quantity, amount incl. tax)`.

    Amounts are given positive; a credit note stores them negative."""
    doc = doc or f"{'A' if credit else 'V'}{next(_sequence):07d}"
    sign = Decimal(-1) if credit else Decimal(1)
    made = []
    for position, (item, quantity, amount) in enumerate(lines, start=1):
        amount = Decimal(str(amount)) * sign
        made.append(
            SalesLine.objects.create(
                customer=customer,
                item=item,
                label=item.label if item else "",
                document_type=SalesLine.DocumentType.CREDIT_NOTE if credit else SalesLine.DocumentType.SALE,
                document_no=doc,
                line_key=f"{doc}:{item.article if item else ''}:{position}",
                date=_date(day),
                quantity=Decimal(str(quantity)) * sign,
                amount_incl_tax=amount,
                amount_excl_tax=(amount / Decimal("1.2")).quantize(Decimal("0.01")),
            )
        )
    return made
