"""The one error family. Services raise these; the API and the dashboard render them."""

from typing import Any


class ApplicationError(Exception):
    """A rule of the domain was not met. Rendered as {"error": {"code", "message", "details"}}."""

    code = "error"
    status = 400
    message = "The request could not be completed."

    def __init__(self, message: str | None = None, *, details: dict[str, Any] | None = None):
        self.message = str(message or self.message)
        self.details = details or {}
        super().__init__(self.message)


class ValidationFailed(ApplicationError):
    code = "validation_error"
    status = 400
    message = "Some fields are invalid."


class NotFound(ApplicationError):
    code = "not_found"
    status = 404
    message = "Not found."


class PermissionDenied(ApplicationError):
    code = "permission_denied"
    status = 403
    message = "You do not have permission to do this."


class Conflict(ApplicationError):
    code = "conflict"
    status = 409
    message = "The request conflicts with the current state."
