"""Events brands' own Stripe accounts send us, on workspace hosts (included by api/urls.py)."""

from django.urls import path

from apps.brands.selectors import STRIPE_WEBHOOK_PATH

from . import hooks

urlpatterns = [
    path(STRIPE_WEBHOOK_PATH.lstrip("/"), hooks.stripe_events, name="stripe-events"),
]
