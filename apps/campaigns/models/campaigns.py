import secrets

from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.crm.models import Customer

from .audiences import Audience
from .templates import Template


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        PAUSED = "paused", _("Paused")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    class Automation(models.TextChoices):
        DESIGN_ABANDONED = "design_abandoned", _("Left a design unordered")
        OCCASION = "occasion", _("An occasion comes back")

    name = models.CharField(_("name"), max_length=120)
    # None for an automation: its recipients come one by one from events (apps.campaigns.automations).
    audience = models.ForeignKey(
        Audience, on_delete=models.PROTECT, null=True, blank=True, related_name="campaigns"
    )
    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="campaigns")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    scheduled_at = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    paused_reason = models.CharField(max_length=300, blank=True)
    attribution_days = models.PositiveSmallIntegerField(_("attribution window (days)"), default=7)
    track_opens = models.BooleanField(_("track opens"), default=False)  # off by default: privacy
    # An automation (one per kind) is a campaign that stays `sending` while it is on (`paused` when
    # off); `automation_delay` is hours after the design for DESIGN_ABANDONED, days before for OCCASION.
    automation = models.CharField(max_length=20, choices=Automation.choices, blank=True)
    automation_delay = models.PositiveSmallIntegerField(default=0)
    created_by = models.BigIntegerField(null=True, blank=True)  # a public-schema User id
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "scheduled_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["automation"], condition=~models.Q(automation=""), name="campaigns_automation_once"
            ),
        ]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.name


def recipient_token() -> str:
    return secrets.token_urlsafe(18)


class Recipient(models.Model):
    """The send log: one row per customer per campaign (per `key` for an automation: the design
    or the occasion it is about), written before anything is sent, so a task run twice — a worker
    killed, Redis restarted — never sends a message twice. It leaves at `due_at`, not before."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        OPENED = "opened", _("Opened")
        CLICKED = "clicked", _("Clicked")
        BOUNCED = "bounced", _("Bounced")
        COMPLAINED = "complained", _("Complained")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")  # consent withdrawn or address suppressed after queueing

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="recipients")
    customer = models.ForeignKey(Customer, on_delete=models.SET_NULL, null=True, related_name="+")
    email = models.CharField(max_length=254)
    language = models.CharField(max_length=10, blank=True)
    segment = models.CharField(max_length=30, blank=True)  # the RFM segment when queued: reports by segment
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.QUEUED)
    error = models.CharField(max_length=300, blank=True)
    message_id = models.CharField(max_length=200, blank=True, db_index=True)  # the provider's
    token = models.CharField(max_length=32, unique=True, default=recipient_token)  # links: click, unsubscribe
    attempts = models.PositiveSmallIntegerField(default=0)
    key = models.CharField(max_length=80, blank=True, default="", db_default="")
    queued_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(default=timezone.now, db_default=Now())
    sent_at = models.DateTimeField(null=True, blank=True)
    status_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "customer", "key"], name="campaigns_recipient_once"),
        ]
        indexes = [models.Index(fields=["campaign", "status"])]

    def __str__(self) -> str:
        return self.email


class TrackingEvent(models.Model):
    """What happened to a message, from the provider's webhook or Luneo's click redirect. Providers
    send events out of order and without ids: (recipient, event, at) is unique, so a repeat is
    stored once."""

    class Kind(models.TextChoices):
        DELIVERED = "delivered", _("Delivered")
        OPENED = "opened", _("Opened")
        CLICKED = "clicked", _("Clicked")
        BOUNCED = "bounced", _("Bounced")
        COMPLAINED = "complained", _("Complained")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="events")
    event = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField()
    url = models.CharField(max_length=2000, blank=True)
    source = models.CharField(max_length=20, blank=True)  # "brevo", "luneo"
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event", "at"], name="campaigns_event_once"),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.at:%Y-%m-%d %H:%M:%S}"
