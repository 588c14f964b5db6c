"""Shops' webhooks, under /api/v1/ on workspace hosts."""

from django.urls import re_path

from .views_inbound import webhook_receive

urlpatterns = [
    re_path(
        r"^integrations/(?P<kind>shopify|woocommerce)/webhooks$", webhook_receive, name="integration_webhook"
    ),
]
