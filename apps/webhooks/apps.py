from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "apps.webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from apps.billing.meters import meter_register
        from apps.billing.models import Limit

        from .selectors import endpoint_count

        meter_register(Limit.WEBHOOK_ENDPOINTS, lambda tenant: endpoint_count())
