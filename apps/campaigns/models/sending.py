from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class SendingSettings(models.Model):
    """How the workspace's campaigns leave (one row per workspace, made when first saved): its own
    Brevo account (the API key encrypted at rest), sender address and rate. Empty fields fall back
    to the platform's settings (BREVO_API_KEY, CAMPAIGNS_FROM_EMAIL, CAMPAIGNS_RATE_PER_MINUTE)."""

    brevo_api_key = models.TextField(blank=True)  # encrypted (apps.core.crypto)
    brevo_key_hint = models.CharField(max_length=12, blank=True)  # its last characters, to recognise it
    from_email = models.EmailField(_("sender address"), blank=True)
    rate_per_minute = models.PositiveIntegerField(
        _("messages per minute"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sending settings")
        verbose_name_plural = _("sending settings")

    def __str__(self) -> str:
        return "sending settings"
