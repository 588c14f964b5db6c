from django.apps import AppConfig
from django.db.models.signals import post_migrate
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

        from allauth.mfa.signals import authenticator_added

        from .staff import authenticator_app_activated, staff_groups_after_migrate

        # The staff groups: after every migrate, once every app's permissions exist (no migration).
        post_migrate.connect(staff_groups_after_migrate, dispatch_uid="console.staff_groups")
        authenticator_added.connect(authenticator_app_activated, dispatch_uid="console.mfa_activated")
