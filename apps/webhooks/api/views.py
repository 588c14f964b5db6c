"""The webhooks API: endpoints (the signing secret shown once), their delivery logs, redelivery."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.response import Response

from apps.core.api.serializers import validated

from .. import services
from ..selectors import delivery_get, delivery_list, endpoint_get, endpoint_list
from .serializers import (
    DeliveryFilterSerializer,
    DeliverySerializer,
    EndpointInputSerializer,
    EndpointSerializer,
    EndpointUpdateSerializer,
    EndpointWithSecretSerializer,
)

SCOPE = "webhooks:write"  # reads too: an endpoint's deliveries show what the brand's systems answer
SCOPES = {"GET": SCOPE, "POST": SCOPE, "PATCH": SCOPE, "DELETE": SCOPE}
URL_ERRORS = "422 `webhook_url_invalid`, `webhook_url_forbidden`, `webhook_events_invalid`"


def _with_secret(endpoint, secret: str) -> dict:
    return EndpointWithSecretSerializer({**EndpointSerializer(endpoint).data, "secret": secret}).data


def _accepted(delivery) -> Response:
    """202 with the delivery as the log shows it (its attempts read afresh)."""
    return Response(DeliverySerializer(delivery_get(pk=delivery.pk)).data, status=status.HTTP_202_ACCEPTED)


class EndpointListView(ListAPIView):
    required_scopes = SCOPES
    serializer_class = EndpointSerializer

    @extend_schema(summary="List webhook endpoints, newest first")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=EndpointInputSerializer,
        responses={201: EndpointWithSecretSerializer},
        summary="Register a webhook endpoint",
        description=(
            "The answer holds the endpoint's signing secret (`whsec_…`), once: store it to verify "
            f"the `Luneo-Signature` header (see docs/webhooks.md). Errors: {URL_ERRORS}, "
            "`webhook_description_invalid`."
        ),
    )
    def post(self, request):
        data = validated(EndpointInputSerializer, request.data)
        endpoint, secret = services.endpoint_create(**data)
        return Response(_with_secret(endpoint, secret), status=status.HTTP_201_CREATED)

    def get_queryset(self):
        return endpoint_list()


class EndpointDetailView(GenericAPIView):
    required_scopes = SCOPES
    serializer_class = EndpointSerializer

    @extend_schema(summary="A webhook endpoint")
    def get(self, request, pk: int):
        return Response(EndpointSerializer(endpoint_get(pk=pk)).data)

    @extend_schema(
        request=EndpointUpdateSerializer,
        summary="Change a webhook endpoint",
        description=f"Only the fields sent change. Errors: {URL_ERRORS}.",
    )
    def patch(self, request, pk: int):
        endpoint = endpoint_get(pk=pk)
        data = dict(validated(EndpointUpdateSerializer, request.data, partial=True))
        is_active = data.pop("is_active", None)
        endpoint = services.endpoint_update(endpoint=endpoint, **data)
        if is_active is True and not endpoint.is_active:
            endpoint = services.endpoint_enable(endpoint=endpoint)
        elif is_active is False and endpoint.is_active:
            endpoint = services.endpoint_disable(endpoint=endpoint)
        return Response(EndpointSerializer(endpoint).data)

    @extend_schema(responses={204: None}, summary="Delete a webhook endpoint and its delivery log")
    def delete(self, request, pk: int):
        services.endpoint_delete(endpoint=endpoint_get(pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class EndpointRotateSecretView(GenericAPIView):
    required_scopes = SCOPES
    serializer_class = EndpointWithSecretSerializer

    @extend_schema(
        request=None,
        responses={200: EndpointWithSecretSerializer},
        summary="Replace an endpoint's signing secret",
        description="The new secret is in this answer only; it signs every attempt from now on.",
    )
    def post(self, request, pk: int):
        endpoint, secret = services.endpoint_secret_rotate(endpoint=endpoint_get(pk=pk))
        return Response(_with_secret(endpoint, secret))


class EndpointTestView(GenericAPIView):
    required_scopes = SCOPES
    serializer_class = DeliverySerializer

    @extend_schema(
        request=None,
        responses={202: DeliverySerializer},
        summary="Send a test event to an endpoint",
        description=(
            "Queues a signed `ping` event for this endpoint alone (also a disabled one), sent at once "
            "through the normal delivery and tried once; follow it in the endpoint's deliveries. One "
            "test per endpoint every 10 seconds: 429 `webhook_test_too_soon` with `details.retry_after`."
        ),
    )
    def post(self, request, pk: int):
        delivery = services.endpoint_test(endpoint=endpoint_get(pk=pk))
        return _accepted(delivery)


class EndpointDeliveryListView(ListAPIView):
    required_scopes = SCOPES
    serializer_class = DeliverySerializer

    @extend_schema(
        parameters=[DeliveryFilterSerializer],
        summary="An endpoint's deliveries, newest first, with every attempt",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        filters = validated(DeliveryFilterSerializer, self.request.query_params)
        return delivery_list(endpoint=endpoint_get(pk=self.kwargs["pk"]), status=filters.get("status"))


class DeliveryRedeliverView(GenericAPIView):
    required_scopes = SCOPES
    serializer_class = DeliverySerializer

    @extend_schema(
        request=None,
        responses={202: DeliverySerializer},
        summary="Send a delivery again now",
        description=(
            "Queues a new attempt at once, also for a delivery that succeeded or was given up; the "
            "endpoint is not re-enabled. 409 `delivery_in_progress` while an attempt is being sent."
        ),
    )
    def post(self, request, pk: int):
        delivery = services.delivery_redeliver(delivery=delivery_get(pk=pk))
        return _accepted(delivery)
