"""The console's own records, in the public schema."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PlatformDay(models.Model):
    """One day of the platform, added up across workspaces by `platform.platform_rollup` (beat,
    hourly): what the admin index's overview charts read, so that page never walks the schemas."""

    day = models.DateField(unique=True)
    signups = models.PositiveIntegerField(default=0)
    designs = models.PositiveIntegerField(default=0)
    ai_cost_usd = models.DecimalField(max_digits=14, decimal_places=6, default=0)
    requests = models.PositiveBigIntegerField(default=0)
    errors = models.PositiveBigIntegerField(default=0)
    # Snapshots taken that day (the last rollup of the day keeps its values)
    active_workspaces = models.PositiveIntegerField(default=0)
    paying_ids = models.JSONField(default=list, blank=True)  # workspaces paying that day: churn
    mrr_eur_cents = models.PositiveBigIntegerField(default=0)
    mrr_usd_cents = models.PositiveBigIntegerField(default=0)
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["day"]
        verbose_name = _("platform day")
        verbose_name_plural = _("platform days")

    def __str__(self) -> str:
        return self.day.isoformat()
