from django.apps import AppConfig
from django.conf import settings


class TenantsConfig(AppConfig):
    name = "apps.tenants"

    def ready(self) -> None:
        from .hosts import AllowedHosts

        # Settings list the configured hosts; requests for a verified custom domain are admitted too.
        if not isinstance(settings.ALLOWED_HOSTS, AllowedHosts):
            settings.ALLOWED_HOSTS = AllowedHosts(settings.ALLOWED_HOSTS)
