from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsoleConfig(AppConfig):
    name = "apps.console"
    verbose_name = _("Operators' console")

    def ready(self) -> None:
        # Every process that loads Django connects it: web, and the worker (config/celery.py's
        # Django fixup calls django.setup() before the worker takes tasks).
        from celery import signals

        from .failures import task_failure_record

        signals.task_failure.connect(task_failure_record, weak=False, dispatch_uid="console.task_failure")
