"""A design's JSON: what its sockets receive, what webhook receivers get, and the text-layer shape
that the designs API and the widget's API both take.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.hygiene import json_loads
from apps.tenants.services import public_url

from .errors import design_error_public
from .models import Design
from .signing import asset_urls

DESIGN_EVENT = "design.status"


def design_event(design: Design) -> dict:
    """What sockets receive for a design: its state, and its signed asset links once it has previews."""
    event = {
        "type": DESIGN_EVENT,
        "id": design.public_id,
        "status": design.status,
        "step": design.step,
        "progress": design.progress,
        # When the state was saved: a socket drops what is older than what it already sent.
        "at": design.updated_at.timestamp(),
    }
    if design.status in (Design.Status.EXPORTING, Design.Status.READY):  # previews exist from exporting on
        event["assets"] = {key: value["url"] for key, value in asset_urls(design).items()}
    return event


def design_webhook_data(design: Design) -> dict:
    """A design as webhook receivers get it: signed asset links (they expire) on the public host."""
    error = design_error_public(code=design.error_code, message=design.error_message, spec=design.spec)
    return {
        "id": design.public_id,
        "status": design.status,
        "product": design.product.sku,
        "variant": design.variant_id,
        "prompt": design.prompt,
        "error": error,
        "assets": {key: public_url(value["url"]) for key, value in asset_urls(design).items()},
        "created_at": design.created_at.isoformat(),
    }


class FormJSONField(serializers.JSONField):
    """JSON; multipart forms may send it as a JSON string."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = json_loads(data)
            except ValueError:
                raise serializers.ValidationError("Send JSON.") from None
        return super().to_internal_value(data)


class TextLayerSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=200)
    font = serializers.CharField(required=False, help_text="A bundled font's key, e.g. `dejavu-sans`.")
    color = serializers.CharField(required=False, help_text="`#rrggbb`, default black.")
    x = serializers.FloatField(required=False, help_text="Centre, 0–1 of the print area's width.")
    y = serializers.FloatField(required=False, help_text="Centre, 0–1 of the print area's height.")
    size = serializers.FloatField(required=False, help_text="Text height, 0–1 of the print area's height.")
    rotation = serializers.FloatField(required=False, help_text="Clockwise, -180–180 degrees.")


@extend_schema_field(TextLayerSerializer(many=True))
class TextLayersField(FormJSONField):
    """Text layers: a JSON list (not null: send `[]` or leave it out), a JSON string in multipart forms."""


class TransformSerializer(serializers.Serializer):
    x = serializers.FloatField(help_text="Centre, 0–1 of the print area's width.")
    y = serializers.FloatField(help_text="Centre, 0–1 of the print area's height.")
    scale = serializers.FloatField(
        help_text="0.05–4: 1 is the artwork covering the print area, the photo 1 fills it (default 0.6)."
    )
    rotation = serializers.FloatField(help_text="Clockwise, -180–180 degrees.")


class LayoutSerializer(serializers.Serializer):
    artwork = TransformSerializer()
    photo = TransformSerializer()


@extend_schema_field(LayoutSerializer)
class LayoutField(FormJSONField):
    """`{artwork, photo}`, each `{x, y, scale, rotation}` (parts left out keep their defaults); a JSON
    string in multipart forms. Checked by the designs service (422 `layout_invalid`)."""
