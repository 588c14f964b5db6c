"""The widget's API: product configuration, shopper sessions, designs and orders.

Every view authenticates the publishable key, checks the Origin against the brand's allowed
origins, throttles per key × shopper IP and speaks the requested locale (`?locale=`, else the
brand's language).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import Throttled
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from apps.core.api.parsers import FORMS_AND_JSON
from apps.core.api.serializers import validated
from apps.core.errors import ValidationFailed
from apps.designs.services import (
    design_create,
    design_edit,
    design_funnel_mark,
    design_session_grant,
    design_variation,
)
from apps.orders.errors import OrderInvalid
from apps.orders.models import Order
from apps.orders.services import ItemInput, order_create
from apps.tenants.api.idempotency import idempotent
from apps.tenants.middleware import widget_key

from ..auth import (
    SESSION_HEADER,
    AllowedOrigin,
    WidgetKeyAuthentication,
    WidgetRateThrottle,
    designs_throttle,
    shopper_session,
)
from ..errors import DesignNotFound
from ..payments import (
    brand_takes_payment,
    order_request_note,
    payment_confirm,
    payment_start,
    return_url_clean,
)
from ..reorder import reorder_design, reorder_state
from ..selectors import supported_language, widget_config, widget_design, widget_design_state, widget_product
from ..sessions import session_new
from .serializers import (
    ConfigQuerySerializer,
    SessionSerializer,
    WidgetDesignAcceptedSerializer,
    WidgetDesignCreateSerializer,
    WidgetDesignEditSerializer,
    WidgetDesignEventSerializer,
    WidgetDesignSerializer,
    WidgetOrderCreateSerializer,
    WidgetOrderSerializer,
    WidgetPaymentSerializer,
    WidgetReorderedDesignSerializer,
    WidgetReorderSerializer,
)

SKU_MAX_LENGTH = 64
SESSION_PARAMETER = OpenApiParameter(
    "X-Luneo-Session",
    location=OpenApiParameter.HEADER,
    required=True,
    description="From POST /widget/sessions.",
)
LOCALE_PARAMETER = OpenApiParameter("locale", required=False, description="`en`, `fr` or `zh-hans`.")


class WidgetView(GenericAPIView):
    authentication_classes = [WidgetKeyAuthentication]
    permission_classes = [AllowedOrigin]
    throttle_classes = [WidgetRateThrottle]

    def initial(self, request, *args, **kwargs):
        asked = supported_language(request.query_params.get("locale"))
        if asked:
            translation.activate(asked)
        super().initial(request, *args, **kwargs)  # key, origin (sets request.brand), throttle
        if not asked:
            translation.activate(supported_language(request.brand.default_language) or "en")

    def absolute(self, path: str) -> str:
        return path if "://" in path else self.request.build_absolute_uri(path)

    def idempotency_scope(self, request) -> str:
        """Idempotency-Key values are the shopper's own (apps/tenants/api/idempotency.py)."""
        return shopper_session(request)

    def design(self, public_id: str):
        """A design of the request's shopper session; 404 `design_not_found` for anyone else's."""
        design = widget_design(public_id=public_id, session_id=shopper_session(self.request))
        if design is None:
            raise DesignNotFound()
        return design

    def accepted(self, design) -> Response:
        """202 with where to follow the design: this API, and its websocket."""
        request = self.request
        query = urlencode(
            {"key": widget_key(request), "session": request.META[SESSION_HEADER], "locale": get_language()}
        )
        scheme = "wss" if request.is_secure() else "ws"
        links = {
            "self": self.absolute(reverse("storefront:design", args=[design.public_id])),
            "events": f"{scheme}://{request.get_host()}/ws/widget/designs/{design.public_id}/?{query}",
        }
        body = {"id": design.public_id, "status": design.status, "links": links}
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": links["self"]})

    def designs_throttle(self) -> None:
        """Generation costs: per key and shopper IP, at most WIDGET_DESIGNS_PER_HOUR designs (429)."""
        wait = designs_throttle(self.request)
        if wait is not None:
            raise Throttled(wait)


class WidgetConfigView(WidgetView):
    @extend_schema(
        parameters=[ConfigQuerySerializer],
        responses={200: dict},
        summary="A product's widget configuration",
        description=(
            "Brand theme, product, variants with prices, views (mockup URLs, print areas), options, "
            "styles and the interface strings in the locale. Cached for `WIDGET_CONFIG_MAX_AGE` seconds. "
            "Errors: 403 `origin_not_allowed`, 404 `product_not_found`."
        ),
    )
    def get(self, request):
        sku = request.query_params.get("product", "")  # read by hand: a serializer costs ~0.3 ms here
        if not 0 < len(sku) <= SKU_MAX_LENGTH:
            raise ValidationFailed(details={"fields": {"product": [_("Give the product's SKU.")]}})
        config = widget_config(brand=request.brand, sku=sku, absolute=self.absolute)
        if request.META.get("HTTP_IF_NONE_MATCH") == config.etag:
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(config.body, content_type="application/json")
        response["ETag"] = config.etag
        response["Cache-Control"] = f"public, max-age={settings.WIDGET_CONFIG_MAX_AGE}"
        return response


class WidgetSessionView(WidgetView):
    @extend_schema(request=None, responses={201: SessionSerializer}, summary="Start a shopper session")
    def post(self, request):
        token = session_new(schema=request.auth.tenant.schema_name, brand_id=request.brand.pk)
        return Response({"session": token}, status=status.HTTP_201_CREATED)


class WidgetDesignListView(WidgetView):
    parser_classes = FORMS_AND_JSON

    @extend_schema(
        parameters=[SESSION_PARAMETER, LOCALE_PARAMETER],
        request={
            "application/json": WidgetDesignCreateSerializer,
            "multipart/form-data": WidgetDesignCreateSerializer,
        },
        responses={202: WidgetDesignAcceptedSerializer},
        summary="Create a design (the same pipeline as the designs API)",
        description=(
            "Answers 202 at once; follow `links.events` (websocket) or `links.self`. Per key and shopper "
            "IP at most `WIDGET_DESIGNS_PER_HOUR` designs an hour (429 `rate_limited`)."
        ),
    )
    def post(self, request):
        data = validated(WidgetDesignCreateSerializer, request.data)
        session_id = shopper_session(request)
        product = widget_product(brand=request.brand, sku=data["product"])
        self.designs_throttle()
        design = design_create(
            product=product.pk,
            variant=data.get("variant"),
            prompt=data["prompt"],
            style=data["style"],
            text_layers=data["text_layers"],
            layout=data.get("layout"),
            photo=data.get("photo"),
            shopper_session=session_id,
            api_key_prefix=request.auth.prefix,
        )
        return self.accepted(design)


class WidgetDesignDetailView(WidgetView):
    @extend_schema(
        parameters=[SESSION_PARAMETER, LOCALE_PARAMETER],
        responses={200: WidgetDesignSerializer},
        summary="A design of this shopper: status, progress, previews, 3D model",
    )
    def get(self, request, public_id: str):
        return Response(widget_design_state(self.design(public_id), self.absolute))

    @extend_schema(
        parameters=[SESSION_PARAMETER, LOCALE_PARAMETER],
        request=WidgetDesignEditSerializer,
        responses={202: WidgetDesignAcceptedSerializer},
        summary="Edit a ready design: where the artwork and photo sit, the text layers",
        description=(
            "The same edit as `PATCH /api/v1/designs/{id}`: previews and print files are drawn again "
            "from the same artwork. 409 `design_not_editable`, `design_ordered`; 422 `layout_invalid`, "
            "`text_layers_invalid`, `moderation_rejected`."
        ),
    )
    def patch(self, request, public_id: str):
        data = validated(WidgetDesignEditSerializer, request.data)
        return self.accepted(design_edit(design=self.design(public_id), **data))


class WidgetDesignVariationView(WidgetView):
    @extend_schema(
        parameters=[SESSION_PARAMETER, LOCALE_PARAMETER],
        request=None,
        responses={202: WidgetDesignAcceptedSerializer},
        summary="Generate the design again: same prompt, style, text, photo and layout, a new seed",
        description="Counts as a design (429 `rate_limited` past `WIDGET_DESIGNS_PER_HOUR`).",
    )
    @idempotent
    def post(self, request, public_id: str):
        design = self.design(public_id)
        self.designs_throttle()
        variation = design_variation(
            design=design, shopper_session=shopper_session(request), api_key_prefix=request.auth.prefix
        )
        return self.accepted(variation)


class WidgetDesignEventView(WidgetView):
    @extend_schema(
        parameters=[SESSION_PARAMETER],
        request=WidgetDesignEventSerializer,
        responses={204: None},
        summary="Report a step of the shopper's funnel: the preview was shown, or added to the cart",
        description="Recorded once per design and step, for analytics. 422 `funnel_step_invalid`: not ready.",
    )
    def post(self, request, public_id: str):
        design = self.design(public_id)
        data = validated(WidgetDesignEventSerializer, request.data)
        design_funnel_mark(design=design, step=data["type"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class WidgetReorderView(WidgetView):
    @extend_schema(
        parameters=[SESSION_PARAMETER, LOCALE_PARAMETER],
        request=WidgetReorderSerializer,
        responses={200: WidgetReorderedDesignSerializer},
        summary="Open a saved design from a reorder link, for this shopper session",
        description=(
            "The page's `luneo_reorder` token (a link in the brand's e-mails) names a ready design of "
            "the brand: it is answered as `GET /widget/designs/{id}` answers, with its product, variant, "
            "prompt and style, and this shopper session may then use it as its own (order it, vary it). "
            "404 `design_not_found`: the link is not valid, expired, or its design cannot be ordered."
        ),
    )
    def post(self, request):
        data = validated(WidgetReorderSerializer, request.data)
        session_id = shopper_session(request)
        design = reorder_design(data["token"], brand=request.brand)
        if design is None:
            raise DesignNotFound()
        design_session_grant(design=design, shopper_session=session_id)
        return Response(reorder_state(design, self.absolute))


class WidgetOrderListView(WidgetView):
    @extend_schema(
        parameters=[SESSION_PARAMETER, LOCALE_PARAMETER],
        request=WidgetOrderCreateSerializer,
        responses={201: WidgetOrderSerializer},
        summary="Order a ready design",
        description=(
            "Totals are computed on the server from the catalog: any price sent is ignored. A brand "
            "with a Stripe key answers a `payment_url` (Stripe Checkout on the brand's account) where "
            "the shopper pays; without one, `payment_url` is null and the order is an order request "
            "awaiting payment. Errors: 422 `order_invalid` (`details.fields`: `customer.email`, "
            "`shipping_address.city`, `quantity`, `return_url`…), 404 `design_not_found`, "
            "409 `design_not_ready`, 503 `payment_unavailable` (nothing was created: retry)."
        ),
    )
    @idempotent
    def post(self, request):
        data = request.data if isinstance(request.data, dict) else {}
        brand = request.brand
        paying = brand_takes_payment(brand)
        return_url = return_url_clean(str(data.get("return_url") or ""), brand=brand)
        if paying and return_url is None:
            message = _("Send the shopper's page, on one of the brand's allowed origins.")
            raise OrderInvalid(details={"fields": {"return_url": [message]}})
        item = ItemInput(
            design=str(data.get("design") or ""),
            quantity=data.get("quantity", 1),
            options=_ids(data.get("options")),
        )
        try:
            order = order_create(
                source=Order.Source.WIDGET,
                items=[item],
                customer=data.get("customer"),
                shipping_address=data.get("shipping_address"),
                note="" if paying else order_request_note(brand),
                shopper_session=shopper_session(request),
                api_key_prefix=request.auth.prefix,
                actor="widget",
            )
        except OrderInvalid as exc:  # one item: `items.0.quantity` is the body's `quantity`
            fields = exc.details.get("fields", {})
            exc.details["fields"] = {key.removeprefix("items.0."): value for key, value in fields.items()}
            raise
        # Stripe's failure rolls the order back (503): the shopper's retry places it again.
        order.payment_url = payment_start(order=order, brand=brand, return_url=return_url) if paying else None
        return Response(WidgetOrderSerializer(order).data, status=status.HTTP_201_CREATED)


class WidgetPaymentView(WidgetView):
    @extend_schema(
        parameters=[LOCALE_PARAMETER],
        request=WidgetPaymentSerializer,
        responses={200: WidgetOrderSerializer},
        summary="The order a Stripe Checkout payment was for, once the shopper is back",
        description=(
            "The widget sends the `luneo_payment` its page was given back by Stripe Checkout. The "
            "session is read from the brand's Stripe account: the order is marked paid when Stripe "
            "says it is paid, for this order and amount. 404 `order_not_found`, 503 `payment_unavailable`."
        ),
    )
    def post(self, request):
        data = validated(WidgetPaymentSerializer, request.data)
        order = payment_confirm(brand=request.brand, session_id=data["session"])
        order.payment_url = None
        return Response(WidgetOrderSerializer(order).data)


def _ids(values) -> list[int]:
    if not isinstance(values, list):
        return []
    return [value for value in values if isinstance(value, int) and not isinstance(value, bool)]
