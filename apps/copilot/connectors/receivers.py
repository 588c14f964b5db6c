"""An order placed or a design turned ready: when the WhatsApp connector has that template, its
message is queued after the transaction commits (connected in apps/copilot/apps.py)."""

from django.db import transaction

from .services import Template, whatsapp_template
from .tasks import whatsapp_design_ready_task, whatsapp_order_confirmed_task


def order_placed(sender, *, order, **kwargs) -> None:
    if whatsapp_template(Template.ORDER_CONFIRMED):
        number = order.number
        transaction.on_commit(lambda: whatsapp_order_confirmed_task.delay(number))


def design_finished(sender, *, design, **kwargs) -> None:
    if design.shopper_session and whatsapp_template(Template.DESIGN_READY):
        design_id = design.pk
        transaction.on_commit(lambda: whatsapp_design_ready_task.delay(design_id))
