from django.utils.functional import SimpleLazyObject

from .entitlements import entitlements
from .models import Feature
from .selectors import billing_notice


def billing(request) -> dict:
    """`billing_notice` for the dashboard's banner (read when shown) and `white_label` (the plan's)."""
    tenant = getattr(request, "tenant", None)
    if getattr(request, "membership", None) is None or tenant is None:
        return {}
    return {
        "billing_notice": SimpleLazyObject(lambda: billing_notice(tenant) or {}),
        "white_label": entitlements(tenant).has(Feature.WHITE_LABEL),
    }
