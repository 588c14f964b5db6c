"""Input and output shapes of the catalog API."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.brands.models import Brand
from apps.core.api.serializers import QuerySerializer, StrictSerializer
from apps.core.hygiene import json_loads

from ..models import NAME_LANGUAGES, Currency, Product, Variant, View

MONEY = {"max_digits": 10, "decimal_places": 2}
NAME_TRANSLATIONS_HELP = (
    f"The name in other languages ({', '.join(f'`{code}`' for code in NAME_LANGUAGES)}), "
    'e.g. `{"fr": "Affiche", "zh-hans": "海报"}`; shoppers reading another language see `name`. '
    "Replaces the stored ones; an empty name removes that language."
)


@extend_schema_field(
    {
        "type": "object",
        "properties": {code: {"type": "string"} for code in NAME_LANGUAGES},
        "additionalProperties": False,
    }
)
class NameTranslationsField(serializers.Field):
    """{language: name}, as JSON or (in multipart forms) a JSON string; the model checks the rest."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = json_loads(data) if data.strip() else {}
            except ValueError as exc:
                raise serializers.ValidationError(
                    _('Give the names as JSON: {"fr": "…", "zh-hans": "…"}.')
                ) from exc
        if not isinstance(data, dict) or not all(isinstance(name, str) for name in data.values()):
            raise serializers.ValidationError(
                _('Give the names by language, e.g. {"fr": "…", "zh-hans": "…"}.')
            )
        return data

    def to_representation(self, value):
        return value if isinstance(value, dict) else {}


def name_translations_input():
    return NameTranslationsField(required=False, help_text=NAME_TRANSLATIONS_HELP)


def name_translations_output():
    return NameTranslationsField(help_text="The name in other languages, by language code.")


class ProductFilterSerializer(QuerySerializer):
    status = serializers.ChoiceField(choices=Product.Status.choices, required=False)
    brand = serializers.IntegerField(required=False, min_value=1, help_text="Only this brand's products.")
    search = serializers.CharField(required=False, max_length=200, help_text="Text in the name or the SKU.")


class ProductInputSerializer(StrictSerializer):
    brand = serializers.PrimaryKeyRelatedField(queryset=Brand.objects.all(), allow_null=True, required=False)
    sku = serializers.CharField(max_length=64, help_text="Unique in the workspace.")
    name = serializers.CharField(max_length=200)
    name_translations = name_translations_input()
    description = serializers.CharField(required=False, allow_blank=True)
    price = serializers.DecimalField(**MONEY, min_value=Decimal(0))
    currency = serializers.ChoiceField(choices=Currency.choices, required=False)
    status = serializers.ChoiceField(choices=Product.Status.choices, required=False)
    shape = serializers.ChoiceField(choices=Product.Shape.choices, required=False)
    base_model = serializers.FileField(
        required=False,
        write_only=True,
        help_text="A binary glTF (.glb), multipart; required for `custom_glb`.",
    )


class VariantInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=100)
    name_translations = name_translations_input()
    sku_suffix = serializers.CharField(
        max_length=32, help_text="Unique in the product; the variant's SKU is `<sku>-<suffix>`."
    )
    attributes = serializers.DictField(required=False, help_text='e.g. {"colour": "red", "size": "M"}')
    price_delta = serializers.DecimalField(**MONEY, required=False)


class OptionInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=100)
    name_translations = name_translations_input()
    price_delta = serializers.DecimalField(**MONEY, required=False)


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
        "minItems": 3,
    }
)
class PointsField(serializers.Field):
    """[[x, y], …] in mockup pixels, as JSON or (in multipart forms) a JSON string."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = json_loads(data)
            except ValueError as exc:
                raise serializers.ValidationError(_("Give the points as JSON: [[x, y], …].")) from exc
        if not isinstance(data, list):
            raise serializers.ValidationError(_("Give the points as a list: [[x, y], …]."))
        return data

    def to_representation(self, value):
        return value


class ViewInputSerializer(StrictSerializer):
    variant = serializers.PrimaryKeyRelatedField(
        queryset=Variant.objects.all(),
        allow_null=True,
        required=False,
        help_text="This variant's own mockup.",
    )
    name = serializers.CharField(max_length=50, help_text="e.g. front, back")
    name_translations = name_translations_input()
    mockup = serializers.FileField(help_text="The mockup image (PNG, JPEG, WebP); checked and re-encoded.")
    mask = serializers.FileField(required=False, help_text="Optional mask: white where the artwork shows.")
    area_shape = serializers.ChoiceField(choices=View.AreaShape.choices, required=False)
    area_points = PointsField(help_text="[[x, y], …] in mockup pixels; a rectangle has its four corners.")
    width_mm = serializers.DecimalField(max_digits=7, decimal_places=2, min_value=Decimal("0.01"))
    height_mm = serializers.DecimalField(max_digits=7, decimal_places=2, min_value=Decimal("0.01"))
    dpi = serializers.IntegerField(min_value=72, max_value=1200, required=False)
    bleed_mm = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=Decimal(0), required=False)
    safe_mm = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=Decimal(0), required=False)
    blend_mode = serializers.ChoiceField(choices=View.BlendMode.choices, required=False)
    position = serializers.IntegerField(min_value=0, max_value=1000, required=False)


class VariantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_translations = name_translations_output()
    sku_suffix = serializers.CharField()
    sku = serializers.CharField()
    attributes = serializers.DictField()
    price_delta = serializers.DecimalField(**MONEY)
    created_at = serializers.DateTimeField()


class OptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_translations = name_translations_output()
    price_delta = serializers.DecimalField(**MONEY)
    created_at = serializers.DateTimeField()


class ViewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    variant = serializers.IntegerField(source="variant_id", allow_null=True)
    name = serializers.CharField()
    name_translations = name_translations_output()
    mockup_width = serializers.IntegerField()
    mockup_height = serializers.IntegerField()
    has_mask = serializers.SerializerMethodField()
    area_shape = serializers.CharField()
    area_points = PointsField()
    width_mm = serializers.DecimalField(max_digits=7, decimal_places=2)
    height_mm = serializers.DecimalField(max_digits=7, decimal_places=2)
    dpi = serializers.IntegerField()
    bleed_mm = serializers.DecimalField(max_digits=5, decimal_places=2)
    safe_mm = serializers.DecimalField(max_digits=5, decimal_places=2)
    print_size_px = serializers.ListField(
        child=serializers.IntegerField(), help_text="The print file's [width, height]: (area + bleed) × DPI."
    )
    blend_mode = serializers.CharField()
    position = serializers.IntegerField()
    created_at = serializers.DateTimeField()

    def get_has_mask(self, view) -> bool:
        return bool(view.mask)


class ProductSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    brand = serializers.IntegerField(source="brand_id", allow_null=True)
    sku = serializers.CharField()
    name = serializers.CharField()
    name_translations = name_translations_output()
    description = serializers.CharField()
    price = serializers.DecimalField(**MONEY)
    currency = serializers.CharField()
    status = serializers.CharField()
    shape = serializers.CharField()
    has_base_model = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_has_base_model(self, product) -> bool:
        return bool(product.base_model)


class ProductDetailSerializer(ProductSerializer):
    variants = VariantSerializer(many=True)
    views = ViewSerializer(many=True)
    options = OptionSerializer(many=True)
