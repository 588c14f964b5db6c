"""The orders API's query and input shapes; its output shapes are the order's payloads (`..payloads`)."""

from rest_framework import serializers

from apps.core.api.serializers import QuerySerializer

from ..errors import OrderInvalid
from ..models import Order
from ..payloads import AddressSerializer, CustomerInputSerializer

# --- input ----------------------------------------------------------------------------------


class OrderItemInputSerializer(serializers.Serializer):
    design = serializers.CharField(help_text="A ready design's public id, `dsg_…`.")
    quantity = serializers.IntegerField(default=1, help_text="1 to 1000.")
    options = serializers.ListField(
        child=serializers.IntegerField(), default=list, help_text="Ids of the product's options."
    )


class OrderCreateSerializer(serializers.Serializer):
    items = OrderItemInputSerializer(many=True, help_text="1 to 50 lines; prices come from the catalog.")
    customer = CustomerInputSerializer()
    shipping_address = AddressSerializer(help_text="`line1`, `city`, `postal_code`, `country` required.")
    billing_address = AddressSerializer(required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

    def validate_or_422(self) -> dict:
        """The validated data; field errors answer 422 `order_invalid` like the service's own."""
        if not self.is_valid():
            raise OrderInvalid(details={"fields": flat_errors(self.errors)})
        return self.validated_data


def flat_errors(errors, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested errors as {"customer.email": [...], "items.0.quantity": [...]}."""
    if isinstance(errors, dict):
        pairs = errors.items()
    elif errors and all(isinstance(error, dict | list) for error in errors):
        pairs = ((str(index), error) for index, error in enumerate(errors))
    else:
        return {prefix or "non_field_errors": [str(error) for error in errors]}
    flat: dict[str, list[str]] = {}
    for key, error in pairs:
        if error:
            flat.update(flat_errors(error, f"{prefix}.{key}" if prefix else str(key)))
    return flat


class OrderTransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Order.Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class OrderFilterSerializer(QuerySerializer):
    status = serializers.ChoiceField(choices=Order.Status.choices, required=False)
    source = serializers.ChoiceField(choices=Order.Source.choices, required=False)
    search = serializers.CharField(
        required=False,
        max_length=200,
        help_text="A number (`LU-000123` or `123`), or part of an email or name.",
    )
    created_after = serializers.DateTimeField(required=False)
    created_before = serializers.DateTimeField(required=False)
