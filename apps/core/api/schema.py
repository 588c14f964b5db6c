"""OpenAPI: every operation lists the error envelope under each error status it can answer with.

The statuses follow from the operation's shape (an id in the path, filters, a body, a write, an
`Idempotency-Key`), so a new view is documented without decorating it. Request bodies say what
each media type can carry: JSON has no files, multipart forms have no `null`.
"""

import copy
import inspect

from drf_spectacular import openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from .errors import ErrorSerializer
from .serializers import QuerySerializer, StrictSerializer

ERROR_DESCRIPTIONS = {
    400: (
        "`validation_error` (see `details.fields`), `malformed_request` (unreadable JSON, NUL "
        "characters, lone surrogates, nesting too deep) or `idempotency_key_invalid`."
    ),
    401: "`not_authenticated` or `authentication_failed`: missing, malformed, revoked or publishable key.",
    402: (
        "The plan does not allow it: `feature_not_in_plan` (Starter has no REST API), `quota_exceeded` "
        "(the month's AI designs) or `plan_limit_reached`; `details.upgrade_url` leads to the Billing page."
    ),
    403: "`insufficient_scope` (see `details.required_scope`), `tenant_suspended` or `role_not_allowed`.",
    404: (
        "`not_found` or `<object>_not_found`: no such object in this key's workspace — the one in the "
        "path, or one the query or body names (`<field>_not_found`, e.g. `brand_not_found`, with "
        "`details.fields`) — or a stale pagination cursor."
    ),
    409: (
        "A conflict with the current state (e.g. `sku_taken`, `in_use`, a status that does not allow "
        "it) or `idempotency_in_progress`."
    ),
    413: (
        "`upload_too_large`: an uploaded file is over its size or pixel limit; `request_too_large`: "
        "a form with more than 1000 fields (send long lists as JSON) or 100 files."
    ),
    415: "`unsupported_media_type`: send JSON (or `multipart/form-data` where files are accepted).",
    422: (
        "The input is well-formed but not acceptable (e.g. `order_invalid`, `catalog_invalid`, "
        "`brand_invalid`, `prompt_invalid`, `webhook_url_invalid`, `upload_invalid`) or "
        "`idempotency_key_reused`."
    ),
    429: (
        "`rate_limited`: too many requests for this key, or a repeat refused too soon "
        "(`webhook_test_too_soon`); retry after `Retry-After` seconds."
    ),
}
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    response=[429],
    description="Whole seconds (at least 1) to wait before the key may make another request.",
)
BASE_DOCS = {inspect.cleandoc(base.__doc__) for base in (StrictSerializer, QuerySerializer)}
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
IDEMPOTENCY_HEADER = "Idempotency-Key"  # apps.tenants.api.idempotency reads it
JSON, MULTIPART = "application/json", "multipart/form-data"


class AutoSchema(openapi.AutoSchema):
    def get_description(self):
        scope = getattr(self.view, "required_scopes", {}).get(self.method)
        if scope is None:
            return super().get_description()
        return "\n\n".join(filter(None, [super().get_description(), f"Requires the scope `{scope}`."]))

    def get_override_parameters(self):
        return [*super().get_override_parameters(), RETRY_AFTER]

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        scope = getattr(self.view, "required_scopes", {}).get(self.method)
        note = f"Requires the scope `{scope}`."
        if scope and note not in operation.get("description", ""):  # `extend_schema(description=…)`
            operation["description"] = "\n\n".join(filter(None, [operation.get("description"), note]))
        responses = operation["responses"]
        for status in self._error_statuses(operation):
            response = OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[status])
            responses.setdefault(str(status), self._get_response_for_code(response, str(status)))
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _error_statuses(self, operation: dict) -> set[int]:
        statuses = {400, 401, 402, 403, 429}  # 400: any query string or body may be malformed
        locations = {parameter["in"] for parameter in operation.get("parameters", [])}
        body = operation.get("requestBody", {}).get("content", {})
        idempotent = any(
            parameter["name"] == IDEMPOTENCY_HEADER for parameter in operation.get("parameters", [])
        )
        if body or locations & {"path", "query"}:  # an id, a filter, a cursor, or a body naming objects
            statuses.add(404)
        if self.method in WRITE_METHODS:
            statuses.add(409)
        if body or idempotent:  # the body is parsed
            statuses.update({415, 422})
        if MULTIPART in body:
            statuses.add(413)
        return statuses

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if isinstance(serializer, StrictSerializer):  # it refuses unknown fields
            schema["additionalProperties"] = False
        if schema.get("description") in BASE_DOCS:  # inherited, not about this body
            del schema["description"]
        return schema

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.DecimalField) and "pattern" in schema:
            schema["pattern"] = decimal_pattern(field)
            if direction == "request":
                schema = decimal_number_or_string(field, schema)
        return schema


def decimal_pattern(field: serializers.DecimalField) -> str:
    """What the field accepts as a string: at least one digit, no sign if it cannot be negative.

    A field with a positive minimum takes it as its smallest step (`0.01` for two places): the
    pattern then wants a digit other than zero.
    """
    whole, places = field.max_whole_digits, field.decimal_places
    if field.min_value is not None and field.min_value > 0:
        return positive_decimal_pattern(whole, places)
    sign = "" if field.min_value is not None and field.min_value >= 0 else "-?"
    if not places:
        return rf"^{sign}\d{{1,{whole}}}$"
    return rf"^{sign}(?:\d{{1,{whole}}}(?:\.\d{{0,{places}}})?|\.\d{{1,{places}}})$"


def positive_decimal_pattern(whole: int, places: int) -> str:
    fraction = "|".join(rf"0{{{zeros}}}[1-9]\d{{0,{places - 1 - zeros}}}" for zeros in range(places))
    return rf"^(?:0*[1-9]\d{{0,{whole - 1}}}(?:\.\d{{0,{places}}})?|0*\.(?:{fraction}))$"


def decimal_number_or_string(field: serializers.DecimalField, schema: dict) -> dict:
    """A request may send a decimal as a JSON number (`12.5`) or a string (`"12.50"`): DRF reads both.

    Answers always give strings, which keep every digit.
    """
    string = {key: schema.pop(key) for key in ("type", "format", "pattern")}
    bound = 10**field.max_whole_digits
    number = {"type": "number", "multipleOf": 10**-field.decimal_places, "maximum": bound}
    number.update(exclusiveMaximum=True, minimum=-bound, exclusiveMinimum=True)
    if field.min_value is not None:
        number.update(minimum=float(field.min_value))
        del number["exclusiveMinimum"]
    return {**schema, "anyOf": [number, string]}


def postprocess_request_bodies(result, generator, request, public):
    """JSON bodies cannot carry files and multipart forms cannot carry `null`: document each as it is.

    A body offered in both media types keeps its component for JSON, minus the file fields (no
    JSON at all if a file is required), and gets a `…MultipartRequest` copy without `nullable`.
    """
    schemas = result["components"]["schemas"]
    for path in result["paths"].values():
        for operation in path.values():
            content = operation.get("requestBody", {}).get("content", {})
            if MULTIPART not in content:
                continue
            name = content[MULTIPART]["schema"]["$ref"].rsplit("/", 1)[-1]
            multipart_name = name.removesuffix("Request") + "MultipartRequest"
            if multipart_name not in schemas:
                schemas[multipart_name] = _without_null(copy.deepcopy(schemas[name]))
            content[MULTIPART]["schema"] = {"$ref": f"#/components/schemas/{multipart_name}"}
            json_parts = _json_parts(schemas[multipart_name])
            if json_parts:
                content[MULTIPART]["encoding"] = {name: {"contentType": JSON} for name in json_parts}
            if JSON in content:
                _json_only(schemas[name], schemas[multipart_name], content)
    return result


def _without_null(component: dict) -> dict:
    for field in component["properties"].values():
        field.pop("nullable", None)
        if field.get("format") == "binary":
            field["minLength"] = 1  # an empty file is refused
    return component


def _json_parts(component: dict) -> list[str]:
    """Lists of objects or of lists travel in a multipart form as one JSON part."""
    return [
        name
        for name, field in component["properties"].items()
        if "$ref" in field.get("items", {}) or field.get("items", {}).get("type") == "array"
    ]


def _json_only(component: dict, multipart: dict, content: dict) -> None:
    files = {name for name, field in multipart["properties"].items() if field.get("format") == "binary"}
    if files & set(multipart.get("required", [])):
        del content[JSON]
        return
    for name in files:
        component["properties"].pop(name, None)
