"""Writes for the CRM's customers: match a person to their customer (client code, else e-mail),
attach every Luneo order to its customer as it is placed, change contact fields and consent."""

from django.db import transaction
from django.utils import timezone

from apps.orders.models import Order
from apps.orders.services import orders_anonymize

from .models import ConsentEvent, Customer, CustomerOrder
from .models.customers import Channel


def email_normalize(email: str) -> str:
    """Trimmed and lowercased: `Loic.Lefevre@Example.FR ` → `loic.lefevre@example.fr`."""
    return (email or "").strip().lower()


def customer_match(*, external_id: str = "", email: str = "") -> Customer | None:
    """The customer with this client code, else the oldest with this e-mail, else None."""
    if external_id:
        found = Customer.objects.filter(external_id=external_id).first()
        if found is not None:
            return found
    email = email_normalize(email)
    if email:
        return Customer.objects.filter(email=email).order_by("pk").first()
    return None


@transaction.atomic
def customer_for_email(*, email: str, first_name: str = "", language: str = "", source: str) -> Customer:
    """The customer with this e-mail, else a new one (a subscriber from a sign-up form). Consent is
    not changed here: it is given by `customer_update` once confirmed."""
    customer = customer_match(email=email)
    if customer is not None:
        return customer
    return Customer.objects.create(
        email=email_normalize(email),
        first_name=first_name.strip()[:120],
        language=language[:10],
        source=source,
    )


def _name_split(name: str) -> tuple[str, str]:
    first, _, last = (name or "").strip().partition(" ")
    return first, last


@transaction.atomic
def order_attach(*, order: Order) -> CustomerOrder:
    """Link `order` to the customer with its e-mail, creating that customer from the order if none."""
    existing = CustomerOrder.objects.filter(order=order).select_related("customer").first()
    if existing is not None:
        return existing
    customer = customer_match(email=order.customer_email)
    if customer is None:
        first_name, last_name = _name_split(order.customer_name)
        address = order.shipping_address or {}
        customer = Customer.objects.create(
            email=email_normalize(order.customer_email),
            first_name=first_name,
            last_name=last_name,
            phone=order.customer_phone[:32],
            city=str(address.get("city", ""))[:120],
            postal_code=str(address.get("postal_code", ""))[:20],
            country=str(address.get("country", ""))[:2].upper(),
            source=order.source if order.source in Channel.values else Channel.API,
            created_at=order.created_at,
        )
    return CustomerOrder.objects.create(customer=customer, order=order)


CONTACT_FIELDS = (
    "email",
    "first_name",
    "last_name",
    "phone",
    "address",
    "postal_code",
    "city",
    "country",
    "language",
)


@transaction.atomic
def customer_update(
    *, customer: Customer, consent_source: str = "api", consent_ip: str | None = None, **fields
) -> Customer:
    """Change contact fields and the e-mail marketing consent (`marketing_consent`: True, False or
    None). A consent that changes records `consent_at` (now) and `consent_source`, and is logged
    (with `consent_ip`, the address of the person who gave it on a page)."""
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    changed = []
    for name in CONTACT_FIELDS:
        if name in fields:
            value = fields[name]
            value = email_normalize(value) if name == "email" else value
            value = value.upper() if name == "country" else value
            if getattr(customer, name) != value:
                setattr(customer, name, value)
                changed.append(name)
    if "marketing_consent" in fields and fields["marketing_consent"] != customer.marketing_consent:
        customer.marketing_consent = fields["marketing_consent"]
        customer.consent_at = timezone.now()
        customer.consent_source = consent_source[:40]
        changed += ["marketing_consent", "consent_at", "consent_source"]
        ConsentEvent.objects.create(
            customer=customer,
            consent=customer.marketing_consent,
            source=customer.consent_source,
            ip=consent_ip,
            at=customer.consent_at,
        )
    if changed:
        customer.save(update_fields=[*changed, "updated_at"])
    return customer


# What identifies a person, blanked on erasure (country and language are kept for the figures).
PERSONAL_FIELDS = ("external_id", *(name for name in CONTACT_FIELDS if name not in ("country", "language")))


def customer_data(customer: Customer) -> dict:
    """Everything the CRM holds about a person, for their access request (GDPR art. 15)."""
    lines = customer.sales_lines.order_by("date", "pk").values(
        "date", "document_type", "document_no", "label", "quantity", "amount_incl_tax"
    )
    orders = Order.objects.filter(crm_link__customer=customer).order_by("created_at")
    return {
        "customer": {
            name: getattr(customer, name)
            for name in (
                *PERSONAL_FIELDS,
                "country",
                "language",
                "marketing_consent",
                "consent_at",
                "consent_source",
            )
        },
        "consent_log": list(customer.consent_events.order_by("at").values("at", "consent", "source", "ip")),
        "sales_lines": list(lines),
        "orders": list(
            orders.values("number", "created_at", "status", "currency", "total", "customer_email")
        ),
    }


@transaction.atomic
def customer_erase(*, customer: Customer) -> list[int]:
    """Remove a person's personal data (GDPR art. 17): contact fields blanked, consent log deleted,
    their orders anonymised; what they bought stays, anonymous, for the brand's figures. Returns
    the ids of their orders."""
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    for name in PERSONAL_FIELDS:
        setattr(customer, name, "")
    customer.marketing_consent, customer.consent_at, customer.consent_source = None, timezone.now(), "erased"
    customer.row_hash = ""
    customer.save()
    customer.consent_events.all().delete()
    order_ids = list(customer.order_links.values_list("order_id", flat=True))
    orders_anonymize(order_ids=order_ids)
    return order_ids
