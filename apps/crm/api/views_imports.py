"""The imports API: send a file, follow its import, read its report and rejected rows."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from apps.core.api.pagination import CursorPagination as BasePagination
from apps.core.api.parsers import MultiPartParser
from apps.core.api.serializers import validated
from apps.core.csv_export import csv_download

from ..etl.selectors import import_get, import_list, rejection_table, rejections_filename
from ..etl.services import import_create
from .serializers_imports import ImportCreateSerializer, ImportSerializer, RejectionSerializer

READ = {"GET": "customers:read"}
WRITE = {"POST": "customers:write"}
FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=["json", "csv"],
    description="`csv`: every row as a CSV file (line, column, value, reason, warning).",
)


class CSVRenderer(BaseRenderer):
    """Lets `?format=csv` through content negotiation; the view writes the CSV itself."""

    media_type = "text/csv"
    format = "csv"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class LinePagination(BasePagination):
    ordering = ("line", "pk")


def _import_or_404(uuid) -> object:
    found = import_get(uuid=uuid)
    if found is None:
        raise Http404
    return found


class ImportListView(ListAPIView):
    required_scopes = {**READ, **WRITE}
    serializer_class = ImportSerializer
    parser_classes = [MultiPartParser]

    @extend_schema(summary="List imports, newest first")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request={"multipart/form-data": ImportCreateSerializer},
        responses={202: ImportSerializer},
        summary="Import a CSV file of customers, products or sales lines",
        description=(
            "Multipart: `file`, and optionally `kind` (`customers`, `products`, `sales`; detected from the "
            "columns when left out), `source`, `encoding`, `delimiter`, `mapping` (JSON `{column: field}`). "
            "The file is checked before anything is written: 413 `import_file_too_large`, 422 "
            "`import_file_empty`, `import_file_binary`, `import_encoding_invalid`, "
            "`import_columns_unmatched` (`details.missing`). Answers 202 with the queued import; follow "
            "`status`/`progress`, then read `report`."
        ),
    )
    def post(self, request):
        data = validated(ImportCreateSerializer, request.data)
        import_run = import_create(
            file=data["file"],
            kind=data["kind"],
            source=data["source"],
            encoding=data["encoding"],
            delimiter=data["delimiter"],
            mapping=data["mapping"],
            api_key_prefix=request.auth.prefix,
        )
        return Response(ImportSerializer(import_run).data, status=status.HTTP_202_ACCEPTED)

    def get_queryset(self):
        return import_list()


class ImportDetailView(GenericAPIView):
    required_scopes = READ
    serializer_class = ImportSerializer

    @extend_schema(summary="An import with its report")
    def get(self, request, uuid):
        return Response(ImportSerializer(_import_or_404(uuid)).data)


class ImportRejectionListView(ListAPIView):
    required_scopes = READ
    serializer_class = RejectionSerializer
    pagination_class = LinePagination
    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(
        parameters=[FORMAT],
        summary="An import's rejected rows and warnings, in line order",
        description="Each row: `line` (the header is line 1), `column`, `value`, `reason`, `warning`.",
    )
    def get(self, request, uuid):
        import_run = _import_or_404(uuid)
        if request.query_params.get("format") == "csv":
            return csv_download(rejection_table(import_run), rejections_filename(import_run))
        self.import_run = import_run
        return super().get(request)

    def get_queryset(self):
        return self.import_run.rejection_rows.all()

    def finalize_response(self, request, response, *args, **kwargs):
        """Errors are JSON, in the project's format, even when `?format=csv` was asked."""
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and response.status_code >= 400:
            response.accepted_renderer, response.accepted_media_type = JSONRenderer(), "application/json"
        return response
