"""Order tasks on the `default` queue: thin, keyed by order id, idempotent."""

import logging

from celery import shared_task

from apps.core.tasks import TenantTask

from .models import Order
from .pack import order_pack_build

logger = logging.getLogger(__name__)


@shared_task(base=TenantTask, bind=True, acks_late=True, soft_time_limit=300, time_limit=360, queue="default")
def order_pack_build_task(self, order_id: int) -> None:
    """Build the order's production pack, unless it is no longer asked for (a no-op then)."""
    order = Order.objects.select_related("brand").filter(pk=order_id).first()
    if order is None or order.pack_status != Order.PackStatus.BUILDING:
        logger.info("order %s: pack build skipped (%s)", order_id, order and order.pack_status)
        return
    order_pack_build(order=order)
