from django.utils.functional import SimpleLazyObject

from .selectors import billing_notice


def billing(request) -> dict:
    """`billing_notice` for the dashboard's banner (members of a workspace only; read when shown)."""
    tenant = getattr(request, "tenant", None)
    if getattr(request, "membership", None) is None or tenant is None:
        return {}
    return {"billing_notice": SimpleLazyObject(lambda: billing_notice(tenant) or {})}
