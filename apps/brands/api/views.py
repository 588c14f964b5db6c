"""The brands API: a workspace's brands and their widget (publishable) keys."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.response import Response

from apps.core.api.parsers import FORMS_AND_JSON
from apps.core.api.serializers import validated
from apps.tenants.api.idempotency import idempotent

from ..selectors import brand_get, brand_list, brand_publishable_keys
from ..services import brand_create, brand_delete, brand_publishable_key_create, brand_update
from .serializers import BrandInputSerializer, BrandSerializer, PublishableKeySerializer

SCOPES = {"GET": "catalog:read", "POST": "catalog:write", "PATCH": "catalog:write", "DELETE": "catalog:write"}


class BrandListView(ListAPIView):
    required_scopes = SCOPES
    serializer_class = BrandSerializer
    parser_classes = FORMS_AND_JSON

    @extend_schema(summary="List brands, newest first")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        context = {"publishable_keys": brand_publishable_keys(brands=page)}
        return self.get_paginated_response(BrandSerializer(page, many=True, context=context).data)

    @extend_schema(
        request={"application/json": BrandInputSerializer, "multipart/form-data": BrandInputSerializer},
        responses={201: BrandSerializer},
        summary="Create a brand and its publishable key",
        description="JSON, or multipart with a `logo` image. The answer holds the brand's `pk_live_…` key.",
    )
    @idempotent
    def post(self, request):
        brand = brand_create(**validated(BrandInputSerializer, request.data))
        brand_publishable_key_create(brand=brand, created_by=request.auth.created_by)
        return Response(BrandSerializer(brand).data, status=status.HTTP_201_CREATED)

    def get_queryset(self):
        return brand_list()


class BrandDetailView(GenericAPIView):
    required_scopes = SCOPES
    serializer_class = BrandSerializer
    parser_classes = FORMS_AND_JSON

    @extend_schema(summary="A brand")
    def get(self, request, pk: int):
        return Response(BrandSerializer(brand_get(pk=pk)).data)

    @extend_schema(
        request={"application/json": BrandInputSerializer, "multipart/form-data": BrandInputSerializer},
        summary="Change a brand",
        description="Only the fields sent change.",
    )
    def patch(self, request, pk: int):
        brand = brand_update(
            brand=brand_get(pk=pk), **validated(BrandInputSerializer, request.data, partial=True)
        )
        return Response(BrandSerializer(brand).data)

    @extend_schema(responses={204: None}, summary="Delete a brand and revoke its publishable key")
    def delete(self, request, pk: int):
        brand_delete(brand=brand_get(pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class BrandKeyView(GenericAPIView):
    required_scopes = SCOPES
    serializer_class = PublishableKeySerializer

    @extend_schema(
        request=None,
        responses={201: PublishableKeySerializer},
        summary="Rotate the brand's publishable key",
        description="Creates a new `pk_live_…` key and revokes the previous one.",
    )
    def post(self, request, pk: int):
        api_key, raw = brand_publishable_key_create(
            brand=brand_get(pk=pk), created_by=request.auth.created_by
        )
        return Response({"publishable_key": raw, "prefix": api_key.prefix}, status=status.HTTP_201_CREATED)
