"""The operators' console's own records, in the public schema: the platform's days (the
overview) and Celery tasks that failed.

`Moderation` and `Jobs` are proxies without rows of their own: they give the console's two
pages (`/admin/console/moderation/`, `/admin/console/jobs/`) their place in the admin's index.
"""

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


class FailedTask(models.Model):
    """A Celery task that raised (recorded by the `task_failure` signal, failures.py): what ran, with
    which arguments (secrets left out: `redacted`, and then it cannot be re-sent), in which
    workspace, and why. `retried_at` is set when an operator re-sent it (once)."""

    task_id = models.CharField(_("task id"), max_length=64, db_index=True)
    task_name = models.CharField(_("task"), max_length=200, db_index=True)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    redacted = models.BooleanField(
        _("arguments redacted"), default=False, help_text=_("Secrets were left out: it cannot be re-sent.")
    )
    exception = models.TextField(_("exception"))
    traceback = models.TextField(_("traceback"), blank=True)
    schema_name = models.CharField(_("workspace schema"), max_length=63, db_index=True)
    created_at = models.DateTimeField(_("failed at"), default=timezone.now, db_index=True)
    retried_at = models.DateTimeField(_("retried at"), null=True, blank=True)
    retry_task_id = models.CharField(_("retry's task id"), max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("failed task")
        verbose_name_plural = _("failed tasks")

    def __str__(self) -> str:
        return f"{self.task_name} ({self.task_id})"


class Moderation(FailedTask):
    class Meta:
        proxy = True
        verbose_name = _("moderation console")
        verbose_name_plural = _("moderation console")


class Jobs(FailedTask):
    class Meta:
        proxy = True
        verbose_name = _("queues, schedules and webhooks")
        verbose_name_plural = _("queues, schedules and webhooks")
