from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "apps.accounts"

    def ready(self) -> None:
        from apps.billing.meters import meter_register
        from apps.billing.models import Limit

        from .selectors import seats_used

        meter_register(Limit.SEATS, lambda tenant: seats_used(tenant=tenant))
