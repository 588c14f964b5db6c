from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "apps.core"

    def ready(self) -> None:
        # Bind shared tasks to Luneo's Celery app in every Django process (web, commands).
        import config.celery  # noqa: F401

        from .schedules import schedules_sync_after_migrate

        # post_migrate is sent per app with models; the schedules live in django_celery_beat's.
        post_migrate.connect(schedules_sync_after_migrate, sender=apps.get_app_config("django_celery_beat"))
