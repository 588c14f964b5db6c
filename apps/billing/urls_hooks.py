"""Stripe's events on the public host, under dj-stripe's URL name so its admin builds endpoint URLs to us."""

from django.urls import path

from .views import stripe_webhook

app_name = "djstripe"
urlpatterns = [path("webhook/<uuid:uuid>/", stripe_webhook, name="djstripe_webhook_by_uuid")]
