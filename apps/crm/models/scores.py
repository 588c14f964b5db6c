"""What the CRM computes: each customer's RFM scores and segment as of a date, segment moves,
and recommendations with the reason for each."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .customers import CatalogItem, Customer


class Segment(models.TextChoices):
    CHAMPIONS = "champions", _("Champions")
    LOYAL = "loyal", _("Loyal")
    POTENTIAL_LOYALIST = "potential_loyalist", _("Potential loyalist")
    NEW = "new", _("New")
    PROMISING = "promising", _("Promising")
    NEED_ATTENTION = "need_attention", _("Need attention")
    ABOUT_TO_SLEEP = "about_to_sleep", _("About to sleep")
    AT_RISK = "at_risk", _("At risk")
    CANT_LOSE = "cant_lose", _("Can't lose")
    HIBERNATING = "hibernating", _("Hibernating")


class CustomerScore(models.Model):
    """A customer's RFM as of `as_of`: recency in days since the last sale document, frequency in
    distinct sale documents (credit notes excluded), monetary net incl. tax; scores 1–5 by
    quintiles within the workspace. P(alive) and expected purchases are estimates (BG/NBD)."""

    customer = models.OneToOneField(Customer, on_delete=models.CASCADE, related_name="score")
    as_of = models.DateField()
    recency_days = models.PositiveIntegerField(null=True, blank=True)
    frequency = models.PositiveIntegerField(default=0)
    monetary = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    r = models.PositiveSmallIntegerField(default=0)
    f = models.PositiveSmallIntegerField(default=0)
    m = models.PositiveSmallIntegerField(default=0)
    segment = models.CharField(max_length=30, choices=Segment.choices, blank=True, db_index=True)
    p_alive = models.FloatField(null=True, blank=True)
    expected_purchases = models.FloatField(null=True, blank=True)  # in the next 90 days
    computed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.segment} ({self.r}{self.f}{self.m})"


class SegmentChange(models.Model):
    """A customer moved from one segment to another at a refresh."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="segment_changes")
    as_of = models.DateField(db_index=True)
    before = models.CharField(max_length=30, choices=Segment.choices, blank=True)
    after = models.CharField(max_length=30, choices=Segment.choices)

    class Meta:
        ordering = ["-as_of", "pk"]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.before} → {self.after}"


class Recommendation(models.Model):
    """A product to suggest to a customer, with the rule that chose it and its reason.

    The reason is stored as a code and its figures (`reason`), written out in the reader's
    language when shown."""

    class Kind(models.TextChoices):
        CROSS_SELL = "cross_sell", _("Bought together")
        REBUY = "rebuy", _("Time to buy again")
        DIVERSITY = "diversity", _("Something new to try")

    # Derived rows, all replaced at each refresh from ids read in the same transaction: no database
    # foreign-key checks (one per row and key at commit, ≈ 4 s of a 500,000-row refresh); deletes
    # of a customer or an item still cascade through the ORM. The unique (customer, item) index
    # serves lookups by customer, so the customer column has no index of its own.
    customer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        related_name="recommendations",
        db_constraint=False,
        db_index=False,
    )
    item = models.ForeignKey(CatalogItem, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    score = models.FloatField()
    reason = models.JSONField(default=dict)
    as_of = models.DateField()

    class Meta:
        ordering = ["customer", "-score"]
        constraints = [models.UniqueConstraint(fields=["customer", "item"], name="crm_recommendation_unique")]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.kind} {self.item_id}"
