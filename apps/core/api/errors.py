"""One error format for the whole API: {"error": {"code", "message", "details"}}."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import set_rollback

from apps.core.errors import ApplicationError

# DRF's own codes, renamed where ours are clearer.
CODES = {
    "not_authenticated": "not_authenticated",
    "authentication_failed": "authentication_failed",
    "permission_denied": "permission_denied",
    "not_found": "not_found",
    "method_not_allowed": "method_not_allowed",
    "not_acceptable": "not_acceptable",
    "unsupported_media_type": "unsupported_media_type",
    "throttled": "rate_limited",
    "parse_error": "malformed_request",
    "invalid": "validation_error",
}


def error_body(code: str, message: str, details: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def _from_api_exception(exc: exceptions.APIException) -> tuple[str, str, dict]:
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        return "validation_error", _("Some fields are invalid."), {"fields": detail}
    codes = exc.get_codes()
    code = codes if isinstance(codes, str) else "error"
    return CODES.get(code, code), str(exc.detail), {}


def exception_handler(exc, context):
    """DRF exception handler: every error, ours or DRF's, in the same envelope."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    headers = {}
    if isinstance(exc, ApplicationError):
        status, body = exc.status, error_body(exc.code, exc.message, exc.details)
    elif isinstance(exc, exceptions.APIException):
        code, message, details = _from_api_exception(exc)
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            headers["Retry-After"] = str(int(exc.wait))
            details = {"retry_after": int(exc.wait)}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        status, body = exc.status_code, error_body(code, message, details)
    else:
        return None
    set_rollback()
    return Response(body, status=status, headers=headers)


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, machine-readable: branch on this.")
    message = serializers.CharField(help_text="For people; translated to the request's language.")
    details = serializers.DictField(help_text="Context, e.g. `fields` for validation errors.")


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer, whatever its status."""

    error = ErrorDetailSerializer()
