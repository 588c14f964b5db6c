from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "apps.campaigns"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - connects Brevo's events, designs' and orders' signals
