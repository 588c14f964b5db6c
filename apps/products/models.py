"""The catalog: products, their variants, views (mockup + print area) and priced options."""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.brands.models import Brand
from apps.core.hygiene import single_line
from apps.core.uploads import RandomPath

MONEY = {"max_digits": 10, "decimal_places": 2}
MM = {"max_digits": 7, "decimal_places": 2}
HEX_COLOUR = re.compile(r"\A#[0-9a-fA-F]{6}\Z")  # a variant attribute with such a value is a swatch


# The languages a name may be given in besides the default name (which is the English one).
NAME_LANGUAGES = ("fr", "zh-hans")


@deconstructible
class NameTranslationsValidator:
    """`{"fr": "…", "zh-hans": "…"}`: only NAME_LANGUAGES, each a single line of text up to
    `max_length` characters."""

    def __init__(self, max_length: int):
        self.max_length = max_length

    def __call__(self, value) -> None:
        if not isinstance(value, dict):
            raise ValidationError(
                _('Give the names by language, e.g. {"fr": "…", "zh-hans": "…"}.'), code="invalid"
            )
        unknown = sorted(str(key) for key in value if key not in NAME_LANGUAGES)
        if unknown:
            raise ValidationError(
                _("Names are given in %(languages)s only, not in %(unknown)s."),
                code="unknown_language",
                params={"languages": ", ".join(NAME_LANGUAGES), "unknown": ", ".join(unknown)},
            )
        for name in value.values():
            if not isinstance(name, str) or not name.strip():
                raise ValidationError(_("Each translated name is a non-empty text."), code="invalid")
            if len(name) > self.max_length:
                raise ValidationError(
                    _("A translated name has at most %(max)d characters."),
                    code="max_length",
                    params={"max": self.max_length},
                )
            single_line(name)

    def __eq__(self, other) -> bool:
        return isinstance(other, NameTranslationsValidator) and other.max_length == self.max_length


def name_translations_field(max_length: int) -> models.JSONField:
    return models.JSONField(
        _("translated names"),
        default=dict,
        blank=True,
        validators=[NameTranslationsValidator(max_length)],
        help_text=_('The name in other languages, e.g. {"fr": "…", "zh-hans": "…"}.'),
    )


class TranslatedName:
    """A catalog row whose `name` has translations: `localized_name` is the one shoppers read."""

    name: str
    name_translations: dict

    def name_in(self, language: str | None) -> str:
        """The name in `language` (e.g. "fr", "fr-ca", "zh-hans"), else the default name."""
        translations = self.name_translations if isinstance(self.name_translations, dict) else {}
        language = (language or "").lower().replace("_", "-")
        base = language.split("-")[0]
        found = translations.get(language) or next(
            (name for key, name in translations.items() if key.split("-")[0] == base), ""
        )
        return found or self.name

    @property
    def localized_name(self) -> str:
        return self.name_in(get_language())


class Currency(models.TextChoices):
    EUR = "EUR", "EUR"
    USD = "USD", "USD"
    GBP = "GBP", "GBP"
    CHF = "CHF", "CHF"
    CAD = "CAD", "CAD"
    AUD = "AUD", "AUD"
    JPY = "JPY", "JPY"
    CNY = "CNY", "CNY"


class Product(TranslatedName, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    class Shape(models.TextChoices):
        FLAT = "flat", _("Flat (poster, card)")
        MUG = "mug", _("Mug (cylinder)")
        TSHIRT = "tshirt", _("T-shirt")
        TOTE = "tote", _("Tote bag")
        PHONE_CASE = "phone_case", _("Phone case")
        CUSTOM_GLB = "custom_glb", _("Uploaded 3D model (.glb)")

    brand = models.ForeignKey(
        Brand,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("brand"),
    )
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    name_translations = name_translations_field(200)
    description = models.TextField(_("description"), blank=True)
    price = models.DecimalField(_("price"), **MONEY, validators=[MinValueValidator(Decimal(0))])
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    shape = models.CharField(_("3D shape"), max_length=16, choices=Shape.choices, default=Shape.FLAT)
    base_model = models.FileField(_("3D model (.glb)"), upload_to=RandomPath("products/models"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="product_price_not_negative"),
            models.CheckConstraint(condition=~Q(sku=""), name="product_sku_not_empty"),
            models.CheckConstraint(condition=~Q(name=""), name="product_name_not_empty"),
            models.CheckConstraint(
                condition=~Q(shape="custom_glb") | ~Q(base_model=""), name="product_custom_glb_has_model"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.sku})"


class Variant(TranslatedName, models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    name = models.CharField(_("name"), max_length=100, validators=[single_line])
    name_translations = name_translations_field(100)
    sku_suffix = models.CharField(_("SKU suffix"), max_length=32)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    price_delta = models.DecimalField(_("price difference"), **MONEY, default=Decimal(0))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["product", "sku_suffix"], name="variant_unique_suffix"),
            models.CheckConstraint(condition=~Q(sku_suffix=""), name="variant_suffix_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.product.sku}-{self.sku_suffix}"

    @property
    def sku(self) -> str:
        return f"{self.product.sku}-{self.sku_suffix}"

    @property
    def attribute_list(self) -> list[tuple[str, object, bool]]:
        """(name, value, is a colour swatch) for each attribute."""
        return [
            (name, value, isinstance(value, str) and bool(HEX_COLOUR.match(value)))
            for name, value in self.attributes.items()
        ]


class View(TranslatedName, models.Model):
    """One side of a product (front, back…): a mockup image and where the artwork is printed on it.

    The print area is drawn in mockup pixels (`area_points`, [x, y] pairs; a rectangle has four)
    and has a physical size in millimetres, printed at `dpi` with `bleed_mm` of extra artwork
    around it and `safe_mm` inside its edge where text should not go. A view with a `variant`
    is that variant's own mockup of the side, used instead of the product's.
    """

    class AreaShape(models.TextChoices):
        RECT = "rect", _("Rectangle")
        POLYGON = "polygon", _("Polygon")

    class BlendMode(models.TextChoices):
        NORMAL = "normal", _("Normal")
        MULTIPLY = "multiply", _("Multiply (fabric, paper texture)")
        ENGRAVE = "engrave", _("Engrave")

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="views")
    variant = models.ForeignKey(
        Variant, on_delete=models.CASCADE, null=True, blank=True, related_name="views"
    )
    name = models.CharField(_("name"), max_length=50, validators=[single_line])
    name_translations = name_translations_field(50)
    mockup = models.FileField(_("mockup image"), upload_to=RandomPath("products/mockups"))
    mockup_width = models.PositiveIntegerField()
    mockup_height = models.PositiveIntegerField()
    area_shape = models.CharField(
        _("print area shape"), max_length=8, choices=AreaShape.choices, default=AreaShape.RECT
    )
    area_points = models.JSONField(_("print area points"), help_text=_("[[x, y], …] in mockup pixels"))
    width_mm = models.DecimalField(_("print width (mm)"), **MM)
    height_mm = models.DecimalField(_("print height (mm)"), **MM)
    dpi = models.PositiveSmallIntegerField(
        _("target DPI"), default=300, validators=[MinValueValidator(72), MaxValueValidator(1200)]
    )
    bleed_mm = models.DecimalField(_("bleed (mm)"), max_digits=5, decimal_places=2, default=Decimal(3))
    safe_mm = models.DecimalField(_("safe margin (mm)"), max_digits=5, decimal_places=2, default=Decimal(3))
    mask = models.FileField(_("mask image"), upload_to=RandomPath("products/masks"), blank=True)
    blend_mode = models.CharField(
        _("blend mode"), max_length=16, choices=BlendMode.choices, default=BlendMode.NORMAL
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)  # what was drawn from it before is stale

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "name"], condition=Q(variant__isnull=True), name="view_unique_name"
            ),
            models.UniqueConstraint(
                fields=["variant", "name"],
                condition=Q(variant__isnull=False),
                name="view_unique_variant_name",
            ),
            models.CheckConstraint(condition=Q(width_mm__gt=0, height_mm__gt=0), name="view_size_positive"),
            models.CheckConstraint(condition=Q(dpi__gte=72, dpi__lte=1200), name="view_dpi_range"),
            models.CheckConstraint(
                condition=Q(bleed_mm__gte=0, safe_mm__gte=0), name="view_margins_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(mockup_width__gt=0, mockup_height__gt=0), name="view_mockup_size"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product.sku} · {self.name}"

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """The print area's bounding box in mockup pixels: (left, top, right, bottom)."""
        xs = [point[0] for point in self.area_points]
        ys = [point[1] for point in self.area_points]
        return min(xs), min(ys), max(xs), max(ys)

    @property
    def print_size_px(self) -> tuple[int, int]:
        """The print file's size in pixels: (print area + bleed on each side) × DPI."""
        return tuple(
            round((size + 2 * self.bleed_mm) / Decimal("25.4") * self.dpi)
            for size in (self.width_mm, self.height_mm)
        )

    @property
    def svg_points(self) -> str:
        return " ".join(f"{x},{y}" for x, y in self.area_points)


class Option(TranslatedName, models.Model):
    """A priced extra the shopper may pick, e.g. "Premium print" +5."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="options")
    name = models.CharField(_("name"), max_length=100, validators=[single_line])
    name_translations = name_translations_field(100)
    price_delta = models.DecimalField(_("price difference"), **MONEY, default=Decimal(0))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["product", "name"], name="option_unique_name"),
            models.CheckConstraint(condition=~Q(name=""), name="option_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name
