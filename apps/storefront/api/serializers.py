"""Input and output shapes of the widget's API (documented in OpenAPI)."""

from rest_framework import serializers

from apps.core.api.serializers import StrictSerializer
from apps.designs.models import Design
from apps.designs.payloads import LayoutField, LayoutSerializer, TextLayerSerializer, TextLayersField
from apps.orders.payloads import AddressSerializer, CustomerInputSerializer


class ConfigQuerySerializer(serializers.Serializer):
    product = serializers.CharField(max_length=64, help_text="The product's SKU.")
    locale = serializers.CharField(
        required=False, help_text="`en`, `fr` or `zh-hans` (default: the brand's)."
    )


class SessionSerializer(serializers.Serializer):
    session = serializers.CharField(help_text="Send it back as `X-Luneo-Session`.")


class WidgetDesignCreateSerializer(serializers.Serializer):
    product = serializers.CharField(max_length=64, help_text="The product's SKU.")
    variant = serializers.IntegerField(required=False, allow_null=True)
    prompt = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, default="")
    style = serializers.CharField(required=False, allow_blank=True, default="")
    text_layers = TextLayersField(required=False, default=list)
    layout = LayoutField(required=False)
    photo = serializers.FileField(required=False)


class WidgetDesignEditSerializer(serializers.Serializer):
    layout = LayoutField(required=False)
    text_layers = TextLayersField(required=False)


class WidgetDesignEventSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["preview_ready", "add_to_cart"])


class WidgetDesignAcceptedSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="`dsg_…`")
    status = serializers.ChoiceField(choices=Design.Status.choices)
    links = serializers.DictField(child=serializers.CharField())


class WidgetDesignSerializer(serializers.Serializer):
    id = serializers.CharField()
    status = serializers.ChoiceField(choices=Design.Status.choices)
    step = serializers.CharField()
    progress = serializers.IntegerField()
    error = serializers.DictField(allow_null=True)
    previews = serializers.DictField(child=serializers.CharField(), help_text="View name → JPEG preview URL.")
    model_url = serializers.CharField(allow_null=True, help_text="The textured 3D model (.glb).")
    offline = serializers.BooleanField(help_text="Made by the offline generator, not an AI service.")
    editable = serializers.BooleanField(help_text="Ready, and no order holds it: it can be edited.")
    artwork_url = serializers.CharField(allow_null=True, help_text="The generated artwork (PNG).")
    photo_url = serializers.CharField(allow_null=True, help_text="The shopper's photo, if any.")
    layout = LayoutSerializer()
    text_layers = serializers.ListField(child=TextLayerSerializer())


class WidgetReorderSerializer(StrictSerializer):
    token = serializers.CharField(max_length=500, help_text="The `luneo_reorder` of the page's address.")


class WidgetReorderedDesignSerializer(WidgetDesignSerializer):
    product = serializers.CharField(help_text="The design's product (SKU).")
    variant = serializers.IntegerField(allow_null=True)
    prompt = serializers.CharField()
    style = serializers.CharField()


class WidgetOrderCreateSerializer(serializers.Serializer):
    """Documentation only: the service validates (422 `order_invalid` with every field's errors)."""

    design = serializers.CharField(help_text="A ready design of this shopper session (`dsg_…`).")
    quantity = serializers.IntegerField(min_value=1, default=1)
    options = serializers.ListField(child=serializers.IntegerField(), required=False)
    customer = CustomerInputSerializer()
    shipping_address = AddressSerializer()
    return_url = serializers.URLField(
        required=False,
        help_text="The shopper's page, where Stripe Checkout sends them back (when the brand takes payment).",
    )


class WidgetPaymentSerializer(serializers.Serializer):
    session = serializers.CharField(
        max_length=255, help_text="The `luneo_payment` Stripe put in the page's address."
    )


class WidgetOrderItemSerializer(serializers.Serializer):
    title = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = serializers.DecimalField(max_digits=10, decimal_places=2)
    total = serializers.DecimalField(max_digits=10, decimal_places=2)


class WidgetOrderSerializer(serializers.Serializer):
    number = serializers.CharField(source="reference", help_text="e.g. `LU-000123`")
    status = serializers.CharField()
    currency = serializers.CharField()
    subtotal = serializers.DecimalField(max_digits=10, decimal_places=2)
    shipping_total = serializers.DecimalField(max_digits=10, decimal_places=2)
    total = serializers.DecimalField(max_digits=10, decimal_places=2)
    items = WidgetOrderItemSerializer(many=True)
    payment_url = serializers.URLField(
        allow_null=True,
        help_text="Stripe Checkout, on the brand's account, to pay; null: an order request awaiting payment.",
    )
