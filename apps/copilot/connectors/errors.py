"""What a connector's call can end in: each an ApplicationError with a message a person can act on."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import ApplicationError, NotFound, ValidationFailed


class NotConnected(ValidationFailed):
    code = "connector_not_connected"
    message = _("This connector is not connected.")


class CredentialsRefused(ApplicationError):
    """The service refused the credentials (401/403)."""

    code = "connector_credentials_refused"
    status = 422
    message = _("The service refused these credentials.")


class ServiceRefused(ApplicationError):
    """The service refused the request itself (a 4xx other than 401, 403 and 429)."""

    code = "connector_refused"
    status = 422
    message = _("The service refused the request.")


class ServiceUnavailable(ApplicationError):
    """Transient: a timeout, a 5xx or a 429. Worth retrying later."""

    code = "connector_unavailable"
    status = 503
    message = _("The service is not answering: try again later.")

    def __init__(self, message=None, *, retry_after: float | None = None, details=None):
        self.retry_after = retry_after
        super().__init__(message, details=details)


class SignatureInvalid(ApplicationError):
    code = "signature_invalid"
    status = 403
    message = _("The request's signature is invalid.")


class MessageUnknown(NotFound):
    code = "message_unknown"
    message = _("No message has this SID.")


class WhatsAppRefused(ValidationFailed):
    """A message we will not send (no consent, no phone number, no template)."""

    code = "whatsapp_refused"
