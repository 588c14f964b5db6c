"""Customers, the brand's ERP catalogue, and what customers bought (sales lines and orders)."""

from decimal import Decimal

from django.db import models, router, transaction
from django.db.models import Q
from django.db.models.functions import Collate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 14, "decimal_places": 2}


class Channel(models.TextChoices):
    """Where a customer, or a sale, came from."""

    IMPORT = "import", _("Import")
    WIDGET = "widget", _("Widget")
    API = "api", _("API")
    SHOPIFY = "shopify", _("Shopify")
    WOOCOMMERCE = "woocommerce", _("WooCommerce")
    DASHBOARD = "dashboard", _("Dashboard")
    SIGNUP = "signup", _("Sign-up form")


def _rows_locked(queryset) -> None:
    """Lock the rows about to be deleted (`FOR UPDATE`, in id order) before the ORM reads what
    refers to them, in the caller's transaction.

    Sales lines refer to customers and catalogue items without database foreign keys: an import
    locks those it writes lines for `FOR KEY SHARE` until it commits. Locked first, a delete waits
    for such an import, then finds the lines it added (and cascades to them, or is refused); or
    the import waits for the delete, then rejects its lines as unknown. Callers hold the lock in a
    savepoint: a refused delete (`ProtectedError`) leaves the caller's transaction usable.
    """
    model = queryset.model
    rows = model._base_manager.db_manager(queryset.db).filter(pk__in=queryset.values("pk"))
    list(rows.select_for_update().order_by("pk").values_list("pk", flat=True))


class KeyedQuerySet(models.QuerySet):
    """Deletes lock their rows first (`_rows_locked`)."""

    def delete(self):
        with transaction.atomic(using=self.db):
            _rows_locked(self)
            return super().delete()

    delete.alters_data = True
    delete.queryset_only = True


class KeyedModel:
    """A model sales lines refer to without database foreign keys: `delete()` locks its row first."""

    def delete(self, using=None, keep_parents=False):
        using = using or router.db_for_write(self.__class__, instance=self)
        with transaction.atomic(using=using):
            _rows_locked(self.__class__._base_manager.db_manager(using).filter(pk=self.pk))
            return super().delete(using=using, keep_parents=keep_parents)

    delete.alters_data = True


class Customer(KeyedModel, models.Model):
    """A person buying from the workspace: matched by the ERP's client code (`external_id`) or by
    the normalised e-mail. Several customers may share an e-mail (the data-health page lists them)."""

    external_id = models.CharField(_("client code"), max_length=64, blank=True)
    email = models.CharField(_("email"), max_length=254, blank=True, db_index=True)  # trimmed, lowercased
    first_name = models.CharField(_("first name"), max_length=120, blank=True)
    last_name = models.CharField(_("last name"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)  # E.164 when it could be read
    address = models.CharField(_("address"), max_length=300, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)  # ISO 3166-1 alpha-2
    language = models.CharField(_("language"), max_length=10, blank=True)
    # E-mail marketing consent: None = never asked; when and where it was given or withdrawn.
    marketing_consent = models.BooleanField(_("e-mail marketing consent"), null=True, blank=True)
    consent_at = models.DateTimeField(_("consent changed at"), null=True, blank=True)
    consent_source = models.CharField(_("consent source"), max_length=40, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Channel.choices, default=Channel.IMPORT)
    row_hash = models.CharField(max_length=64, blank=True)  # of the last imported row: unchanged rows
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = KeyedQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="crm_customer_external_id_unique"
            ),
        ]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")

    def __str__(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return name or self.email or self.external_id or f"#{self.pk}"


class CatalogItem(KeyedModel, models.Model):
    """A product of the brand's ERP catalogue (an article), linked to a Luneo product when SKUs match."""

    article = models.CharField(_("article code"), max_length=64, unique=True)
    label = models.CharField(_("label"), max_length=200)
    vintage = models.CharField(_("vintage"), max_length=10, blank=True)
    family = models.CharField(_("family"), max_length=100, blank=True)
    sub_family = models.CharField(_("sub-family"), max_length=100, blank=True)
    category = models.CharField(_("category"), max_length=100, blank=True)
    price = models.DecimalField(_("price incl. tax"), null=True, blank=True, **MONEY)
    price_band = models.CharField(_("price band"), max_length=40, blank=True)
    tier = models.CharField(_("tier"), max_length=40, blank=True)
    product = models.ForeignKey(
        "products.Product", on_delete=models.SET_NULL, null=True, blank=True, related_name="catalog_items"
    )
    active = models.BooleanField(_("active"), default=True)
    # The brand's exclusion: off, the item is never recommended (still scored and listed).
    recommendable = models.BooleanField(_("may be recommended"), default=True, db_default=True)
    row_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = KeyedQuerySet.as_manager()

    class Meta:
        ordering = ["label", "vintage"]
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")

    def __str__(self) -> str:
        return f"{self.label} {self.vintage}".strip()


class SalesLine(models.Model):
    """A line of a sale document (or of a credit note: negative quantity and amounts).

    `line_key` identifies it across imports (document, article and the occurrence of that article
    in the document), so a newer export updates the line instead of adding it again.
    """

    class DocumentType(models.TextChoices):
        SALE = "sale", _("Sale")
        CREDIT_NOTE = "credit_note", _("Credit note")

    # Indexes are few on purpose: each one is written for every imported line. `customer` is
    # served by (customer, date); `item` and `date` are read over whole tables (scores, health).
    # No database foreign-key checks (one per line and key at commit, about half of an import's
    # writing time): the import locks each referenced customer and item once (`FOR KEY SHARE`)
    # and rejects the lines of those gone (`etl/loader.py`); deletes lock their rows first
    # (`KeyedModel`) and still cascade or are refused through the ORM.
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="sales_lines", db_index=False, db_constraint=False
    )
    item = models.ForeignKey(
        CatalogItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sales_lines",
        db_index=False,
        db_constraint=False,
    )
    label = models.CharField(_("label"), max_length=200, blank=True)  # as the document named it
    document_type = models.CharField(max_length=20, choices=DocumentType.choices, default=DocumentType.SALE)
    document_no = models.CharField(_("document number"), max_length=64)
    line_key = models.CharField(max_length=200)
    date = models.DateField(_("date"))
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3, default=Decimal(0))
    unit_price = models.DecimalField(_("unit price excl. tax"), null=True, blank=True, **MONEY)
    amount_excl_tax = models.DecimalField(_("amount excl. tax"), default=Decimal(0), **MONEY)
    amount_incl_tax = models.DecimalField(_("amount incl. tax"), default=Decimal(0), **MONEY)
    margin = models.DecimalField(_("margin"), null=True, blank=True, **MONEY)
    source = models.CharField(max_length=20, choices=Channel.choices, default=Channel.IMPORT)
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="crm_sales_lines",
        db_index=False,  # indexed where set only (below): imported lines have none
    )
    row_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-date", "document_no", "pk"]
        constraints = [
            # Compared byte by byte (equal keys are equal under any collation; the index is cheaper).
            models.UniqueConstraint(Collate("line_key", "C"), name="crm_salesline_line_key_unique"),
        ]
        indexes = [
            models.Index(fields=["customer", "date"]),
            models.Index(fields=["order"], condition=Q(order__isnull=False), name="crm_salesline_order_set"),
        ]

    def __str__(self) -> str:
        return f"{self.document_no} {self.label}"


class CustomerOrder(models.Model):
    """A Luneo order (widget, API, shops) attached to its customer."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="order_links")
    order = models.OneToOneField("orders.Order", on_delete=models.CASCADE, related_name="crm_link")

    def __str__(self) -> str:
        return f"{self.customer} · {self.order_id}"


class ConsentEvent(models.Model):
    """The consent log: each change of a customer's e-mail marketing consent, when, from where
    (source, and the IP address when a person gave it on a page) — proof for a regulator."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="consent_events")
    consent = models.BooleanField(null=True)
    source = models.CharField(max_length=40, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source} {self.consent} {self.at:%Y-%m-%d %H:%M}"
