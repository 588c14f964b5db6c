from django.utils.translation import gettext_lazy as _

from apps.core.errors import ApplicationError, Conflict, NotFound


class OrderInvalid(ApplicationError):
    """422 with `details.fields`: {field: [messages]} (nested fields dotted, e.g. `shipping_address.city`)."""

    code = "order_invalid"
    status = 422
    message = _("Some order fields are invalid.")


class DesignNotFound(NotFound):
    code = "design_not_found"
    message = _("This design does not exist.")


class DesignNotReady(Conflict):
    code = "design_not_ready"
    message = _("This design is not ready yet: order it once its status is `ready`.")


class ProductUnavailable(Conflict):
    code = "product_unavailable"
    message = _("This product is no longer sold.")


class CurrencyMismatch(OrderInvalid):
    code = "currency_mismatch"
    message = _("All items of an order must be priced in one currency.")


class OrderTransitionNotAllowed(Conflict):
    code = "order_transition_not_allowed"
    message = _("An order cannot move from this status to that one.")


class PackNotReady(Conflict):
    code = "pack_not_ready"
    message = _("The production pack is not ready yet.")
