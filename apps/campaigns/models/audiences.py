from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Audience(models.Model):
    """A saved set of CRM filters, evaluated in SQL whenever it is counted or sent to (never stored
    as a list of people). `rules`: {"segments": [...], "last_purchase": "30"|"90"|"365"|"older"|
    "never"|"", "items": [catalogue item ids], "families": [...], "languages": [...],
    "countries": [...], "abandoned_design": bool}; an empty rule does not filter."""

    name = models.CharField(_("name"), max_length=120)
    rules = models.JSONField(_("rules"), default=dict, blank=True)
    created_by = models.BigIntegerField(null=True, blank=True)  # a public-schema User id
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")

    def __str__(self) -> str:
        return self.name
