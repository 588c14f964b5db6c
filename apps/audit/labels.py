"""What the audit log's keys mean to people: `orders.order` is "Order", `price_delta` "price
difference", in the reader's language. The keys stay as stored (filters, exports); pages show these.
"""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

# Every watched model (recorder.AUDITED) by its stored `object_type` (the model's label_lower).
OBJECT_LABELS = {
    "tenants.tenant": _("Workspace"),
    "tenants.membership": _("Team member"),
    "accounts.invitation": _("Invitation"),
    "tenants.apikey": _("API key"),
    "billing.subscription": _("Subscription"),
    "brands.brand": _("Brand"),
    "products.product": _("Product"),
    "products.variant": _("Variant"),
    "products.option": _("Option"),
    "products.view": _("Product view"),
    "designs.design": _("Design"),
    "orders.order": _("Order"),
    "integrations.integration": _("Shop integration"),
    "webhooks.webhookendpoint": _("Webhook endpoint"),
    "copilot.pendingaction": _("Copilot action"),
    "accounts.supportsession": _("Support access"),
}


def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    """The kind of thing an entry is about, for people; the model's own name if not listed above."""
    if object_type in OBJECT_LABELS:
        return str(OBJECT_LABELS[object_type])
    model = _model(object_type)
    return str(model._meta.verbose_name).capitalize() if model is not None else object_type


def field_label(object_type: str, name: str) -> str:
    """A changed field (its attname, e.g. `brand_id`) by its verbose name, else as stored."""
    model = _model(object_type)
    if model is None:
        return name
    for field in model._meta.concrete_fields:
        if field.attname == name:
            return str(field.verbose_name)
    return name
