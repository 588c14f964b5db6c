"""Imports in the background, on the `etl` queue."""

from celery import shared_task

from apps.core.tasks import TenantTask

from ..models import Import
from .services import import_execute


@shared_task(base=TenantTask, bind=True, acks_late=True, soft_time_limit=3600, time_limit=3660, queue="etl")
def crm_import_task(self, import_id: int) -> None:
    import_run = Import.objects.filter(pk=import_id, status=Import.Status.QUEUED).first()
    if import_run is None:
        return  # redelivered after it ran, or gone
    import_execute(import_run=import_run)
