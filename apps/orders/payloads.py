"""An order's JSON, one shape everywhere: the REST API's responses, the webhooks' `data`, the
dashboard's live updates, the pack's `order.json`; the `pack.ready` event's `data`; and the
customer and address shapes the widget's API takes too. Serializers, so that the OpenAPI schema
documents exactly this.
"""

from django.db import connection
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.designs.models import DesignAsset
from apps.designs.signing import asset_url
from apps.products.models import MONEY
from apps.tenants.services import tenant_url

from .models import Order, OrderItem
from .signing import pack_url


def absolute_url(path: str, request=None) -> str:
    """`path` on the request's host, or on the workspace's own host (webhooks, tasks)."""
    if request is not None:
        return request.build_absolute_uri(path)
    return tenant_url(connection.tenant, path)


def item_previews(item: OrderItem) -> dict[str, str]:
    """Signed preview paths of the item's design, by view name (prefetched by the selectors)."""
    if item.design_id is None:
        return {}
    assets = getattr(item.design, "preview_assets", None)
    if assets is None:
        assets = item.design.assets.filter(kind=DesignAsset.Kind.PREVIEW_JPG).select_related("view")
    return {asset.view.name: asset_url(asset) for asset in assets if asset.view_id}


# --- output ---------------------------------------------------------------------------------


class CustomerSerializer(serializers.Serializer):
    email = serializers.EmailField(source="customer_email")
    name = serializers.CharField(source="customer_name")
    phone = serializers.CharField(source="customer_phone")


class AddressSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    line1 = serializers.CharField(required=False, allow_blank=True, max_length=200)
    line2 = serializers.CharField(required=False, allow_blank=True, max_length=200)
    city = serializers.CharField(required=False, allow_blank=True, max_length=100)
    postal_code = serializers.CharField(required=False, allow_blank=True, max_length=20)
    region = serializers.CharField(required=False, allow_blank=True, max_length=100)
    country = serializers.CharField(
        required=False, allow_blank=True, max_length=2, help_text="ISO 3166-1 alpha-2, e.g. `FR`."
    )
    phone = serializers.CharField(required=False, allow_blank=True, max_length=40)


class ItemOptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    price_delta = serializers.DecimalField(**MONEY)


class OrderItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    design = serializers.SerializerMethodField()
    product = serializers.SerializerMethodField()
    title = serializers.CharField()
    sku = serializers.CharField()
    options = ItemOptionSerializer(many=True)
    quantity = serializers.IntegerField()
    unit_price = serializers.DecimalField(**MONEY)
    total = serializers.DecimalField(**MONEY)
    previews = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="The design's public id, `dsg_…`."))
    def get_design(self, item: OrderItem) -> str | None:
        return item.design.public_id if item.design_id else None

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="The product's SKU."))
    def get_product(self, item: OrderItem) -> str | None:
        return item.product.sku if item.product_id else None

    @extend_schema_field(
        serializers.DictField(
            child=serializers.URLField(), help_text="Signed, expiring preview links by view name."
        )
    )
    def get_previews(self, item: OrderItem) -> dict[str, str]:
        request = self.context.get("request")
        return {view: absolute_url(path, request) for view, path in item_previews(item).items()}


class StatusChangeSerializer(serializers.Serializer):
    from_status = serializers.CharField(help_text="Empty for the order's creation.")
    to_status = serializers.ChoiceField(choices=Order.Status.choices)
    note = serializers.CharField()
    actor = serializers.CharField(help_text="`user:<email>`, `key:<prefix>`, `widget`, `shopify`…")
    created_at = serializers.DateTimeField()


class PackSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Order.PackStatus.choices, source="pack_status")
    url = serializers.SerializerMethodField()
    built_at = serializers.DateTimeField(source="pack_built_at", allow_null=True)
    error = serializers.CharField(source="pack_error")

    @extend_schema_field(
        serializers.URLField(allow_null=True, help_text="Signed, expiring zip link once `ready`.")
    )
    def get_url(self, order: Order) -> str | None:
        return pack_absolute_url(order, self.context.get("request"))


def pack_absolute_url(order: Order, request=None) -> str | None:
    """The ready pack's signed, expiring link; None until it is built."""
    path = pack_url(order)
    return absolute_url(path, request) if path else None


class OrderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(source="reference", help_text="`LU-000123`: use it in paths.")
    status = serializers.ChoiceField(choices=Order.Status.choices)
    source = serializers.ChoiceField(choices=Order.Source.choices)
    external_ref = serializers.CharField(help_text="The shop's order id (Shopify, WooCommerce).")
    customer = CustomerSerializer(source="*")
    shipping_address = AddressSerializer()
    billing_address = AddressSerializer()
    currency = serializers.CharField()
    subtotal = serializers.DecimalField(**MONEY)
    shipping_total = serializers.DecimalField(**MONEY)
    total = serializers.DecimalField(**MONEY)
    note = serializers.CharField()
    items = OrderItemSerializer(many=True)
    history = StatusChangeSerializer(many=True)
    pack = PackSerializer(source="*")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


def order_event_data(order: Order) -> dict:
    """The order as the API shows it, with links on the workspace's host (no request needed)."""
    return OrderSerializer(order).data


class PackReadySerializer(serializers.Serializer):
    order = serializers.CharField(source="reference")  # the order's number, LU-000123
    url = serializers.SerializerMethodField()  # signed, expiring
    size = serializers.IntegerField(source="pack.size")  # bytes
    built_at = serializers.DateTimeField(source="pack_built_at")

    def get_url(self, order: Order) -> str:
        return pack_absolute_url(order)


def pack_event_data(order: Order) -> dict:
    """The `pack.ready` event's `data`: the order's number and its ready pack, linked on the
    workspace's own host."""
    return PackReadySerializer(order).data


class CustomerInputSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    name = serializers.CharField(max_length=200)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
