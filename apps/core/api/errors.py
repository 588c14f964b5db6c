"""One error format for the whole API: {"error": {"code", "message", "details"}}."""

import math

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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


class RequestTooLarge(ApplicationError):
    """Django refused to parse a form: more fields or files than DATA_UPLOAD_MAX_* allow."""

    code = "request_too_large"
    status = 413
    message = gettext_lazy(
        "The request is too large: too many form fields or files, or too much form data. "
        "Send long lists as JSON instead."
    )


# Retry-After when a 429 does not know its wait (a DRF throttle whose wait() is None).
DEFAULT_RETRY_AFTER = 60


def _retry_after(exc) -> int:
    """Whole seconds (at least 1) a 429 tells the client to wait: the throttle's or the error's."""
    wait = exc.wait if isinstance(exc, exceptions.Throttled) else getattr(exc, "retry_after", None)
    return DEFAULT_RETRY_AFTER if wait is None else max(1, math.ceil(wait))


# Django's limits on parsing a request body, raised while DRF parses it (else a bare 400).
PARSE_LIMITS = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


def error_body(code: str, message: str, details: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def _leaves(codes, name: str = "") -> list[tuple[str, str]]:
    """(field name, code) of every error in DRF's nested codes, e.g. ("brand", "does_not_exist")."""
    if isinstance(codes, dict):
        return [leaf for key, value in codes.items() for leaf in _leaves(value, key)]
    if isinstance(codes, list):
        return [leaf for value in codes for leaf in _leaves(value, name)]
    return [(name, codes)]


def _not_found_code(exc: exceptions.ValidationError) -> str | None:
    """`<field>_not_found` when the body's only fault is an id that matches nothing (a related field)."""
    leaves = _leaves(exc.get_codes())
    if not leaves or any(code != "does_not_exist" for _name, code in leaves):
        return None
    return f"{leaves[0][0]}_not_found"


def _from_api_exception(exc: exceptions.APIException) -> tuple[int, str, str, dict]:
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        not_found = _not_found_code(exc)
        if not_found:
            message = _("The request names an object that does not exist in this workspace.")
            return 404, not_found, message, {"fields": detail}
        return exc.status_code, "validation_error", _("Some fields are invalid."), {"fields": detail}
    codes = exc.get_codes()
    code = codes if isinstance(codes, str) else "error"
    return exc.status_code, CODES.get(code, code), str(exc.detail), {}


def exception_handler(exc, context):
    """DRF exception handler: every error, ours or DRF's, in the same envelope."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, PARSE_LIMITS):
        exc = RequestTooLarge()

    headers = {}
    if isinstance(exc, ApplicationError):
        status, body = exc.status, error_body(exc.code, exc.message, exc.details)
    elif isinstance(exc, exceptions.APIException):
        status, code, message, details = _from_api_exception(exc)
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        body = error_body(code, message, details)
    else:
        return None
    if status == 429:  # every 429, a throttle's or ours, says when to come back
        seconds = _retry_after(exc)
        headers["Retry-After"] = str(seconds)
        body["error"]["details"] = {**body["error"]["details"], "retry_after": seconds}
    set_rollback()
    return Response(body, status=status, headers=headers)


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, machine-readable: branch on this.")
    message = serializers.CharField(help_text="For people; translated to the request's language.")
    details = serializers.DictField(help_text="Context, e.g. `fields` for validation errors.")


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer, whatever its status."""

    error = ErrorDetailSerializer()
