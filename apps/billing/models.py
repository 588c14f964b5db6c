"""Public-schema billing data: plans, each workspace's subscription, usage counters, invoices.

Business rules live in `entitlements.py` (what a workspace may do) and `services.py` (changes).
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.tenants.models import Tenant


class Feature(models.TextChoices):
    WHITE_LABEL = "white_label", _("White-label (no “Powered by Luneo”)")
    ANALYTICS = "analytics", _("Analytics")
    API = "api", _("REST API")
    INTEGRATIONS = "integrations", _("Shopify and WooCommerce")
    CUSTOM_DOMAIN = "custom_domain", _("Custom domain")


class Limit(models.TextChoices):
    """What a plan counts. `designs`, `emails` and `ai_tokens` are per month; the others are how many
    may exist at once."""

    DESIGNS = "designs", _("AI designs this month")
    EMAILS = "emails", _("Campaign e-mails this month")
    AI_TOKENS = "ai_tokens", _("AI text tokens this month")
    BRANDS = "brands", _("Brands")
    SEATS = "seats", _("Seats")
    WEBHOOK_ENDPOINTS = "webhook_endpoints", _("Webhook endpoints")


class Plan(models.Model):
    """A plan operators edit in the admin. A null limit means unlimited."""

    class Code(models.TextChoices):
        STARTER = "starter", _("Starter")
        PRO = "pro", _("Pro")
        ENTERPRISE = "enterprise", _("Enterprise")

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    position = models.PositiveSmallIntegerField(default=0, help_text=_("Order on the Billing page"))
    monthly_price_eur = models.PositiveIntegerField(_("monthly price (EUR cents)"), default=0)
    monthly_price_usd = models.PositiveIntegerField(_("monthly price (USD cents)"), default=0)
    yearly_months_charged = models.PositiveSmallIntegerField(
        default=10, help_text=_("A year costs this many months (10: two months free)")
    )
    self_serve = models.BooleanField(
        default=True, help_text=_("Bought through Stripe Checkout; off: assigned by sales")
    )
    designs_per_month = models.PositiveIntegerField(null=True, blank=True)
    overage = models.BooleanField(
        default=False, help_text=_("Designs beyond the monthly quota are allowed and billed per design")
    )
    overage_price_eur = models.PositiveIntegerField(_("overage per design (EUR cents)"), default=0)
    overage_price_usd = models.PositiveIntegerField(_("overage per design (USD cents)"), default=0)
    emails_per_month = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Campaign e-mails sent per month; empty: unlimited")
    )
    ai_tokens_per_month = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("AI text tokens (assistant, copilot) per month; empty: unlimited")
    )
    brands = models.PositiveIntegerField(null=True, blank=True)
    seats = models.PositiveIntegerField(null=True, blank=True)
    webhook_endpoints = models.PositiveIntegerField(null=True, blank=True)
    features = ArrayField(models.CharField(max_length=32, choices=Feature.choices), default=list, blank=True)
    # {"eur": {"month": "price_…", "year": "price_…", "overage": "price_…"}, "usd": {…}}: stripe_sync_plans.
    stripe_prices = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    def limit(self, name: str) -> int | None:
        monthly = {
            Limit.DESIGNS: "designs_per_month",
            Limit.EMAILS: "emails_per_month",
            Limit.AI_TOKENS: "ai_tokens_per_month",
        }
        return getattr(self, monthly.get(name, name))

    def monthly_price(self, currency: str) -> int:
        return getattr(self, f"monthly_price_{currency}")

    def yearly_price(self, currency: str) -> int:
        return self.monthly_price(currency) * self.yearly_months_charged

    @property
    def yearly_price_eur(self) -> int:
        return self.yearly_price("eur")

    def stripe_price(self, currency: str, kind: str) -> str:
        return (self.stripe_prices.get(currency) or {}).get(kind, "")


class Subscription(models.Model):
    """A workspace's plan and where it stands. One per workspace."""

    class Status(models.TextChoices):
        TRIALING = "trialing", _("Trial")
        ACTIVE = "active", _("Active")
        PAST_DUE = "past_due", _("Payment failed")

    class Interval(models.TextChoices):
        MONTH = "month", _("Monthly")
        YEAR = "year", _("Yearly")

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="subscription")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="subscriptions")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    currency = models.CharField(max_length=3, default="eur", choices=[("eur", "EUR"), ("usd", "USD")])
    interval = models.CharField(max_length=8, choices=Interval.choices, default=Interval.MONTH)
    trial_ends_at = models.DateTimeField(null=True, blank=True)
    current_period_end = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    grace_ends_at = models.DateTimeField(null=True, blank=True, help_text=_("Set while a payment is due"))
    stripe_customer_id = models.CharField(max_length=64, blank=True, db_index=True)
    stripe_subscription_id = models.CharField(max_length=64, blank=True, db_index=True)
    # `created` of the newest Stripe subscription event applied: older ones arriving late are ignored.
    stripe_synced_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.tenant.schema_name}: {self.plan} ({self.status})"

    def has_lapsed(self, now) -> bool:
        """A trial or grace period that has ended: the workspace is on Starter from then on."""
        ends = {self.Status.TRIALING: self.trial_ends_at, self.Status.PAST_DUE: self.grace_ends_at}
        ends = ends.get(self.status)
        return ends is not None and ends <= now


class UsageCounter(models.Model):
    """How much of a metered limit a workspace used in a month (`period` is the month's first day)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="usage_counters")
    metric = models.CharField(max_length=32, choices=Limit.choices)
    period = models.DateField()
    count = models.PositiveIntegerField(default=0)
    overage = models.PositiveIntegerField(default=0, help_text=_("Units beyond the plan's quota"))
    overage_reported = models.PositiveIntegerField(default=0, help_text=_("Overage units sent to Stripe"))
    # The batch being sent (overage_reported → this): a run that dies mid-send repeats the same batch.
    overage_reporting = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "metric", "period"], name="usage_one_counter_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(overage_reported__lte=models.F("overage")),
                name="usage_reported_le_overage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.metric} {self.period:%Y-%m}: {self.count}"


class UsageAlert(models.Model):
    """An 80 % or 100 % warning sent for a month: the unique row makes it once per threshold."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="usage_alerts")
    metric = models.CharField(max_length=32, choices=Limit.choices)
    period = models.DateField()
    threshold = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "metric", "period", "threshold"], name="usage_alert_once_per_threshold"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.metric} {self.period:%Y-%m} {self.threshold} %"


class Invoice(models.Model):
    """A Stripe invoice, kept from its `invoice.*` events for the Billing page."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="invoices")
    stripe_id = models.CharField(max_length=64, unique=True)
    number = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=16)
    currency = models.CharField(max_length=3)
    amount_due = models.PositiveIntegerField(default=0)
    amount_paid = models.PositiveIntegerField(default=0)
    hosted_url = models.URLField(max_length=1000, blank=True)
    pdf_url = models.URLField(max_length=1000, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.number or self.stripe_id


class StripeEvent(models.Model):
    """A Stripe event id already applied: the same event delivered twice changes things once."""

    stripe_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=64)
    tenant = models.ForeignKey(Tenant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    outcome = models.CharField(max_length=255, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.type} {self.stripe_id}"
