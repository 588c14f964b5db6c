"""The audit log, in the public schema beside workspaces: writes to workspace data and to its people,
keys and plan all land here, each tagged with its workspace."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.tenants.models import Tenant

from .labels import field_label, object_type_label


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="audit_entries")
    actor = models.CharField(max_length=64, help_text=_("user:<id> or key:<prefix>"))
    actor_label = models.CharField(max_length=254, help_text=_("The person's email or the key's name"))
    action = models.CharField(max_length=8, choices=Action.choices)
    object_type = models.CharField(max_length=64)  # app_label.model
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    changes = models.JSONField(default=dict, help_text=_('{"field": [before, after]}'))
    request_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["tenant", "-created_at"]),
            models.Index(fields=["tenant", "object_type", "object_id"]),
            models.Index(fields=["created_at"]),
        ]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.object_type} {self.object_id}"

    @property
    def object_type_label(self) -> str:
        """What the entry is about, for people ("Order"), in the active language."""
        return object_type_label(self.object_type)

    @property
    def change_rows(self) -> list[tuple[str, object, object]]:
        """(field label, before, after) for each changed field, for people."""
        changes = self.changes if isinstance(self.changes, dict) else {}
        return [
            (field_label(self.object_type, name), *(list(values) + [None, None])[:2])
            for name, values in changes.items()
        ]
