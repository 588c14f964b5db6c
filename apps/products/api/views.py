"""The catalog API: products, and under each its variants, views (mockups, print areas) and options."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.response import Response

from apps.core.api.parsers import FORMS_AND_JSON
from apps.core.api.serializers import validated
from apps.tenants.api.idempotency import idempotent

from .. import services
from ..selectors import option_list, product_get, product_list, variant_list, view_list
from .serializers import (
    OptionInputSerializer,
    OptionSerializer,
    ProductDetailSerializer,
    ProductFilterSerializer,
    ProductInputSerializer,
    ProductSerializer,
    VariantInputSerializer,
    VariantSerializer,
    ViewInputSerializer,
    ViewSerializer,
)

SCOPES = {"GET": "catalog:read", "POST": "catalog:write", "PATCH": "catalog:write", "DELETE": "catalog:write"}


def _body(serializer):
    """A request body documented for JSON and multipart (files)."""
    return {"application/json": serializer, "multipart/form-data": serializer}


class ProductListView(ListAPIView):
    required_scopes = SCOPES
    serializer_class = ProductSerializer
    parser_classes = FORMS_AND_JSON

    @extend_schema(parameters=[ProductFilterSerializer], summary="List products, newest first")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=_body(ProductInputSerializer),
        responses={201: ProductDetailSerializer},
        summary="Create a product",
        description=(
            "JSON, or multipart with a `base_model` .glb file. A SKU already used answers 409 `sku_taken`."
        ),
    )
    @idempotent
    def post(self, request):
        product = services.product_create(**validated(ProductInputSerializer, request.data))
        return Response(ProductDetailSerializer(product).data, status=status.HTTP_201_CREATED)

    def get_queryset(self):
        return product_list(**validated(ProductFilterSerializer, self.request.query_params))


class ProductDetailView(GenericAPIView):
    required_scopes = SCOPES
    serializer_class = ProductDetailSerializer
    parser_classes = FORMS_AND_JSON

    @extend_schema(summary="A product with its variants, views and options")
    def get(self, request, pk: int):
        return Response(ProductDetailSerializer(product_get(pk=pk)).data)

    @extend_schema(
        request=_body(ProductInputSerializer),
        summary="Change a product",
        description="Only the fields sent change.",
    )
    def patch(self, request, pk: int):
        data = validated(ProductInputSerializer, request.data, partial=True)
        return Response(
            ProductDetailSerializer(services.product_update(product=product_get(pk=pk), **data)).data
        )

    @extend_schema(responses={204: None}, summary="Delete a product with its variants, views and options")
    def delete(self, request, pk: int):
        services.product_delete(product=product_get(pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class _ProductPart:
    """Shared by a product's variants, views and options: the product comes from the URL."""

    required_scopes = SCOPES
    pagination_class = None
    input_serializer = None
    list_parts = create = update = delete_part = None  # set by each subclass (static functions)

    def product(self):
        return product_get(pk=self.kwargs["product_id"])

    def get_queryset(self):
        return type(self).list_parts(product=self.product())

    def part(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


class _PartListView(_ProductPart, ListAPIView):
    @idempotent
    def post(self, request, product_id: int):
        data = validated(self.input_serializer, request.data)
        part = type(self).create(product=self.product(), **data)
        return Response(self.serializer_class(part).data, status=status.HTTP_201_CREATED)


class _PartDetailView(_ProductPart, GenericAPIView):
    part_name = "part"

    def get(self, request, product_id: int, pk: int):
        return Response(self.serializer_class(self.part()).data)

    def patch(self, request, product_id: int, pk: int):
        data = validated(self.input_serializer, request.data, partial=True)
        part = type(self).update(**{self.part_name: self.part()}, **data)
        return Response(self.serializer_class(part).data)

    def delete(self, request, product_id: int, pk: int):
        type(self).delete_part(**{self.part_name: self.part()})
        return Response(status=status.HTTP_204_NO_CONTENT)


def _documented(noun: str, serializer, input_serializer, *, multipart: bool = False):
    body = _body(input_serializer) if multipart else input_serializer
    return (
        extend_schema_view(
            get=extend_schema(summary=f"List a product's {noun}s"),
            post=extend_schema(
                request=body, responses={201: serializer}, summary=f"Add a {noun} to a product"
            ),
        ),
        extend_schema_view(
            get=extend_schema(summary=f"A product's {noun}"),
            patch=extend_schema(
                request=body, summary=f"Change a {noun}", description="Only the fields sent change."
            ),
            delete=extend_schema(responses={204: None}, summary=f"Delete a {noun}"),
        ),
    )


_variant_list_doc, _variant_doc = _documented("variant", VariantSerializer, VariantInputSerializer)
_view_list_doc, _view_doc = _documented("view", ViewSerializer, ViewInputSerializer, multipart=True)
_option_list_doc, _option_doc = _documented("option", OptionSerializer, OptionInputSerializer)


class _Variants:
    serializer_class, input_serializer, part_name = VariantSerializer, VariantInputSerializer, "variant"
    list_parts, create = staticmethod(variant_list), staticmethod(services.variant_create)
    update, delete_part = staticmethod(services.variant_update), staticmethod(services.variant_delete)


class _Views:
    serializer_class, input_serializer, part_name = ViewSerializer, ViewInputSerializer, "view"
    parser_classes = FORMS_AND_JSON
    list_parts, create = staticmethod(view_list), staticmethod(services.view_create)
    update, delete_part = staticmethod(services.view_update), staticmethod(services.view_delete)


class _Options:
    serializer_class, input_serializer, part_name = OptionSerializer, OptionInputSerializer, "option"
    list_parts, create = staticmethod(option_list), staticmethod(services.option_create)
    update, delete_part = staticmethod(services.option_update), staticmethod(services.option_delete)


@_variant_list_doc
class VariantListView(_Variants, _PartListView):
    pass


@_variant_doc
class VariantDetailView(_Variants, _PartDetailView):
    pass


@_view_list_doc
class ViewListView(_Views, _PartListView):
    pass


@_view_doc
class ViewDetailView(_Views, _PartDetailView):
    pass


@_option_list_doc
class OptionListView(_Options, _PartListView):
    pass


@_option_doc
class OptionDetailView(_Options, _PartDetailView):
    pass
