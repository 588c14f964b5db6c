"""A brand of the workspace: its look, where its widget may run, and what shoppers may do."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.hygiene import single_line
from apps.core.uploads import RandomPath

from .countries import country_code_validate
from .fonts import DEFAULT_FONT, FONT_CHOICES

HEX_COLOR = r"^#[0-9A-Fa-f]{6}$"
hex_color_validator = RegexValidator(HEX_COLOR, _("Enter a colour as #RRGGBB, e.g. #1F2937."))


class Brand(models.Model):
    name = models.CharField(_("name"), max_length=100, validators=[single_line])
    logo = models.FileField(_("logo"), upload_to=RandomPath("brands/logos"), blank=True)
    primary_color = models.CharField(
        _("primary colour"), max_length=7, default="#111827", validators=[hex_color_validator]
    )
    secondary_color = models.CharField(
        _("secondary colour"), max_length=7, default="#6366F1", validators=[hex_color_validator]
    )
    font = models.CharField(_("font"), max_length=32, choices=FONT_CHOICES, default=DEFAULT_FONT)
    default_language = models.CharField(
        _("default language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    allowed_origins = ArrayField(
        models.CharField(max_length=200),
        default=list,
        blank=True,
        verbose_name=_("allowed origins"),
        help_text=_("Websites where the widget may run, e.g. https://shop.example"),
    )
    blocked_words = ArrayField(
        models.CharField(max_length=100), default=list, blank=True, verbose_name=_("blocked words")
    )
    allow_photo_upload = models.BooleanField(_("shoppers may upload a photo"), default=True)
    allow_text_layers = models.BooleanField(_("shoppers may add text"), default=True)
    # The widget's own checkout, for shops without a cart of their own (apps/storefront/payments.py).
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        validators=[country_code_validate],
        help_text=_("Where the brand ships from: the checkout's default country. Two letters, e.g. FR."),
    )
    stripe_secret_key = models.TextField(blank=True, editable=False)  # encrypted (apps.core.crypto)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="brand_unique_name"),
            models.CheckConstraint(condition=~models.Q(name=""), name="brand_name_not_empty"),
            models.CheckConstraint(
                condition=models.Q(primary_color__regex=HEX_COLOR), name="brand_primary_hex"
            ),
            models.CheckConstraint(
                condition=models.Q(secondary_color__regex=HEX_COLOR), name="brand_secondary_hex"
            ),
        ]

    def __str__(self) -> str:
        return self.name
