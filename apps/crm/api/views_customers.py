"""The customers API: list with filters, read, change contact fields and consent, a customer's
recommendations, and the segments with their counts and value."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.response import Response

from apps.core.api.serializers import validated

from ..models import Customer
from ..scoring.customers import customer_get, customer_list, customer_recommendations, segment_summary
from ..services import customer_update
from .serializers_customers import (
    CustomerFilterSerializer,
    CustomerOutputSerializer,
    CustomerUpdateSerializer,
    RecommendationListSerializer,
    RecommendationSerializer,
    SegmentListSerializer,
)

READ = {"GET": "customers:read"}
WRITE = {"PATCH": "customers:write"}
CUSTOMER_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The customer's id."
)


def _customer_or_404(pk: int) -> Customer:
    customer = customer_get(pk=pk)
    if customer is None:
        raise Http404
    return customer


class CustomerListView(ListAPIView):
    required_scopes = READ
    serializer_class = CustomerOutputSerializer

    @extend_schema(
        parameters=[CustomerFilterSerializer],
        summary="List customers, newest first",
        description="Each with their consent and, after a refresh, their RFM scores, segment and estimates.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return customer_list(**validated(CustomerFilterSerializer, self.request.query_params))


class CustomerDetailView(GenericAPIView):
    required_scopes = {**READ, **WRITE}
    serializer_class = CustomerOutputSerializer

    @extend_schema(parameters=[CUSTOMER_ID], summary="A customer: contact, consent, RFM and estimates")
    def get(self, request, pk: int):
        return Response(CustomerOutputSerializer(_customer_or_404(pk)).data)

    @extend_schema(
        parameters=[CUSTOMER_ID],
        request=CustomerUpdateSerializer,
        responses={200: CustomerOutputSerializer},
        summary="Change a customer's contact fields or consent",
        description=(
            "Only the fields sent change; unknown fields are a 400. A `marketing_consent` that changes "
            "records `consent.changed_at` (now) and `consent.source` (`consent_source`, default `api`)."
        ),
    )
    def patch(self, request, pk: int):
        customer = _customer_or_404(pk)
        customer_update(customer=customer, **validated(CustomerUpdateSerializer, request.data))
        return Response(CustomerOutputSerializer(customer_get(pk=pk)).data)


class CustomerRecommendationsView(GenericAPIView):
    required_scopes = READ
    serializer_class = RecommendationListSerializer
    pagination_class = None

    @extend_schema(
        parameters=[CUSTOMER_ID],
        summary="A customer's recommendations, best first, each with its reason",
        description="At most a handful per customer (a setting); `reason_text` in the request's language.",
    )
    def get(self, request, pk: int):
        customer = _customer_or_404(pk)
        rows = RecommendationSerializer(customer_recommendations(customer=customer), many=True).data
        return Response({"customer": customer.pk, "results": rows})


class SegmentListView(GenericAPIView):
    required_scopes = READ
    serializer_class = SegmentListSerializer
    pagination_class = None

    @extend_schema(summary="Every RFM segment with its customers and their net amount")
    def get(self, request):
        return Response(SegmentListSerializer(segment_summary()).data)
