"""The designs API: create (202, the pipeline runs in the background), read, list, retry, cancel, vary."""

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.response import Response

from apps.core.api.parsers import FORMS_AND_JSON
from apps.tenants.api.idempotency import idempotent

from ..models import Design
from ..selectors import design_get, design_list, with_own_assets
from ..services import design_cancel, design_create, design_edit, design_retry, design_variation
from .serializers import (
    DesignAcceptedSerializer,
    DesignCreateSerializer,
    DesignEditSerializer,
    DesignFilterSerializer,
    DesignSerializer,
)

READ = {"GET": "designs:read"}
WRITE = {"POST": "designs:write", "PATCH": "designs:write"}
# Designs are named by their id, `dsg_…`; any other value (the integers of old answers) is a 404.
DESIGN_ID = OpenApiParameter(
    "id", str, OpenApiParameter.PATH, description="The design's id, `dsg_…`, as its answers show it."
)


def _validated(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _design_or_404(design_id: str) -> Design:
    design = design_get(design_id)
    if design is None:
        raise Http404
    return design


def _accepted(request, design: Design) -> Response:
    """202 with where to follow the design: the API resource and its websocket."""
    path = reverse("designs-api:design", args=[design.public_id])
    scheme = "wss" if request.is_secure() else "ws"
    body = {
        "id": design.public_id,
        "status": design.status,
        "links": {
            "self": request.build_absolute_uri(path),
            "events": f"{scheme}://{request.get_host()}/ws/designs/{design.public_id}/",
        },
    }
    return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["links"]["self"]})


def _actor(request) -> dict:
    return {"created_by": request.auth.created_by_id, "api_key_prefix": request.auth.prefix}


class DesignListView(ListAPIView):
    required_scopes = {**READ, **WRITE}
    serializer_class = DesignSerializer
    parser_classes = FORMS_AND_JSON

    @extend_schema(parameters=[DesignFilterSerializer], summary="List designs, newest first")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request={"application/json": DesignCreateSerializer, "multipart/form-data": DesignCreateSerializer},
        responses={202: DesignAcceptedSerializer},
        summary="Create a design from a prompt",
        description=(
            "Validates the input, queues the design and answers 202 at once: follow it with "
            "`GET links.self` or the websocket `links.events` until `status` is `ready`, `rejected` "
            "or `failed`. A prompt the moderation refuses ends `rejected` (not an HTTP error). "
            "The answer's `id` (`dsg_…`) is the design's one id: order it with "
            '`POST /api/v1/orders {"items": [{"design": id}]}`; webhooks and sockets name it so too. '
            "Errors: 404 `product_not_found`, 409 `product_inactive`, 422 `prompt_invalid`, "
            "`variant_invalid`, `style_invalid`, `text_layers_invalid`, `text_layers_not_allowed`, "
            "`photo_not_allowed`, `upload_invalid`; 413 `upload_too_large`."
        ),
    )
    @idempotent
    def post(self, request):
        data = _validated(DesignCreateSerializer, request.data)
        design = design_create(
            product=data["product"],
            variant=data.get("variant"),
            prompt=data["prompt"],
            style=data["style"],
            text_layers=data["text_layers"],
            layout=data.get("layout"),
            photo=data.get("photo"),
            **_actor(request),
        )
        return _accepted(request, design)

    def get_queryset(self):
        filters = _validated(DesignFilterSerializer, self.request.query_params)
        return with_own_assets(design_list(**filters, related=("parent",)))


class DesignDetailView(GenericAPIView):
    required_scopes = {**READ, **WRITE}
    serializer_class = DesignSerializer

    @extend_schema(
        parameters=[DESIGN_ID], summary="A design: status, progress, error, warnings and signed asset links"
    )
    def get(self, request, id: str):
        return Response(DesignSerializer(_design_or_404(id), context={"request": request}).data)

    @extend_schema(
        parameters=[DESIGN_ID],
        request=DesignEditSerializer,
        responses={202: DesignAcceptedSerializer},
        summary="Edit a ready design: move, scale and turn its artwork and photo, change its text",
        description=(
            "The edit becomes the design's spec; its previews, print files and 3D model are drawn "
            "again from the same artwork (no new generation, no design counted against the plan) and "
            "it is `ready` again a moment later: follow it as after a create. New text is moderated "
            "first (422 `moderation_rejected`, nothing changed). Errors: 409 `design_not_editable` "
            "(not ready), 409 `design_ordered` (an order holds it: make a variation), 422 "
            "`layout_invalid`, `text_layers_invalid`, `text_layers_not_allowed`."
        ),
    )
    def patch(self, request, id: str):
        data = _validated(DesignEditSerializer, request.data)
        return _accepted(request, design_edit(design=_design_or_404(id), **data))


class DesignRetryView(GenericAPIView):
    required_scopes = WRITE
    serializer_class = DesignAcceptedSerializer

    @extend_schema(
        parameters=[DESIGN_ID],
        request=None,
        responses={202: DesignAcceptedSerializer},
        summary="Retry a failed design",
    )
    def post(self, request, id: str):
        return _accepted(request, design_retry(design=_design_or_404(id)))


class DesignCancelView(GenericAPIView):
    required_scopes = WRITE
    serializer_class = DesignSerializer

    @extend_schema(
        parameters=[DESIGN_ID],
        request=None,
        responses={200: DesignSerializer},
        summary="Cancel a queued design",
    )
    def post(self, request, id: str):
        design = design_cancel(design=_design_or_404(id))
        return Response(DesignSerializer(design, context={"request": request}).data)


class DesignVariationView(GenericAPIView):
    required_scopes = WRITE
    serializer_class = DesignAcceptedSerializer

    @extend_schema(
        parameters=[DESIGN_ID],
        request=None,
        responses={202: DesignAcceptedSerializer},
        summary="A new variation of a design",
        description="Same product, prompt, style, text and photo with a new seed; `parent` links them.",
    )
    @idempotent
    def post(self, request, id: str):
        return _accepted(request, design_variation(design=_design_or_404(id), **_actor(request)))
