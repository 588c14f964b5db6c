from django.utils.translation import gettext_lazy as _

from apps.core.errors import ApplicationError, NotFound


class IntegrationInvalid(ApplicationError):
    """422 with `details.fields`: {field: [messages]}."""

    code = "integration_invalid"
    status = 422
    message = _("Some connection fields are invalid.")


class CredentialsInvalid(ApplicationError):
    code = "integration_credentials_invalid"
    status = 422
    message = _("The shop refused these credentials. Check the key and its permissions, then retry.")


class ShopUnreachable(ApplicationError):
    code = "integration_unreachable"
    status = 422
    message = _("The shop could not be reached or did not answer like a shop. Check its address, then retry.")


class CurrencyUnsupported(ApplicationError):
    code = "currency_unsupported"
    status = 422
    message = _("The shop sells in a currency Luneo does not support.")


class IntegrationNotFound(NotFound):
    code = "integration_not_found"
    message = _("No shop of this kind is connected to this workspace.")


class WebhookSignatureInvalid(ApplicationError):
    code = "webhook_signature_invalid"
    status = 401
    message = _("The webhook signature does not match the shop's secret.")


class WebhookInvalid(ApplicationError):
    code = "webhook_invalid"
    status = 400
    message = _("The webhook has no delivery id, or its body is not a JSON object.")
