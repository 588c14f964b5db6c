"""Sending a campaign in batches: each batch claims its recipients (status `sending`, committed)
before any message leaves, so a second worker, a retried task or a task queued again after Redis
lost it never sends the same message twice. A worker that dies between the claim and the send
leaves those recipients `sending`; the sweep marks them failed after a while rather than risk a
second message (what the provider accepted cannot be known). A batch is as large as the
workspace's and the provider's send rates allow (token buckets: throttle.py)."""

import smtplib
from dataclasses import dataclass
from datetime import timedelta

from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.billing.entitlements import email_quota_release, email_quota_reserve
from apps.core.errors import Conflict
from apps.crm.models import Customer
from apps.crm.scoring.customers import recommendations_ranked

from .automations import after_send, still_due
from .delivery import mail_connection, message_build, rate_per_minute, sender
from .links import click_url, list_unsubscribe_headers, open_url, preferences_url, unsubscribe_url
from .models import Campaign, Recipient, Suppression
from .rendering import Links, message_render
from .services import campaign_finish_if_done, campaign_pause
from .throttle import give_back, send_buckets, take

STUCK_AFTER = timedelta(minutes=15)
STALLED_AFTER = timedelta(minutes=3)
# A claimed recipient in one of these after its batch: no message left (a provider's event may
# already have moved the others past `sent`).
UNSENT = [
    Recipient.Status.QUEUED,
    Recipient.Status.SENDING,
    Recipient.Status.FAILED,
    Recipient.Status.SKIPPED,
]


def _claim(campaign: Campaign, size: int) -> list[Recipient]:
    with transaction.atomic():
        ids = list(
            Recipient.objects.select_for_update(skip_locked=True)
            .filter(campaign=campaign, status=Recipient.Status.QUEUED, due_at__lte=timezone.now())
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        )
        Recipient.objects.filter(pk__in=ids).update(status=Recipient.Status.SENDING, status_at=timezone.now())
    recommendations = Prefetch(
        "customer__recommendations", queryset=recommendations_ranked().select_related("item__product")
    )
    return list(
        Recipient.objects.filter(pk__in=ids)
        .select_related("customer")
        .prefetch_related(recommendations)
        .order_by("pk")
    )


def _mark(recipient: Recipient, status: str, **fields) -> None:
    fields = {"status": status, "status_at": timezone.now(), **fields}
    Recipient.objects.filter(pk=recipient.pk).update(**fields)


@dataclass(frozen=True)
class Batch:
    """What the messages of one batch share: the open connection, the suppressed addresses among
    its recipients, the sender."""

    connection: object
    suppressed: set[str]
    from_email: str


def _may_receive(recipient: Recipient, suppressed: set[str]) -> bool:
    """Checked again at send time: consent withdrawn or address suppressed since it was queued."""
    customer: Customer | None = recipient.customer
    return customer is not None and customer.marketing_consent is True and recipient.email not in suppressed


def _refused(error: AnymailAPIError) -> bool:
    """The provider refused this message for good (a 4xx other than 429): retrying will not help."""
    status = getattr(error, "status_code", None)
    return status is not None and 400 <= status < 500 and status != 429


def _send_one(campaign: Campaign, recipient: Recipient, batch: Batch) -> None:
    if not _may_receive(recipient, batch.suppressed):
        _mark(recipient, Recipient.Status.SKIPPED, error="no consent or suppressed")
        return
    if campaign.automation and not still_due(recipient):
        _mark(recipient, Recipient.Status.SKIPPED, error="no longer due: the design was ordered")
        return
    links = Links(
        click=lambda url: click_url(recipient, url),
        unsubscribe=unsubscribe_url(recipient),
        preferences=preferences_url(recipient),
        open_pixel=open_url(recipient) if campaign.track_opens else "",
    )
    rendered = message_render(campaign.template, customer=recipient.customer, links=links)
    message = message_build(
        rendered,
        to=recipient.email,
        headers=list_unsubscribe_headers(recipient),
        connection=batch.connection,
        from_email=batch.from_email,
    )
    try:
        message.send()
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, AnymailRecipientsRefused) as error:
        _mark(recipient, Recipient.Status.FAILED, error=str(error)[:300], attempts=recipient.attempts + 1)
        return
    except AnymailAPIError as error:
        if not _refused(error):
            raise  # 5xx, 429, timeout: the provider may be back soon; the batch is retried
        _mark(recipient, Recipient.Status.FAILED, error=str(error)[:300], attempts=recipient.attempts + 1)
        return
    status = getattr(message, "anymail_status", None)
    _mark(
        recipient,
        Recipient.Status.SENT,
        sent_at=timezone.now(),
        attempts=recipient.attempts + 1,
        message_id=(getattr(status, "message_id", None) or "")[:200] if status else "",
    )
    if campaign.automation:
        after_send(campaign, recipient)


@dataclass(frozen=True)
class Paced:
    """A batch sent at the send rates: how many recipients it claimed, or, when the workspace's or
    the provider's bucket is empty, the seconds until their next token."""

    claimed: int
    wait: float = 0


def _sending(campaign: Campaign) -> Campaign | None:
    campaign = Campaign.objects.select_related("template").get(pk=campaign.pk)
    return campaign if campaign.status == Campaign.Status.SENDING else None


def batch_send(campaign: Campaign, size: int | None = None) -> int:
    """Send one batch of a sending campaign: `size` recipients, by default the workspace's messages
    per minute, whatever the send rates (the task sends through `batch_send_paced`). Returns how
    many recipients were claimed; 0 when there is nothing left (the campaign is then sent). When
    the mail server cannot be reached, the unsent recipients go back to the queue and the error
    is raised (the task retries)."""
    campaign = _sending(campaign)
    return _deliver(campaign, _claim(campaign, size or rate_per_minute())) if campaign else 0


def batch_send_paced(campaign: Campaign, *, now: float | None = None) -> Paced:
    """`batch_send` with as many recipients as the workspace's and the provider's buckets allow:
    the tokens are taken before the claim and those not claimed given back before any message
    leaves. Nothing is sent while a bucket is empty (`now`: the buckets' clock, `throttle.take`)."""
    campaign = _sending(campaign)
    if campaign is None:
        return Paced(claimed=0)
    buckets = send_buckets()
    grant = take(buckets, rate_per_minute(), now=now)
    if not grant.count:
        return Paced(claimed=0, wait=grant.wait)
    recipients = _claim(campaign, grant.count)
    give_back(buckets, grant.count - len(recipients), now=now)
    return Paced(claimed=_deliver(campaign, recipients))


def _deliver(campaign: Campaign, recipients: list[Recipient]) -> int:
    # The plan's e-mails for the month: what is left of them is taken for this batch, the rest
    # goes back to the queue and the campaign pauses (never sent over the quota).
    allowed = email_quota_reserve(len(recipients))
    recipients, over = recipients[:allowed], recipients[allowed:]
    _requeue(over)
    if recipients:
        emails = [recipient.email for recipient in recipients]
        suppressed = set(Suppression.objects.filter(email__in=emails).values_list("email", flat=True))
        try:
            with mail_connection() as connection:
                batch = Batch(connection=connection, suppressed=suppressed, from_email=sender())
                for recipient in recipients:
                    _send_one(campaign, recipient, batch)
        except (OSError, smtplib.SMTPException, AnymailAPIError):
            # The server could not be reached: the messages not marked yet did not leave.
            _requeue(recipients)
            raise
        finally:  # only messages that left count against the quota
            left = Recipient.objects.filter(pk__in=[r.pk for r in recipients]).exclude(status__in=UNSENT)
            email_quota_release(allowed - left.count())
    if over:
        _pause_over_quota(campaign)
        return len(recipients)
    campaign_finish_if_done(campaign)
    return len(recipients)


def _requeue(recipients: list[Recipient]) -> None:
    """Claimed recipients whose message did not leave go back to the queue."""
    claimed = [recipient.pk for recipient in recipients]
    Recipient.objects.filter(pk__in=claimed, status=Recipient.Status.SENDING).update(
        status=Recipient.Status.QUEUED
    )


def _pause_over_quota(campaign: Campaign) -> None:
    reason = _(
        "Paused: this month's campaign e-mails of the plan are used up. Upgrade the plan and resume, "
        "or resume next month."
    )
    try:
        campaign_pause(campaign=campaign, reason=reason)
    except Conflict:  # cancelled or paused meanwhile: nothing to do
        pass


def stalled() -> list[Campaign]:
    """Sending campaigns with recipients waiting and no progress for a while: their task was lost
    (a worker or Redis restarted). Queueing them again is safe: claims never overlap."""
    now = timezone.now()
    recent = Recipient.objects.filter(campaign=OuterRef("pk"), status_at__gte=now - STALLED_AFTER)
    waiting = Recipient.objects.filter(
        campaign=OuterRef("pk"), status=Recipient.Status.QUEUED, due_at__lte=now
    )
    # An automation whose messages fell due has no task queued: it is started each minute.
    idle = ~Exists(recent) | ~Q(automation="")
    return list(Campaign.objects.filter(Exists(waiting), idle, status=Campaign.Status.SENDING))


def stuck_sweep() -> int:
    """Recipients claimed long ago and never marked: their worker died mid-send."""
    return Recipient.objects.filter(
        status=Recipient.Status.SENDING, status_at__lt=timezone.now() - STUCK_AFTER
    ).update(
        status=Recipient.Status.FAILED,
        error="interrupted while sending; not sent again, as it may have left",
        status_at=timezone.now(),
    )
