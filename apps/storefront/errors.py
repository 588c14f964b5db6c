from django.utils.translation import gettext_lazy as _

from apps.core.errors import ApplicationError, NotFound, RateLimited


class PublishableKeyInvalid(ApplicationError):
    code = "publishable_key_invalid"
    status = 401
    message = _("Invalid, revoked or missing publishable key: copy it again from the brand's settings.")


class OriginNotAllowed(ApplicationError):
    code = "origin_not_allowed"
    status = 403
    message = _(
        "This website is not allowed to show the widget. Add its address to the brand's allowed origins."
    )


class SessionInvalid(ApplicationError):
    code = "session_invalid"
    status = 401
    message = _("The shopper session is missing or expired: start a new one.")


class ProductNotFound(NotFound):
    code = "product_not_found"
    message = _("This product is not available in the widget.")


class DesignNotFound(NotFound):
    code = "design_not_found"
    message = _("This design does not exist.")


class OrderNotFound(NotFound):
    code = "order_not_found"
    message = _("No order of this shop matches this payment.")


class PaymentUnavailable(ApplicationError):
    code = "payment_unavailable"
    status = 503
    message = _("Payment is unavailable right now. Try again in a moment.")


class EventsRateLimited(RateLimited):
    message = _("Too many requests from this address: retry later.")
