from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    name = "apps.storefront"
    verbose_name = "Storefront (widget)"
