from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "apps.billing"

    def ready(self) -> None:
        from .entitlements import ai_tokens_used, emails_used
        from .meters import meter_register
        from .models import Limit
        from .selectors import designs_used

        meter_register(Limit.DESIGNS, designs_used)
        meter_register(Limit.EMAILS, emails_used)
        meter_register(Limit.AI_TOKENS, ai_tokens_used)
