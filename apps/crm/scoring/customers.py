"""Reads of customers for the customers API: filtered lists, recommendations, segment figures."""

from django.db.models import Avg, Count, Q, QuerySet, Sum

from ..models import Customer, CustomerScore, Recommendation
from ..models.scores import Segment
from ..selectors import abandoned_customers
from ..services import email_normalize


def customer_list(
    *, external_id: str = "", email: str = "", segment: str = "", search: str = "", abandoned: bool = False
) -> QuerySet[Customer]:
    """Customers with their score, filtered: exact client code, exact (normalised) e-mail, segment,
    `search` in the name, e-mail or client code, `abandoned`: left a finished design unordered."""
    customers = (abandoned_customers() if abandoned else Customer.objects).select_related("score")
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


def recommendations_ranked() -> QuerySet[Recommendation]:
    """Recommendations best first: for one customer, or prefetched for many."""
    return Recommendation.objects.order_by("-score", "item_id")


def customer_recommendations(*, customer: Customer) -> QuerySet[Recommendation]:
    """Best first; read from the customer's prefetched recommendations when there are some
    (`Prefetch("recommendations", recommendations_ranked())`), in one query otherwise."""
    if "recommendations" in getattr(customer, "_prefetched_objects_cache", {}):
        return customer.recommendations.all()
    return recommendations_ranked().filter(customer=customer).select_related("item__product")


def segment_summary() -> dict:
    """Every segment with its customers, their net amount (monetary) and their mean days since
    their last purchase (recency_days, None without customers), as of the last refresh."""
    rows = {
        row["segment"]: row
        for row in CustomerScore.objects.exclude(segment="")
        .values("segment")
        .annotate(customers=Count("pk"), monetary=Sum("monetary"), recency_days=Avg("recency_days"))
    }
    total = sum(row["customers"] for row in rows.values())
    as_of = CustomerScore.objects.order_by("-as_of").values_list("as_of", flat=True).first()
    return {
        "as_of": as_of,
        "customers": total,
        "design_abandoned": abandoned_customers().count(),
        "results": [
            {
                "segment": segment.value,
                "label": str(segment.label),
                "customers": rows.get(segment.value, {}).get("customers", 0),
                "share": round(rows.get(segment.value, {}).get("customers", 0) / total, 4) if total else 0.0,
                "monetary": rows.get(segment.value, {}).get("monetary") or 0,
                "recency_days": rows.get(segment.value, {}).get("recency_days"),
            }
            for segment in Segment
        ],
    }
