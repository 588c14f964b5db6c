"""Imports of ERP exports (customers, catalogue, sales lines), what they rejected, saved column
mappings, and data-health snapshots taken after each import."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    CUSTOMERS = "customers", _("Customers")
    PRODUCTS = "products", _("Products")
    SALES = "sales", _("Sales lines")


def import_upload_to(instance: "Import", filename: str) -> str:
    return f"crm/imports/{timezone.now():%Y/%m}/{instance.uuid}.csv"


class Import(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    uuid = models.UUIDField(unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(upload_to=import_upload_to)
    original_name = models.CharField(_("file name"), max_length=255)
    source = models.CharField(_("source"), max_length=100, blank=True)  # whose mapping applies
    encoding = models.CharField(max_length=20, blank=True)
    delimiter = models.CharField(max_length=1, blank=True)
    mapping = models.JSONField(default=dict, blank=True)  # file column → field
    progress = models.PositiveSmallIntegerField(default=0)
    rows_read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    credit_notes = models.PositiveIntegerField(default=0)
    rejections = models.JSONField(default=dict, blank=True)  # reason → count
    warnings = models.JSONField(default=dict, blank=True)  # reason → count
    error = models.TextField(blank=True)
    created_by = models.BigIntegerField(null=True, blank=True)  # a public-schema User id
    api_key_prefix = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="crm_import_progress_lte_100"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.original_name}"


class ImportRejection(models.Model):
    """A row an import did not load, or loaded with a warning: where, what and why."""

    import_run = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="rejection_rows")
    line = models.PositiveIntegerField()  # in the file, the header being line 1
    column = models.CharField(max_length=100, blank=True)
    value = models.CharField(max_length=300, blank=True)
    reason = models.CharField(max_length=40)
    warning = models.BooleanField(default=False)  # loaded anyway (invalid_email, postal_code_fixed…)

    class Meta:
        ordering = ["import_run", "line", "pk"]

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


class ColumnMapping(models.Model):
    """How one source's files name their columns, for one kind: saved by the user, used again."""

    kind = models.CharField(max_length=20, choices=Kind.choices)
    source = models.CharField(max_length=100)
    mapping = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "source"], name="crm_mapping_kind_source_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.source}"


class HealthSnapshot(models.Model):
    """The data-health figures at one moment (after an import, or on demand), kept for trends."""

    import_run = models.ForeignKey(Import, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    taken_at = models.DateTimeField(default=timezone.now, db_index=True)
    metrics = models.JSONField(default=dict)

    class Meta:
        ordering = ["-taken_at"]

    def __str__(self) -> str:
        return f"health {self.taken_at:%Y-%m-%d %H:%M}"
