"""Reads and writes of customers for the customers API: filtered lists, segment figures, contact
and consent changes (consent changes record when and from where)."""

from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from ..models import Customer, CustomerScore, Recommendation
from ..models.scores import Segment
from ..services import email_normalize

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


def customer_list(
    *, external_id: str = "", email: str = "", segment: str = "", search: str = ""
) -> QuerySet[Customer]:
    """Customers with their score, filtered: exact client code, exact (normalised) e-mail, segment,
    or `search` in the name, e-mail or client code."""
    customers = Customer.objects.select_related("score")
    if external_id:
        customers = customers.filter(external_id=external_id)
    if email:
        customers = customers.filter(email=email_normalize(email))
    if segment:
        customers = customers.filter(score__segment=segment)
    if search:
        customers = customers.filter(
            Q(email__icontains=search)
            | Q(external_id__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
        )
    return customers


def customer_get(*, pk: int) -> Customer | None:
    return Customer.objects.select_related("score").filter(pk=pk).first()


def customer_recommendations(*, customer: Customer) -> QuerySet[Recommendation]:
    return customer.recommendations.select_related("item").order_by("-score", "item_id")


def segment_summary() -> dict:
    """Every segment with its customers and their net amount (monetary), as of the last refresh."""
    rows = {
        row["segment"]: row
        for row in CustomerScore.objects.exclude(segment="")
        .values("segment")
        .annotate(customers=Count("pk"), monetary=Sum("monetary"))
    }
    total = sum(row["customers"] for row in rows.values())
    as_of = CustomerScore.objects.order_by("-as_of").values_list("as_of", flat=True).first()
    return {
        "as_of": as_of,
        "customers": total,
        "results": [
            {
                "segment": segment.value,
                "label": str(segment.label),
                "customers": rows.get(segment.value, {}).get("customers", 0),
                "share": round(rows.get(segment.value, {}).get("customers", 0) / total, 4) if total else 0.0,
                "monetary": rows.get(segment.value, {}).get("monetary") or 0,
            }
            for segment in Segment
        ],
    }


@transaction.atomic
def customer_update(*, customer: Customer, consent_source: str = "api", **fields) -> Customer:
    """Change contact fields and the e-mail marketing consent (`marketing_consent`: True, False or
    None). A consent that changes records `consent_at` (now) and `consent_source`."""
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
    if changed:
        customer.save(update_fields=[*changed, "updated_at"])
    return customer
