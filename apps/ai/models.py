"""AI usage log (per workspace schema): one row per provider call, successful or not."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AIUsage(models.Model):
    class Operation(models.TextChoices):
        IMAGE_GENERATE = "image.generate", _("Image generation")
        TEXT_MODERATE = "text.moderate", _("Text moderation")
        IMAGE_MODERATE = "image.moderate", _("Image moderation")
        TEXT_GENERATE = "text.generate", _("Text generation")

    provider = models.CharField(_("provider"), max_length=32)
    model = models.CharField(_("model"), max_length=100, blank=True)
    operation = models.CharField(_("operation"), max_length=32, choices=Operation.choices)
    units = models.PositiveIntegerField(
        _("units"), default=0, help_text=_("Images made or inputs moderated.")
    )
    tokens = models.PositiveIntegerField(
        _("tokens"), default=0, help_text=_("When the provider reports them.")
    )
    latency_ms = models.PositiveIntegerField(_("latency (ms)"))
    cost = models.DecimalField(_("estimated cost (USD)"), max_digits=12, decimal_places=6, default=0)
    design_id = models.BigIntegerField(_("design"), null=True, blank=True, db_index=True)
    ok = models.BooleanField(_("succeeded"), default=True)
    error_code = models.CharField(_("error code"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("AI usage record")
        verbose_name_plural = _("AI usage")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["provider", "operation", "created_at"])]

    def __str__(self) -> str:
        return f"{self.provider} {self.operation} {self.latency_ms} ms"
