"""Product imports from connected shops, in the background (the `etl` queue, like every import)."""

from celery import shared_task

from apps.core.errors import ApplicationError
from apps.core.tasks import TenantTask

from .models import Integration
from .selectors import LIVE
from .services import integration_products_import


@shared_task(
    base=TenantTask, bind=True, acks_late=True, soft_time_limit=1800, time_limit=1860, queue="default"
)
def etl_products_import(self, integration_id: int) -> None:
    integration = (
        Integration.objects.select_related("brand").filter(pk=integration_id, status__in=LIVE).first()
    )
    if integration is None:
        return  # disconnected since it was queued
    try:
        integration_products_import(integration=integration)
    except ApplicationError:
        return  # recorded on the integration (status error, last_error) and announced to the dashboard
