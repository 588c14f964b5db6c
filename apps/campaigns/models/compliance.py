from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Suppression(models.Model):
    """An address no campaign may send to, whatever its consent: checked at send time."""

    class Reason(models.TextChoices):
        HARD_BOUNCE = "hard_bounce", _("Hard bounce")
        COMPLAINT = "complaint", _("Spam complaint")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        MANUAL = "manual", _("Added by the brand")
        ERASED = "erased", _("Data erased on request")

    email = models.CharField(_("email"), max_length=254, unique=True)  # normalised like crm e-mails
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    source = models.CharField(_("source"), max_length=60, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")

    def __str__(self) -> str:
        return self.email
