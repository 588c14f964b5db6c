"""Orders of personalized products.

An `Order` has a per-workspace sequential number (`LU-000123`, from a sequence in the
workspace's schema), a status moved only by `services.order_transition` (each move recorded as
an `OrderStatusChange`), totals computed on the server, and the production pack (a zip of
print files) built by a task. `OrderItem` snapshots what was bought: title, options and unit
price at the time of the order.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.hygiene import single_line
from apps.core.uploads import RandomPath
from apps.products.models import MONEY, Currency

NUMBER_SEQUENCE = "orders_order_number_seq"
QUANTITY_MAX = 1000


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        PAID = "paid", _("Paid")
        IN_PRODUCTION = "in_production", _("In production")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")
        REFUNDED = "refunded", _("Refunded")

    class Source(models.TextChoices):
        WIDGET = "widget", _("Widget")
        API = "api", _("API")
        SHOPIFY = "shopify", _("Shopify")
        WOOCOMMERCE = "woocommerce", _("WooCommerce")

    class PackStatus(models.TextChoices):
        NONE = "none", _("Not built")
        BUILDING = "building", _("Building")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    class ProofVia(models.TextChoices):
        WHATSAPP = "whatsapp", "WhatsApp"

    number = models.PositiveIntegerField(unique=True, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    external_ref = models.CharField(_("external reference"), max_length=100, blank=True)
    brand = models.ForeignKey(
        "brands.Brand", on_delete=models.SET_NULL, null=True, blank=True, related_name="orders"
    )
    customer_email = models.EmailField(_("customer email"))
    customer_name = models.CharField(_("customer name"), max_length=200, validators=[single_line])
    customer_phone = models.CharField(_("customer phone"), max_length=40, blank=True)
    shipping_address = models.JSONField(_("shipping address"), default=dict)
    billing_address = models.JSONField(_("billing address"), default=dict, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    subtotal = models.DecimalField(_("subtotal"), **MONEY, default=Decimal(0))
    shipping_total = models.DecimalField(_("shipping"), **MONEY, default=Decimal(0))
    total = models.DecimalField(_("total"), **MONEY, default=Decimal(0))
    note = models.TextField(_("note"), blank=True)
    shopper_session = models.CharField(max_length=64, blank=True)  # the widget session that ordered
    api_key_prefix = models.CharField(max_length=32, blank=True)  # the key that created it, if any
    pack_status = models.CharField(max_length=10, choices=PackStatus.choices, default=PackStatus.NONE)
    pack = models.FileField(upload_to=RandomPath("orders/packs"), blank=True, max_length=300)
    pack_error = models.TextField(blank=True)
    pack_built_at = models.DateTimeField(null=True, blank=True)
    # The customer approved the proof of the order's design (the last approval), and where.
    proof_approved_at = models.DateTimeField(_("proof approved at"), null=True, blank=True)
    proof_approved_via = models.CharField(
        _("proof approved via"), max_length=20, choices=ProofVia.choices, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "-created_at"]), models.Index(fields=["customer_email"])]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_ref"], condition=~Q(external_ref=""), name="order_unique_external"
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_gte_0"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"LU-{self.number:06d}"


class OrderItem(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    design = models.ForeignKey(
        "designs.Design", on_delete=models.PROTECT, null=True, blank=True, related_name="order_items"
    )
    product = models.ForeignKey(
        "products.Product", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    variant = models.ForeignKey(
        "products.Variant", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=300)
    sku = models.CharField(max_length=100, blank=True)
    options = models.JSONField(default=list, blank=True)  # [{"id", "name", "price_delta"}] as bought
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(**MONEY)
    total = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=QUANTITY_MAX), name="order_item_quantity_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.title}"


class OrderStatusChange(models.Model):
    """One move of an order's status (the first has `from_status` empty: the order's creation)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, choices=Order.Status.choices)
    note = models.CharField(max_length=500, blank=True)
    actor = models.CharField(max_length=200, blank=True)  # "user:<email>", "key:<prefix>", "shopify"…
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"
