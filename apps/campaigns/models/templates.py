from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Template(models.Model):
    """An e-mail in up to three languages. `content`: {"en": {"subject", "preheader", "blocks": [...]},
    "fr": {...}, "zh-hans": {...}}; a recipient gets their language's version, else
    `default_language`'s. Blocks: heading, text, image, button, products, divider,
    recommendations, rebuy_design (see `apps.campaigns.blocks`)."""

    name = models.CharField(_("name"), max_length=120)
    content = models.JSONField(_("content"), default=dict, blank=True)
    default_language = models.CharField(_("default language"), max_length=10, default="en")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("e-mail template")
        verbose_name_plural = _("e-mail templates")

    def __str__(self) -> str:
        return self.name
