"""WhatsApp notifications off the request: load by id, call a service. Safe to run again (a
message is sent once per order or design and template); only Twilio's transient errors retry."""

from celery import shared_task

from . import inbox, services
from .errors import ServiceUnavailable

RETRY = {
    "autoretry_for": (ServiceUnavailable,),
    "retry_backoff": 30,
    "retry_backoff_max": 1800,
    "max_retries": 6,
}


@shared_task(queue="default", acks_late=True, **RETRY)
def whatsapp_order_confirmed_task(order_number: int) -> None:
    services.whatsapp_order_confirmed(order_number=order_number)


@shared_task(queue="default", acks_late=True, **RETRY)
def whatsapp_design_ready_task(design_id: int) -> None:
    services.whatsapp_design_ready(design_id=design_id)


@shared_task(queue="default", acks_late=True)
def inbox_sync_task() -> int:
    """Triage the Gmail inbox (the page shows its progress); safe to run again."""
    return inbox.inbox_sync()
