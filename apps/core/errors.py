"""The one error family. Services raise these; the API and the dashboard render them."""

import math
from typing import Any

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    """A rule of the domain was not met. Rendered as {"error": {"code", "message", "details"}}."""

    code = "error"
    status = 400
    message = _("The request could not be completed.")

    def __init__(self, message: str | None = None, *, details: dict[str, Any] | None = None):
        self.message = str(message or self.message)
        self.details = details or {}
        super().__init__(self.message)


class ValidationFailed(ApplicationError):
    code = "validation_error"
    status = 400
    message = _("Some fields are invalid.")


class NotFound(ApplicationError):
    code = "not_found"
    status = 404
    message = _("Not found.")


class PermissionDenied(ApplicationError):
    code = "permission_denied"
    status = 403
    message = _("You do not have permission to do this.")


class Conflict(ApplicationError):
    code = "conflict"
    status = 409
    message = _("The request conflicts with the current state.")


class MalformedInput(ApplicationError, ValueError):
    """Input no request may carry (apps/core/hygiene.py). A ValueError too, like json.loads' errors."""

    code = "malformed_request"
    status = 400
    message = _("The request is malformed.")


class RateLimited(ApplicationError):
    """Too many requests. `retry_after`: whole seconds (at least 1) until one may pass again.

    The API sends it as the `Retry-After` header and `details.retry_after` (apps/core/api/errors.py).
    """

    code = "rate_limited"
    status = 429
    message = _("Too many requests: retry later.")

    def __init__(
        self, message: str | None = None, *, retry_after: float, details: dict[str, Any] | None = None
    ):
        self.retry_after = max(1, math.ceil(retry_after))
        super().__init__(message, details={**(details or {}), "retry_after": self.retry_after})
