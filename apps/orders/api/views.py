"""The orders API: list, create, read, move status, build and download the production pack.

Paths name an order by its number: `LU-000123` or `123`.
"""

from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.response import Response

from apps.tenants.api.idempotency import idempotent

from ..errors import PackNotReady
from ..models import Order
from ..pack import order_pack_request
from ..payloads import OrderSerializer, PackSerializer
from ..selectors import order_details, order_get, order_list, order_number_parse
from ..services import ItemInput, order_create, order_transition
from ..signing import pack_url
from .serializers import OrderCreateSerializer, OrderFilterSerializer, OrderTransitionSerializer

READ = {"GET": "orders:read"}
WRITE = {"POST": "orders:write"}
NUMBER = OpenApiParameter(
    "number",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The order's number: `LU-000123` or `123`.",
)


def _order_or_404(number: str) -> Order:
    parsed = order_number_parse(number)
    order = order_get(number=parsed) if parsed is not None else None
    if order is None:
        raise Http404
    return order


def _render(request, order: Order, code: int = status.HTTP_200_OK, **headers) -> Response:
    return Response(OrderSerializer(order, context={"request": request}).data, status=code, headers=headers)


def _actor(request) -> str:
    return f"key:{request.auth.prefix}"


class OrderListView(ListAPIView):
    required_scopes = {**READ, **WRITE}
    serializer_class = OrderSerializer

    @extend_schema(parameters=[OrderFilterSerializer], summary="List orders, newest first")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=OrderCreateSerializer,
        responses={201: OrderSerializer},
        summary="Create an order of ready designs",
        description=(
            "Each line orders a ready design (`dsg_…`) with a quantity and the product's option ids. "
            "Prices and totals are computed from the catalog (product + variant + options) × "
            "quantity. Errors: 422 `order_invalid` with `details.fields` (e.g. `customer.email`, "
            "`shipping_address.country`, `items.0.quantity`), 422 `currency_mismatch`; "
            "404 `design_not_found`; 409 `design_not_ready`, `product_unavailable`."
        ),
    )
    @idempotent
    def post(self, request):
        data = OrderCreateSerializer(data=request.data).validate_or_422()
        items = [
            ItemInput(design=item["design"], quantity=item["quantity"], options=item["options"])
            for item in data["items"]
        ]
        order = order_create(
            source=Order.Source.API,
            items=items,
            customer=data["customer"],
            shipping_address=data["shipping_address"],
            billing_address=data.get("billing_address"),
            note=data["note"],
            api_key_prefix=request.auth.prefix,
            actor=_actor(request),
        )
        order = order_get(number=order.number)
        location = request.build_absolute_uri(reverse("orders-api:order", args=[order.reference]))
        return _render(request, order, status.HTTP_201_CREATED, Location=location)

    def get_queryset(self):
        serializer = OrderFilterSerializer(data=self.request.query_params)
        serializer.is_valid(raise_exception=True)
        return order_details(order_list(**serializer.validated_data))


class OrderDetailView(GenericAPIView):
    required_scopes = READ
    serializer_class = OrderSerializer

    @extend_schema(parameters=[NUMBER], summary="An order: items, previews, history and production pack")
    def get(self, request, number: str):
        return _render(request, _order_or_404(number))


class OrderTransitionView(GenericAPIView):
    required_scopes = WRITE
    serializer_class = OrderSerializer

    @extend_schema(
        parameters=[NUMBER],
        request=OrderTransitionSerializer,
        responses={200: OrderSerializer, 409: OpenApiResponse(description="`order_transition_not_allowed`")},
        summary="Move an order to another status",
        description=(
            "`pending → paid → in_production → shipped → delivered`; `cancelled` from pending, paid "
            "or in production; `refunded` from paid onwards. Any other move answers 409 "
            "`order_transition_not_allowed` with `details.allowed`. Moving to `paid` builds the "
            "production pack."
        ),
    )
    def post(self, request, number: str):
        order = _order_or_404(number)
        serializer = OrderTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order_transition(order=order, **serializer.validated_data, actor=_actor(request))
        return _render(request, order_get(number=order.number))


class OrderPackView(GenericAPIView):
    required_scopes = {**READ, **WRITE}
    serializer_class = PackSerializer

    @extend_schema(
        parameters=[NUMBER],
        responses={
            302: OpenApiResponse(description="`Location`: the signed, expiring download link of the zip."),
            409: OpenApiResponse(description="`pack_not_ready`: build it first (`POST`), then retry."),
        },
        summary="Download the production pack",
        description=(
            "Redirects to the zip: per item its print files (`items/<n>-<sku>/<view>.png|.pdf`), "
            "`order.json` and `order.pdf`. The link works without a key and expires."
        ),
    )
    def get(self, request, number: str):
        order = _order_or_404(number)
        path = pack_url(order)
        if path is None:
            raise PackNotReady(details={"pack_status": order.pack_status})
        return HttpResponseRedirect(request.build_absolute_uri(path))

    @extend_schema(
        parameters=[NUMBER],
        request=None,
        responses={202: PackSerializer},
        summary="Build (or rebuild) the production pack",
        description="Answers 202 at once; follow `pack.status` on the order until `ready` or `failed`.",
    )
    def post(self, request, number: str):
        order = order_pack_request(order=_order_or_404(number))
        return Response(
            PackSerializer(order, context={"request": request}).data, status=status.HTTP_202_ACCEPTED
        )
