"""A workspace's connected shops and the webhook deliveries they sent.

The tables keep the names the orders app gave them (`orders_integration`,
`orders_inboundwebhook`): moving the models here changed no data.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Integration(models.Model):
    """A connected shop. Credentials are encrypted at rest (apps.core.crypto)."""

    class Kind(models.TextChoices):
        SHOPIFY = "shopify", "Shopify"
        WOOCOMMERCE = "woocommerce", "WooCommerce"

    class Status(models.TextChoices):
        CONNECTED = "connected", _("Connected")
        ERROR = "error", _("Error")
        DISCONNECTED = "disconnected", _("Disconnected")

    kind = models.CharField(max_length=20, choices=Kind.choices, unique=True)
    shop_url = models.URLField(_("shop address"), max_length=300)
    credentials = models.TextField()  # encrypted JSON: token / consumer key + secret
    webhook_secret = models.TextField()  # encrypted: verifies the shop's webhooks
    brand = models.ForeignKey(
        "brands.Brand", on_delete=models.SET_NULL, null=True, blank=True, related_name="integrations"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CONNECTED)
    last_error = models.TextField(blank=True)
    last_import_at = models.DateTimeField(null=True, blank=True)
    last_import_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "orders_integration"  # created by the orders app, which held shops until 2026-12

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.shop_url}"


class InboundWebhook(models.Model):
    """A shop's webhook delivery, recorded once: a replay of the same delivery id does nothing."""

    class Outcome(models.TextChoices):
        CREATED = "created", _("Order created")
        IGNORED = "ignored", _("Ignored")
        REJECTED = "rejected", _("Rejected")

    kind = models.CharField(max_length=20, choices=Integration.Kind.choices)
    delivery_id = models.CharField(max_length=200)
    topic = models.CharField(max_length=100, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    detail = models.CharField(max_length=500, blank=True)
    order = models.ForeignKey(
        "orders.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "orders_inboundwebhook"
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "delivery_id"], name="inbound_webhook_unique_delivery"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.delivery_id} ({self.outcome})"
