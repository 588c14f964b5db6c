"""Input and output shapes of the designs API."""

from functools import cached_property

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.api.serializers import QuerySerializer

from ..errors import design_error_public
from ..models import Design
from ..payloads import (
    LayoutField,
    LayoutSerializer,
    TextLayerSerializer,
    TextLayersField,
    TransformSerializer,
)
from ..signing import asset_urls


class DesignCreateSerializer(serializers.Serializer):
    product = serializers.IntegerField(
        help_text="An active product of the workspace (404 otherwise; 409 if inactive)."
    )
    variant = serializers.IntegerField(required=False, allow_null=True)
    prompt = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        default="",
        help_text="1 to 1000 characters (422 `prompt_invalid` otherwise).",
    )
    style = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="A style preset key."
    )
    text_layers = TextLayersField(
        required=False,
        default=list,
        help_text="Up to 5 `{text, font, color, x, y, size, rotation}` (a JSON string in multipart forms).",
    )
    layout = LayoutField(required=False)
    photo = serializers.FileField(
        required=False,
        help_text="Multipart only: a PNG, JPEG, WebP or GIF photo (413/422 if too large or invalid).",
    )


class DesignEditSerializer(serializers.Serializer):
    layout = LayoutField(required=False)
    text_layers = TextLayersField(
        required=False, help_text="The design's text layers, all of them (`[]`: none)."
    )


class DesignFilterSerializer(QuerySerializer):
    status = serializers.ChoiceField(choices=Design.Status.choices, required=False)
    product = serializers.IntegerField(required=False)
    created_after = serializers.DateTimeField(required=False)


DESIGN_ID_HELP = "The design's id, `dsg_…`: the one to name it by in this API, orders, sockets and webhooks."


class DesignAcceptedSerializer(serializers.Serializer):
    id = serializers.CharField(help_text=DESIGN_ID_HELP)
    status = serializers.ChoiceField(choices=Design.Status.choices)
    links = serializers.DictField(
        child=serializers.CharField(), help_text="`self` (this API) and `events` (websocket)."
    )


class ErrorFieldSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class AssetSerializer(serializers.Serializer):
    url = serializers.CharField(
        help_text="Signed download link; it expires (ASSET_URL_MAX_AGE, 1 h by default)."
    )
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    dpi = serializers.IntegerField(allow_null=True)
    content_type = serializers.CharField()
    bytes = serializers.IntegerField()


DATETIME = serializers.DateTimeField()
TEXT_LAYER_FIELDS = TextLayerSerializer._declared_fields
TRANSFORM_FIELDS = TransformSerializer._declared_fields
LAYOUT_PARTS = tuple(LayoutSerializer._declared_fields)


def _numbers_and_strings(fields: dict, values: dict) -> dict:
    """A flat serializer's output for `values`: its fields in order, those present, numbers as floats."""
    return {
        name: float(values[name]) if isinstance(field, serializers.FloatField) else str(values[name])
        for name, field in fields.items()
        if name in values
    }


class DesignSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id", help_text=DESIGN_ID_HELP)
    status = serializers.ChoiceField(choices=Design.Status.choices)
    step = serializers.CharField()
    progress = serializers.IntegerField(min_value=0, max_value=100)
    warnings = serializers.ListField(child=serializers.CharField(), help_text="e.g. `low_dpi`.")
    error = serializers.SerializerMethodField()
    product = serializers.IntegerField(source="product_id")
    variant = serializers.IntegerField(source="variant_id", allow_null=True)
    parent = serializers.CharField(
        source="parent.public_id", allow_null=True, help_text="The design this one varies (`dsg_…`)."
    )
    prompt = serializers.CharField()
    style = serializers.CharField()
    text_layers = serializers.ListField(child=TextLayerSerializer())
    layout = LayoutSerializer()
    provider = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    assets = serializers.SerializerMethodField()

    def to_representation(self, design: Design) -> dict:
        """The fields above, rendered by hand: DRF's field-by-field walk cost ≈ 0.4 ms a design, most
        of a 50-design page. The declared fields still document the schema;
        tests/designs/test_api.py checks that both renderings agree."""
        return {
            "id": design.public_id,
            "status": design.status,
            "step": design.step,
            "progress": design.progress,
            "warnings": [str(warning) for warning in design.warnings],
            "error": self.get_error(design),
            "product": design.product_id,
            "variant": design.variant_id,
            "parent": design.parent.public_id if design.parent_id else None,
            "prompt": design.prompt,
            "style": design.style,
            "text_layers": [_numbers_and_strings(TEXT_LAYER_FIELDS, layer) for layer in design.text_layers],
            "layout": {
                part: _numbers_and_strings(TRANSFORM_FIELDS, design.layout[part]) for part in LAYOUT_PARTS
            },
            "provider": design.provider,
            "created_at": DATETIME.to_representation(design.created_at),
            "updated_at": DATETIME.to_representation(design.updated_at),
            "assets": self.get_assets(design),
        }

    @extend_schema_field(ErrorFieldSerializer(allow_null=True))
    def get_error(self, design: Design) -> dict | None:
        return design_error_public(code=design.error_code, message=design.error_message, spec=design.spec)

    @extend_schema_field(
        serializers.DictField(child=AssetSerializer(), help_text="By `<view>/<kind>` (or `<kind>`).")
    )
    def get_assets(self, design: Design) -> dict:
        return {key: {**value, "url": self._site + value["url"]} for key, value in asset_urls(design).items()}

    @cached_property
    def _site(self) -> str:
        """`scheme://host` of the request, once per page: asset paths come quoted from `reverse`, and
        `build_absolute_uri` quoting each of a page's ≈ 350 links again cost ≈ 5 ms."""
        return self.context["request"].build_absolute_uri("/").removesuffix("/")
