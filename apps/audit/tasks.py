"""Public-schema audit housekeeping (beat)."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, queue="default")
def audit_purge_task() -> int:
    return services.audit_purge()
