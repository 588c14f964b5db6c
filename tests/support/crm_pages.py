"""CRM data for the Customers pages' tests, made directly with the models (imports and scoring
have their own services; these tests read what they would have written)."""

import itertools
from datetime import date
from decimal import Decimal

from apps.crm.models import CatalogItem, Customer, CustomerScore, Recommendation, SalesLine, SegmentChange
from apps.designs.models import Design
from apps.designs.services import design_create
from apps.orders.models import Order
from apps.products.models import Product
from tests.support.factories.designs import pipeline_run
from tests.support.factories.orders import order_make

_numbers = itertools.count(1)


def customer_make(**fields) -> Customer:
    n = next(_numbers)
    defaults = {"first_name": f"First{n}", "last_name": f"Last{n}", "email": f"customer{n}@example.com"}
    return Customer.objects.create(**{**defaults, **fields})


def item_make(article: str, label: str, **fields) -> CatalogItem:
    return CatalogItem.objects.create(article=article, label=label, **fields)


def line_make(
    customer: Customer,
    item: CatalogItem | None,
    *,
    day: date,
    document_no: str = "",
    quantity: int = 1,
    amount: str = "10.00",
    credit_note: bool = False,
) -> SalesLine:
    """A sale line (or, with `credit_note`, a return: negative quantity and amount)."""
    n = next(_numbers)
    sign = -1 if credit_note else 1
    document_no = document_no or f"{'A' if credit_note else 'V'}{n:07d}"
    return SalesLine.objects.create(
        customer=customer,
        item=item,
        label=item.label if item else "",
        document_type=SalesLine.DocumentType.CREDIT_NOTE if credit_note else SalesLine.DocumentType.SALE,
        document_no=document_no,
        line_key=f"{document_no}:{item.article if item else ''}:{n}",
        date=day,
        quantity=Decimal(sign * quantity),
        amount_excl_tax=sign * Decimal(amount) / Decimal("1.2"),
        amount_incl_tax=sign * Decimal(amount),
    )


def score_make(customer: Customer, segment: str, **fields) -> CustomerScore:
    defaults = {"as_of": date(2025, 6, 1), "recency_days": 10, "frequency": 3, "monetary": Decimal("120.00")}
    defaults.update(r=4, f=3, m=4, segment=segment)
    return CustomerScore.objects.create(customer=customer, **{**defaults, **fields})


def segment_move(customer: Customer, before: str, after: str, as_of: date) -> SegmentChange:
    return SegmentChange.objects.create(customer=customer, before=before, after=after, as_of=as_of)


def recommendation_make(customer: Customer, item: CatalogItem, kind: str, reason: dict, score=0.9):
    return Recommendation.objects.create(
        customer=customer, item=item, kind=kind, reason=reason, score=score, as_of=date(2025, 6, 1)
    )


def widget_order(
    product: Product,
    *,
    email: str,
    name: str,
    session: str,
    prompt: str = "A lighthouse by the sea",
    style: str = "",
    texts=(),
) -> tuple[Order, Design]:
    """A design made in widget session `session` and taken through the pipeline, then ordered by
    `email` from that session (the CRM attaches the order to its customer)."""
    layers = [{"text": text} for text in texts]
    design = pipeline_run(
        design_create(
            product=product.pk, prompt=prompt, style=style, text_layers=layers, shopper_session=session
        )
    )
    order = order_make(design, customer={"email": email, "name": name, "phone": ""}, shopper_session=session)
    return order, design


def design_started(
    product: Product, *, session: str, prompt: str, style: str = "", ready: bool = False, texts=()
) -> Design:
    """A design started in widget session `session` and never ordered (with its preview when `ready`)."""
    layers = [{"text": text} for text in texts]
    fields = {"prompt": prompt, "style": style, "shopper_session": session, "text_layers": layers}
    design = design_create(product=product.pk, **fields)
    return pipeline_run(design) if ready else design
