"""Reads for the dashboard's Customers pages: the list with its filters, one customer's 360 view,
the occasions coming back, and what a customer's designs say they like (design affinity).

Each function runs a fixed number of queries whatever the number of customers, lines or designs.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Greatest, TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.ai.styles import DEFAULT_STYLE, STYLES, style_label
from apps.designs.models import Design
from apps.designs.selectors import design_thumbs
from apps.orders.models import Order, OrderItem

from .models import CatalogItem, Customer, CustomerOrder, SalesLine, SegmentChange
from .occasions import Occasion, occasions_extract, ordinal_on, reminder_date
from .scoring.reasons import reason_text

SALE = SalesLine.DocumentType.SALE
SALES_LINES_SHOWN = 200
# Last purchase periods of the list's filter: within N days, more than a year ago, never.
LAST_PURCHASE_WITHIN = {"30": 30, "90": 90, "365": 365}
LAST_PURCHASE_OLDER = "older"
LAST_PURCHASE_NEVER = "never"
CONSENT_VALUES = {"yes": True, "no": False}
CONSENT_UNKNOWN = "unknown"
SORTS = {
    "name": ("last_name", "first_name", "pk"),
    "-last_purchase": (F("last_purchase").desc(nulls_last=True), "pk"),
    "last_purchase": (F("last_purchase").asc(nulls_first=True), "pk"),
    "-monetary": (F("score__monetary").desc(nulls_last=True), "pk"),
    "-created": ("-created_at", "-pk"),
}
OCCASION_DAYS = 60  # how far ahead the Customers page looks for occasions
# Texts that may name an occasion: a digit (a date, an age) or a word for one. Designs without
# any are not read in Python.
OCCASION_HINT = re.compile(
    r"[0-9]|birthday|b-?day|anniv|wedding|married|mariage|mari[ée]|noces|生日|婚|周年|纪念|寿", re.IGNORECASE
)


# --- which designs are a customer's ------------------------------------------------------------


def _designs_of(customer) -> QuerySet[Design]:
    """Designs `customer` (an id, or an OuterRef to one) made: those in their orders, and those
    started in the widget sessions their orders came from."""
    outer = OuterRef(customer) if isinstance(customer, OuterRef) else customer
    sessions = (
        Order.objects.filter(crm_link__customer=outer).exclude(shopper_session="").values("shopper_session")
    )
    return Design.objects.filter(
        Q(order_items__order__crm_link__customer=customer) | Q(shopper_session__in=sessions)
    )


def customer_designs_ready(*, customer_id: int, limit: int) -> list[tuple[Design, object]]:
    """The customer's finished designs, newest first, each with its thumbnail (or None): what a
    campaign shows them of their own work."""
    designs = list(
        _designs_of(customer_id)
        .filter(status=Design.Status.READY)
        .select_related("product")
        .distinct()
        .order_by("-created_at", "-pk")[:limit]
    )
    thumbs = design_thumbs([design.pk for design in designs])
    return [(design, thumbs.get(design.pk)) for design in designs]


def order_customer(order_id: int) -> Customer | None:
    """The customer an order is attached to (None before the CRM attached it)."""
    link = CustomerOrder.objects.filter(order_id=order_id).select_related("customer").first()
    return link.customer if link is not None else None


def session_customer(session: str) -> Customer | None:
    """The customer whose latest order came from widget session `session`, or None: who made a
    design in that session."""
    if not session:
        return None
    link = (
        CustomerOrder.objects.filter(order__shopper_session=session)
        .select_related("customer")
        .order_by("-order__created_at", "-pk")
        .first()
    )
    return link.customer if link is not None else None


def _abandoned_designs(customer) -> QuerySet[Design]:
    """Designs `customer` (an id, or an OuterRef to one) took to a finished preview in the widget
    and never ordered: design abandonment."""
    ordered = OrderItem.objects.filter(design=OuterRef("pk"))
    return _designs_of(customer).filter(status=Design.Status.READY).exclude(Exists(ordered))


def abandoned_customers() -> QuerySet[Customer]:
    """Customers who left at least one finished design unordered."""
    return Customer.objects.filter(Exists(_abandoned_designs(OuterRef("pk"))))


def _design_texts(design) -> list[str]:
    """The personalization a design carries: its prompt and each text layer."""
    texts = [design.prompt or ""]
    for layer in design.text_layers or []:
        if isinstance(layer, dict) and isinstance(layer.get("text"), str):
            texts.append(layer["text"])
    return [text for text in texts if text.strip()]


# --- the list ----------------------------------------------------------------------------------


def _last_purchase():
    """The day of a customer's last sale document or Luneo order (None: never bought)."""
    sale = (
        SalesLine.objects.filter(customer=OuterRef("pk"), document_type=SALE)
        .order_by("-date")
        .values("date")[:1]
    )
    order = (
        CustomerOrder.objects.filter(customer=OuterRef("pk"))
        .annotate(day=TruncDate("order__created_at"))
        .order_by("-order__created_at")
        .values("day")[:1]
    )
    return Greatest(Subquery(sale), Subquery(order))


def customer_list(
    *,
    search: str = "",
    segment: str = "",
    last_purchase: str = "",
    item: int | None = None,
    product: int | None = None,
    consent: str = "",
    style: str = "",
    word: str = "",
    abandoned: bool = False,
    sort: str = "name",
    today: date | None = None,
) -> QuerySet[Customer]:
    """Customers with their score and `last_purchase` (a date or None).

    `search`: each word in the name, e-mail or client code; `segment`: an RFM segment;
    `last_purchase`: "30", "90", "365" (within that many days), "older" (over a year ago) or
    "never"; `item`: bought this ERP article; `product`: bought this Luneo product (through an
    order, or an article linked to it); `consent`: "yes", "no" or "unknown"; `style`: made a
    design in this style preset; `word`: a whole word of their designs; `abandoned`: left a finished
    design unordered; `sort`: a key of SORTS.
    """
    today = today or timezone.localdate()
    customers = Customer.objects.select_related("score").annotate(last_purchase=_last_purchase())
    for term in (search or "").split():
        customers = customers.filter(
            Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
            | Q(email__icontains=term)
            | Q(external_id__icontains=term)
        )
    if segment:
        customers = customers.filter(score__segment=segment)
    if last_purchase in LAST_PURCHASE_WITHIN:
        customers = customers.filter(
            last_purchase__gte=today - timedelta(days=LAST_PURCHASE_WITHIN[last_purchase])
        )
    elif last_purchase == LAST_PURCHASE_OLDER:
        customers = customers.filter(last_purchase__lt=today - timedelta(days=365))
    elif last_purchase == LAST_PURCHASE_NEVER:
        customers = customers.filter(last_purchase__isnull=True)
    if item:
        bought = SalesLine.objects.filter(customer=OuterRef("pk"), item_id=item, document_type=SALE)
        customers = customers.filter(Exists(bought))
    if product:
        ordered = OrderItem.objects.filter(order__crm_link__customer=OuterRef("pk"), product_id=product)
        bought = SalesLine.objects.filter(
            customer=OuterRef("pk"), item__product_id=product, document_type=SALE
        )
        customers = customers.filter(Exists(ordered) | Exists(bought))
    if consent in CONSENT_VALUES:
        customers = customers.filter(marketing_consent=CONSENT_VALUES[consent])
    elif consent == CONSENT_UNKNOWN:
        customers = customers.filter(marketing_consent__isnull=True)
    if style:
        styled = Q(style=style) | Q(style="") if style == DEFAULT_STYLE else Q(style=style)
        customers = customers.filter(Exists(_designs_of(OuterRef("pk")).filter(styled)))
    if word and word.strip():
        whole_word = rf"\m{re.escape(word.strip())}\M"  # PostgreSQL's word boundaries
        worded = Q(prompt__iregex=whole_word) | Q(layers_text__iregex=whole_word)
        designs = _designs_of(OuterRef("pk")).annotate(layers_text=Cast("text_layers", TextField()))
        customers = customers.filter(Exists(designs.filter(worded)))
    if abandoned:
        customers = customers.filter(Exists(_abandoned_designs(OuterRef("pk"))))
    return customers.order_by(*SORTS.get(sort, SORTS["name"]))


def catalog_choices() -> list[CatalogItem]:
    """The ERP articles a list can be filtered by."""
    return list(
        CatalogItem.objects.only("pk", "label", "vintage", "article").order_by("label", "vintage", "pk")
    )


# --- design affinity ---------------------------------------------------------------------------

WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
CJK = re.compile(r"[\u4e00-\u9fff]")
STOPWORDS = frozenset(
    """
    the and for with from this that into onto over under your you our their his her its a an of on in
    at to by be is are was were it as or not but all any some very more most much many one two three
    happy birthday anniversary wedding love dear best wishes day year years forever always
    style image picture design print text make made please like looking background colour color colors
    colours white black red blue green yellow pink purple orange brown grey gray gold silver
    les des une pour avec dans sur sous par est sont mon ton son mes tes ses nos vos leur leurs notre votre
    joyeux joyeuse bon bonne anniversaire mariage qui que quoi très plus tout tous toute toutes
    aux ans jour jours années année fond couleur
    """.split()
)


@dataclass
class Affinity:
    """What a customer's designs say they like: style presets (label, count) and words (word, count),
    most frequent first."""

    styles: list[tuple[str, int]] = field(default_factory=list)
    words: list[tuple[str, int]] = field(default_factory=list)

    @property
    def likes(self) -> list[str]:
        """At most two styles, then at most four words: "watercolour, lighthouse, sea"."""
        return [label for label, _count in self.styles[:2]] + [word for word, _count in self.words[:4]]


def design_words(texts: list[str]) -> Counter:
    """Words of personalization texts, each counted once per text: three letters or more, no
    common words (English, French), no numbers. Chinese, written without spaces, is not split."""
    counts: Counter = Counter()
    for text in texts:
        words = {word.lower() for word in WORD.findall(text or "") if not CJK.search(word)}
        counts.update(word for word in words if word not in STOPWORDS)
    return counts


def affinity(designs) -> Affinity:
    """The affinity of a customer from their designs (objects with `style`, `prompt`, `text_layers`)."""
    designs = list(designs)
    styles = Counter(design.style or DEFAULT_STYLE for design in designs)
    words = design_words([" ".join(_design_texts(design)) for design in designs])
    return Affinity(
        styles=[(style_label(key), count) for key, count in styles.most_common()],
        words=[(word, count) for word, count in words.most_common(8)],
    )


@dataclass
class AffinityGroups:
    """Customers grouped by what their designs say they like: style presets (key, label, customers)
    and words (word, customers), largest group first; `customers`: customers with a design."""

    customers: int
    styles: list[tuple[str, str, int]]
    words: list[tuple[str, int]]


def _customer_designs() -> dict[int, dict]:
    """Each design of a customer (design id: a Design with its style, texts and dates) per customer
    id: designs in their orders and designs started in the widget sessions their orders came from.
    Three queries, joins and index look-ups only."""
    fields = ("public_id", "style", "prompt", "text_layers", "created_at")
    ordered = OrderItem.objects.filter(design__isnull=False, order__crm_link__isnull=False).values_list(
        "order__crm_link__customer_id", "design_id", *(f"design__{name}" for name in fields)
    )
    sessions = dict(
        Order.objects.filter(crm_link__isnull=False)
        .exclude(shopper_session="")
        .values_list("shopper_session", "crm_link__customer_id")
    )
    started = Design.objects.filter(shopper_session__in=list(sessions)).values_list(
        "shopper_session", "pk", *fields
    )
    found: dict[int, dict] = {}
    for customer_id, design_id, *values in ordered:
        found.setdefault(customer_id, {})[design_id] = Design(**dict(zip(fields, values, strict=True)))
    for session, design_id, *values in started:
        found.setdefault(sessions[session], {})[design_id] = Design(**dict(zip(fields, values, strict=True)))
    return found


def affinity_groups(*, limit: int = 12) -> AffinityGroups:
    """The largest groups of customers by design style and by design word (a word counts when at
    least two customers used it)."""
    styles: Counter = Counter()
    words: Counter = Counter()
    designs_by_customer = _customer_designs()
    for designs in designs_by_customer.values():
        styles.update({design.style or DEFAULT_STYLE for design in designs.values()})
        words.update(set(design_words([" ".join(_design_texts(d)) for d in designs.values()])))
    return AffinityGroups(
        customers=len(designs_by_customer),
        styles=[(key, style_label(key), count) for key, count in _largest(styles, limit)],
        words=[(word, count) for word, count in _largest(words, limit) if count >= 2],
    )


def _largest(counts: Counter, limit: int) -> list[tuple[str, int]]:
    """The `limit` largest counts, ties in alphabetical order."""
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:limit]


def style_choices() -> list[tuple[str, str]]:
    return [(key, str(style.label)) for key, style in STYLES.items()]


# --- occasions ---------------------------------------------------------------------------------

OCCASION_LABELS = {
    "birthday": lambda: _("Birthday"),
    "wedding": lambda: _("Wedding anniversary"),
    "anniversary": lambda: _("Anniversary"),
    "date": lambda: _("A date they wrote"),
}


@dataclass
class Reminder:
    """An occasion found in a design, and when it comes back."""

    occasion: Occasion
    on: date
    seen_on: date
    ordinal: int | None
    customer_id: int | None = None
    customer: Customer | None = None
    design_id: str = ""

    @property
    def label(self) -> str:
        return OCCASION_LABELS[self.occasion.kind]()

    @property
    def names(self) -> str:
        return " & ".join(self.occasion.names)


def _reminders(designs, *, today: date) -> list[Reminder]:
    """Each design's occasions (one per distinct kind, names and day), with their reminder date."""
    found: dict[tuple, Reminder] = {}
    for design in designs:
        seen_on = timezone.localdate(design.created_at)
        for text in _design_texts(design):
            for occasion in occasions_extract(text, default_year=seen_on.year):
                on = reminder_date(occasion, seen_on=seen_on, today=today)
                key = (getattr(design, "customer_id", None), occasion.kind, occasion.names, on)
                if key in found:
                    continue
                found[key] = Reminder(
                    occasion=occasion,
                    on=on,
                    seen_on=seen_on,
                    ordinal=ordinal_on(occasion, seen_on=seen_on, on=on),
                    customer_id=getattr(design, "customer_id", None),
                    design_id=design.public_id,
                )
    return sorted(found.values(), key=lambda reminder: (reminder.on, reminder.customer_id or 0))


def design_reminders(design: Design, *, today: date) -> list[Reminder]:
    """The occasions `design`'s texts name, each with the next day it comes back on or after `today`."""
    return _reminders([design], today=today)


def occasions_upcoming(
    *, today: date | None = None, days: int = OCCASION_DAYS, limit: int = 20
) -> list[Reminder]:
    """Occasions found in customers' designs that come back within `days` of `today`, soonest
    first, each with its customer. Four queries; only texts with a hint of an occasion are parsed."""
    today = today or timezone.localdate()
    hinted = []
    for customer_id, designs in _customer_designs().items():
        for design in designs.values():
            if any(OCCASION_HINT.search(text) for text in _design_texts(design)):
                design.customer_id = customer_id
                hinted.append(design)
    end = today + timedelta(days=days)
    reminders = [reminder for reminder in _reminders(hinted, today=today) if reminder.on <= end][:limit]
    customers = Customer.objects.in_bulk({reminder.customer_id for reminder in reminders})
    for reminder in reminders:
        reminder.customer = customers.get(reminder.customer_id)
    return reminders


# --- the 360 view ------------------------------------------------------------------------------


@dataclass
class Customer360:
    customer: Customer
    orders: list
    sales_lines: list
    sales_count: int
    returns_count: int
    net_total: Decimal
    designs: list  # (design, thumbnail asset or None, ordered)
    abandoned: list  # (design, thumbnail asset or None)
    segment_history: list
    recommendations: list  # (recommendation, reason text)
    chart: dict
    reminders: list
    affinity: Affinity


def _months(start: date, end: date) -> list[date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _chart(monthly_sales: dict[date, Decimal], orders: list[Order]) -> dict:
    """Purchases per month: sales lines net of returns, and Luneo orders' totals."""
    monthly_orders: dict[date, Decimal] = {}
    for order in orders:
        month = timezone.localdate(order.created_at).replace(day=1)
        monthly_orders[month] = monthly_orders.get(month, Decimal(0)) + order.total
    known = list(monthly_sales) + list(monthly_orders)
    if not known:
        return {}
    months = _months(min(known), max(known))
    return {
        "labels": [month.strftime("%Y-%m") for month in months],
        "datasets": [
            {"label": _("Sales (net of returns)"), "data": [float(monthly_sales.get(m, 0)) for m in months]},
            {"label": _("Luneo orders"), "data": [float(monthly_orders.get(m, 0)) for m in months]},
        ],
    }


def customer_360(*, customer_id: int, today: date | None = None) -> Customer360 | None:
    """Everything the dashboard shows about one customer, in a fixed number of queries; None when
    no customer has this id."""
    today = today or timezone.localdate()
    customer = Customer.objects.select_related("score").filter(pk=customer_id).first()
    if customer is None:
        return None
    orders = list(
        Order.objects.filter(crm_link__customer=customer)
        .prefetch_related("items")
        .order_by("-created_at", "-pk")
    )
    lines = customer.sales_lines.select_related("item").order_by("-date", "document_no", "pk")
    sales_lines = list(lines[:SALES_LINES_SHOWN])
    totals = customer.sales_lines.aggregate(
        net=Coalesce(Sum("amount_incl_tax"), Value(Decimal(0))),
        sales=Coalesce(Sum(Value(1), filter=Q(document_type=SALE)), Value(0)),
        returns=Coalesce(Sum(Value(1), filter=Q(document_type=SalesLine.DocumentType.CREDIT_NOTE)), Value(0)),
    )
    monthly = (
        customer.sales_lines.annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(total=Sum("amount_incl_tax"))
        .order_by("month")
    )
    monthly_sales = {row["month"]: row["total"] for row in monthly}
    ordered = OrderItem.objects.filter(design=OuterRef("pk"))
    designs = list(
        _designs_of(customer.pk)
        .select_related("product")
        .annotate(ordered=Exists(ordered))
        .distinct()
        .order_by("-created_at", "-pk")
    )
    thumbs = design_thumbs([design.pk for design in designs])
    recommendations = list(customer.recommendations.select_related("item").order_by("-score", "pk"))
    return Customer360(
        customer=customer,
        orders=orders,
        sales_lines=sales_lines,
        sales_count=totals["sales"],
        returns_count=totals["returns"],
        net_total=totals["net"],
        designs=[(design, thumbs.get(design.pk)) for design in designs if design.ordered],
        abandoned=[
            (design, thumbs.get(design.pk))
            for design in designs
            if not design.ordered and design.status == Design.Status.READY
        ],
        segment_history=list(SegmentChange.objects.filter(customer=customer).order_by("-as_of", "-pk")),
        recommendations=[
            (recommendation, reason_text(recommendation.reason)) for recommendation in recommendations
        ],
        chart=_chart(monthly_sales, orders),
        reminders=_reminders(designs, today=today),
        affinity=affinity(designs),
    )
