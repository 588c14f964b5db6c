"""Brevo's delivery events, received by django-anymail's tracking webhook on the workspace's host
(basic auth), become the recipients' tracking events."""

from anymail.signals import EventType, tracking
from django.dispatch import receiver
from django.utils import timezone

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
