from django.apps import AppConfig


class BrandsConfig(AppConfig):
    name = "apps.brands"

    def ready(self) -> None:
        from apps.billing.meters import meter_register
        from apps.billing.models import Limit

        from .selectors import brand_count

        meter_register(Limit.BRANDS, lambda tenant: brand_count())
