"""What campaigns answer: Brevo's delivery events, received by django-anymail's tracking webhook
on the workspace's host (basic auth), become the recipients' tracking events; a design turning
ready and an order placed feed the automations."""

from anymail.signals import EventType, tracking
from django.dispatch import receiver
from django.utils import timezone

from apps.crm.selectors import order_customer
from apps.designs.signals import design_finished
from apps.orders.signals import order_placed

from . import automations
from .models import Recipient, TrackingEvent
from .services import Event, event_record, unsubscribe

# Brevo's event name → ours; soft bounces, deferrals and the rest are not a recipient's outcome.
KINDS = {
    "delivered": TrackingEvent.Kind.DELIVERED,
    "opened": TrackingEvent.Kind.OPENED,
    "unique_opened": TrackingEvent.Kind.OPENED,
    "click": TrackingEvent.Kind.CLICKED,
    "hard_bounce": TrackingEvent.Kind.BOUNCED,
    "invalid_email": TrackingEvent.Kind.BOUNCED,
    "spam": TrackingEvent.Kind.COMPLAINED,
    "complaint": TrackingEvent.Kind.COMPLAINED,
    "unsubscribe": TrackingEvent.Kind.UNSUBSCRIBED,
}


@receiver(tracking, dispatch_uid="campaigns.brevo_event")
def brevo_event(sender, event, esp_name, **kwargs) -> None:
    kind = KINDS.get(str(event.esp_event.get("event", "")))
    recipient = Recipient.objects.filter(message_id=event.message_id).first() if event.message_id else None
    if kind is None or recipient is None or event.event_type == EventType.UNKNOWN:
        return
    if kind == TrackingEvent.Kind.UNSUBSCRIBED:
        unsubscribe(recipient=recipient, source="brevo")
        return
    at = event.timestamp or timezone.now()
    detail = str(event.mta_response or "")
    event_record(
        Event(recipient=recipient, kind=kind, at=at, url=event.click_url or "", source="brevo", detail=detail)
    )


@receiver(design_finished, dispatch_uid="campaigns.design_finished")
def design_ready(sender, *, design, **kwargs) -> None:
    automations.design_finished(design)


@receiver(order_placed, dispatch_uid="campaigns.order_placed")
def order_received(sender, *, order, **kwargs) -> None:
    """After the CRM's receiver (connected first, its app being listed first) attached the order."""
    automations.order_placed(order, order_customer(order.pk))
