"""Webhook delivery tasks: thin, idempotent (see apps/webhooks/services.py for the rules)."""

from celery import shared_task

from apps.core.tasks import TenantTask

from . import services


@shared_task(
    base=TenantTask, acks_late=True, ignore_result=True, soft_time_limit=120, time_limit=150, queue="default"
)
def delivery_task(delivery_id: int, number: int, manual: bool = False) -> None:
    """Attempt `number` of a delivery; a no-op if it was made already or is not due."""
    services.delivery_attempt(delivery_id=delivery_id, number=number, manual=manual)


@shared_task(base=TenantTask, acks_late=True, ignore_result=True, queue="default")
def deliveries_sweep_task() -> int:
    """Periodic, per workspace: queue again the pending deliveries whose task was lost."""
    return services.deliveries_sweep()
