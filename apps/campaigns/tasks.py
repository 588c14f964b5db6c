"""Campaign tasks: send a batch (then the next one a minute on, or at the next token when the
workspace's or the provider's send rate is used up), and the minute's tick (start scheduled
campaigns, resume lost sends, close interrupted claims)."""

import smtplib

from anymail.exceptions import AnymailAPIError
from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.billing.errors import QuotaExceeded
from apps.core.errors import Conflict

from .models import Campaign
from .sending import batch_send_paced, stalled, stuck_sweep
from .services import campaign_cancel, campaign_pause, campaign_start

BATCH_INTERVAL_SECONDS = 60
MAX_FAILURES = 6
PROVIDER_ERRORS = (OSError, smtplib.SMTPException, AnymailAPIError)


@shared_task(queue="default", soft_time_limit=300, time_limit=330)
def campaign_send_task(campaign_id: int, failures: int = 0) -> int:
    """Safe to run twice or concurrently: each run claims its own recipients. When the mail server
    or provider fails, queued again after 1, 2, 4… minutes; after `MAX_FAILURES` failures in a row
    the campaign is paused with the reason, for a person to resume."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    try:
        paced = batch_send_paced(campaign)
    except PROVIDER_ERRORS as error:
        failures += 1
        if failures >= MAX_FAILURES:
            reason = _("Paused after %(count)d failed attempts to send: %(error)s")
            campaign_pause(campaign=campaign, reason=reason % {"count": failures, "error": error})
            return 0
        campaign_send_task.apply_async((campaign_id, failures), countdown=60 * 2 ** (failures - 1))
        return 0
    if paced.wait:  # the send rate is used up: again at the next token, failures still counted
        campaign_send_task.apply_async((campaign_id, failures), countdown=paced.wait)
    elif paced.claimed:
        campaign_send_task.apply_async((campaign_id,), countdown=BATCH_INTERVAL_SECONDS)
    return paced.claimed


@shared_task(queue="default")
def campaigns_tick_task() -> dict:
    """Every minute in each workspace (beat)."""
    due = Campaign.objects.filter(status=Campaign.Status.SCHEDULED, scheduled_at__lte=timezone.now())
    started = 0
    for campaign in due:
        try:
            campaign_start(campaign=campaign)
            started += 1
        except (Conflict, QuotaExceeded) as error:  # nobody to write to, no e-mails left: it ends, saying why
            campaign_cancel(campaign=campaign, reason=error.message)
    resumed = stalled()
    for campaign in resumed:
        campaign_send_task.delay(campaign.pk)
    return {"started": started, "resumed": len(resumed), "interrupted": stuck_sweep()}
