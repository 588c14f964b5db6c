"""Reads for campaigns: who an audience is (evaluated in SQL each time, never stored as a list),
how many of them a campaign may write to and why the others are left out, and a campaign's
progress and funnel."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from apps.crm.models import CatalogItem, Customer, SalesLine
from apps.crm.models.scores import Segment
from apps.crm.selectors import customer_list
from apps.orders.models import Order

from .models import Audience, Campaign, Recipient, Suppression, TrackingEvent

SALE = SalesLine.DocumentType.SALE
SAMPLE_SIZE = 10


def _suppressed():
    return Suppression.objects.filter(email=OuterRef("email"))


def audience_customers(rules: dict) -> QuerySet[Customer]:
    """Every customer the rules select, whatever their consent (see `audience_recipients`).
    `rules` are clean (`services.rules_clean`); an empty rule does not filter."""
    customers = customer_list(
        last_purchase=rules.get("last_purchase", ""), abandoned=bool(rules.get("abandoned_design"))
    )
    if rules.get("segments"):
        customers = customers.filter(score__segment__in=rules["segments"])
    if rules.get("languages"):
        customers = customers.filter(language__in=rules["languages"])
    if rules.get("countries"):
        customers = customers.filter(country__in=rules["countries"])
    bought = Q()
    if rules.get("items"):
        bought |= Q(item_id__in=rules["items"])
    if rules.get("families"):
        bought |= Q(item__family__in=rules["families"])
    if bought:
        lines = SalesLine.objects.filter(bought, customer=OuterRef("pk"), document_type=SALE)
        customers = customers.filter(Exists(lines))
    return customers


def audience_recipients(rules: dict) -> QuerySet[Customer]:
    """The customers of an audience a campaign may write to: an e-mail address, marketing consent
    given, and the address not on the suppression list."""
    return (
        audience_customers(rules)
        .exclude(email="")
        .filter(marketing_consent=True)
        .exclude(Exists(_suppressed()))
    )


@dataclass(frozen=True)
class AudienceSize:
    """How many customers the rules select, how many a campaign would write to, and why the
    others are left out (each customer counted under the first reason that applies)."""

    matching: int
    no_email: int
    no_consent: int
    suppressed: int
    shared: int  # customers sharing their address with another: one message per address
    sample: list

    @property
    def sendable(self) -> int:
        return self.matching - self.no_email - self.no_consent - self.suppressed - self.shared


def audience_size(rules: dict, *, sample: bool = True) -> AudienceSize:
    """The counts in one query, and (unless `sample` is False) a sample of those who would
    receive it in a second."""
    has_email = ~Q(email="")
    consented = has_email & Q(marketing_consent=True)
    reachable = consented & ~Exists(_suppressed())
    counts = audience_customers(rules).aggregate(
        matching=Count("pk"),
        no_email=Count("pk", filter=~has_email),
        no_consent=Count("pk", filter=has_email & ~Q(marketing_consent=True)),
        suppressed=Count("pk", filter=consented & Exists(_suppressed())),
        reachable=Count("pk", filter=reachable),
        addresses=Count("email", filter=reachable, distinct=True),
    )
    counts["shared"] = counts.pop("reachable") - counts.pop("addresses")
    chosen = (
        audience_recipients(rules).order_by("last_name", "first_name", "pk")[:SAMPLE_SIZE] if sample else []
    )
    return AudienceSize(**counts, sample=list(chosen))


# --- campaigns ---------------------------------------------------------------------------------

# The funnel: recipients whose message left, and those with each tracked event.
SENT = [
    Recipient.Status.SENT,
    Recipient.Status.DELIVERED,
    Recipient.Status.OPENED,
    Recipient.Status.CLICKED,
    Recipient.Status.UNSUBSCRIBED,
    Recipient.Status.COMPLAINED,
    Recipient.Status.BOUNCED,
]
EVENTS = ("delivered", "opened", "clicked", "bounced", "unsubscribed", "complained")
WAITING = [Recipient.Status.QUEUED, Recipient.Status.SENDING]
FAILED = [Recipient.Status.FAILED, Recipient.Status.SKIPPED]


@dataclass(frozen=True)
class Progress:
    total: int
    waiting: int
    funnel: dict[str, int]

    @property
    def done(self) -> int:
        return self.total - self.waiting

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def campaign_progress(campaign: Campaign) -> Progress:
    """One query: the recipients by how far they got (`funnel`: sent, failed and each event)."""
    recipients = Recipient.objects.filter(campaign=campaign)
    counts = recipients.aggregate(
        total=Count("pk", distinct=True),
        waiting=Count("pk", filter=Q(status__in=WAITING), distinct=True),
        sent=Count("pk", filter=Q(status__in=SENT), distinct=True),
        failed=Count("pk", filter=Q(status__in=FAILED), distinct=True),
        **{event: Count("pk", filter=Q(events__event=event), distinct=True) for event in EVENTS},
    )
    total, waiting = counts.pop("total"), counts.pop("waiting")
    return Progress(total=total, waiting=waiting, funnel=counts)


def campaign_list(*, search: str = "", status: str = "") -> QuerySet[Campaign]:
    campaigns = (
        Campaign.objects.filter(automation="")  # automations have their own page
        .select_related("audience", "template")
        .annotate(recipient_count=Count("recipients"))
        .order_by("-created_at", "-pk")
    )
    if search.strip():
        campaigns = campaigns.filter(name__icontains=search.strip())
    if status:
        campaigns = campaigns.filter(status=status)
    return campaigns


def catalog_families() -> list[str]:
    """The families of the brand's catalogue, for the audience editor."""
    return list(
        CatalogItem.objects.exclude(family="").order_by("family").values_list("family", flat=True).distinct()
    )


def recipient_rows(campaign: Campaign, *, status: str = ""):
    """The send log as CSV rows (header first), streamed."""
    recipients = Recipient.objects.filter(campaign=campaign).order_by("pk")
    if status:
        recipients = recipients.filter(status=status)
    yield ["email", "language", "segment", "status", "error", "queued_at", "sent_at", "status_at"]
    for row in recipients.values_list(
        "email", "language", "segment", "status", "error", "queued_at", "sent_at", "status_at"
    ).iterator(chunk_size=2000):
        yield [value.isoformat() if hasattr(value, "isoformat") else value for value in row]


# --- what a campaign earned --------------------------------------------------------------------


@dataclass(frozen=True)
class SegmentReport:
    segment: str
    recipients: int
    sent: int
    clicked: int
    orders: int
    revenue: Decimal

    @property
    def label(self) -> str:
        return Segment(self.segment).label if self.segment in Segment.values else "—"


@dataclass(frozen=True)
class Revenue:
    """Orders a recipient placed within the campaign's attribution window after their first click
    (cancelled and refunded orders left out), in the workspace's currencies."""

    orders: int
    by_currency: dict[str, Decimal]
    segments: list[SegmentReport]


def _clicked_recipients(campaign: Campaign) -> QuerySet[Recipient]:
    first_click = (
        TrackingEvent.objects.filter(recipient=OuterRef("pk"), event=TrackingEvent.Kind.CLICKED)
        .order_by("at")
        .values("at")[:1]
    )
    return (
        Recipient.objects.filter(campaign=campaign, customer__isnull=False)
        .annotate(clicked_at=Subquery(first_click))
        .filter(clicked_at__isnull=False)
    )


def campaign_revenue(campaign: Campaign) -> Revenue:
    """Three queries whatever the campaign's size: attributed orders, and recipients by segment."""
    window = timedelta(days=campaign.attribution_days)
    clicked = _clicked_recipients(campaign)
    orders = (
        Order.objects.exclude(status__in=[Order.Status.CANCELLED, Order.Status.REFUNDED])
        .filter(
            Exists(
                clicked.filter(
                    customer_id=OuterRef("crm_link__customer_id"),
                    clicked_at__lte=OuterRef("created_at"),
                    clicked_at__gt=OuterRef("created_at") - window,
                )
            )
        )
        .values_list("crm_link__customer_id", "currency", "total")
    )
    segment_of = dict(clicked.values_list("customer_id", "segment"))
    by_currency: dict[str, Decimal] = defaultdict(Decimal)
    by_segment: dict[str, list] = defaultdict(lambda: [0, Decimal(0)])
    count = 0
    for customer_id, currency, total in orders:
        count += 1
        by_currency[currency] += total
        by_segment[segment_of.get(customer_id, "")][0] += 1
        by_segment[segment_of.get(customer_id, "")][1] += total
    rows = (
        Recipient.objects.filter(campaign=campaign)
        .values("segment")
        .annotate(
            recipients=Count("pk", distinct=True),
            sent=Count("pk", filter=Q(status__in=SENT), distinct=True),
            clicked=Count("pk", filter=Q(events__event=TrackingEvent.Kind.CLICKED), distinct=True),
        )
        .order_by("-recipients", "segment")
    )
    segments = [
        SegmentReport(**row, orders=by_segment[row["segment"]][0], revenue=by_segment[row["segment"]][1])
        for row in rows
    ]
    return Revenue(orders=count, by_currency=dict(by_currency), segments=segments)


# --- one object, lists for the API ---------------------------------------------------------------


def audience_list(*, search: str = "") -> QuerySet[Audience]:
    """Audiences; `search`: each word in the name."""
    audiences = Audience.objects.all()
    for term in (search or "").split():
        audiences = audiences.filter(name__icontains=term)
    return audiences


def audience_get(*, pk: int) -> Audience | None:
    return Audience.objects.filter(pk=pk).first()


def campaign_get(*, pk: int) -> Campaign | None:
    return Campaign.objects.select_related("audience", "template").filter(pk=pk).first()
