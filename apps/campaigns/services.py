"""Writes for campaigns: audiences, a campaign's life (draft → scheduled → sending ⇄ paused → sent,
or cancelled), the send log it queues, and what recipients do (unsubscribe, click) or providers
report (delivered, bounced, complained).

A campaign writes to each customer at most once: its recipients are inserted once (unique per
campaign and customer, one per e-mail address) and each is claimed before its message leaves."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.billing.entitlements import email_quota_check
from apps.core.crypto import encrypt
from apps.core.errors import Conflict, ValidationFailed
from apps.crm.models import CatalogItem, Customer
from apps.crm.models.scores import Segment
from apps.crm.selectors import LAST_PURCHASE_NEVER, LAST_PURCHASE_OLDER, LAST_PURCHASE_WITHIN
from apps.crm.services import customer_data, customer_erase, customer_update, email_normalize

from .errors import AudienceInUse
from .models import Audience, Campaign, Recipient, SendingSettings, Suppression, Template, TrackingEvent
from .rendering import language_normalise
from .selectors import audience_recipients
from .templates_services import SUBJECT_MAX, template_create

LIST_RULES = ("segments", "items", "families", "languages", "countries")
LAST_PURCHASE_VALUES = {"", *LAST_PURCHASE_WITHIN, LAST_PURCHASE_OLDER, LAST_PURCHASE_NEVER}
MAX_RULE_VALUES = 200
# A status set by a provider's event never replaces a later one (events arrive out of order).
STATUS_RANK = {
    Recipient.Status.SENT: 1,
    Recipient.Status.DELIVERED: 2,
    Recipient.Status.OPENED: 3,
    Recipient.Status.CLICKED: 4,
    Recipient.Status.BOUNCED: 5,
    Recipient.Status.UNSUBSCRIBED: 6,
    Recipient.Status.COMPLAINED: 7,
}
# Addresses a campaign must never write to again after these events.
SUPPRESSING = {
    TrackingEvent.Kind.BOUNCED: Suppression.Reason.HARD_BOUNCE,
    TrackingEvent.Kind.COMPLAINED: Suppression.Reason.COMPLAINT,
    TrackingEvent.Kind.UNSUBSCRIBED: Suppression.Reason.UNSUBSCRIBED,
}


# --- audiences ---------------------------------------------------------------------------------


def _strings(values, *, field: str) -> list[str]:
    if not isinstance(values, list) or len(values) > MAX_RULE_VALUES:
        raise ValidationFailed(
            details={field: [_("Expected a list of at most %d values.") % MAX_RULE_VALUES]}
        )
    if not all(isinstance(value, str | int) and not isinstance(value, bool) for value in values):
        raise ValidationFailed(details={field: [_("Expected a list of values.")]})
    return sorted({str(value).strip() for value in values if str(value).strip()})


def rules_clean(rules) -> dict:
    """Audience rules, checked and normalised: unknown keys and bad values are errors."""
    if not isinstance(rules, dict):
        raise ValidationFailed(details={"rules": [_("Expected an object.")]})
    unknown = set(rules) - {*LIST_RULES, "last_purchase", "abandoned_design"}
    if unknown:
        raise ValidationFailed(details={"rules": [_("Unknown rules: %s.") % ", ".join(sorted(unknown))]})
    clean = {name: _strings(rules.get(name, []), field=name) for name in LIST_RULES}
    bad_segments = set(clean["segments"]) - set(Segment.values)
    if bad_segments:
        raise ValidationFailed(
            details={"segments": [_("Unknown segments: %s.") % ", ".join(sorted(bad_segments))]}
        )
    if not all(item.isascii() and item.isdigit() and len(item) <= 18 for item in clean["items"]):
        raise ValidationFailed(details={"items": [_("Expected catalogue item ids.")]})
    clean["items"] = sorted(int(item) for item in clean["items"])
    if CatalogItem.objects.filter(pk__in=clean["items"]).count() != len(clean["items"]):
        raise ValidationFailed(details={"items": [_("Some catalogue items do not exist.")]})
    clean["languages"] = [language.lower() for language in clean["languages"]]
    clean["countries"] = [country.upper() for country in clean["countries"]]
    last_purchase = rules.get("last_purchase", "")
    if last_purchase not in LAST_PURCHASE_VALUES:
        raise ValidationFailed(details={"last_purchase": [_("Unknown period.")]})
    clean["last_purchase"] = last_purchase
    clean["abandoned_design"] = bool(rules.get("abandoned_design"))
    return clean


def audience_save(
    *, audience: Audience | None = None, name: str, rules: dict, user_id: int | None
) -> Audience:
    audience = audience or Audience(created_by=user_id)
    audience.name = name.strip()
    audience.rules = rules_clean(rules)
    if not audience.name:
        raise ValidationFailed(details={"name": [_("A name is required.")]})
    audience.save()
    return audience


def audience_delete(*, audience: Audience) -> None:
    if audience.campaigns.exists():
        raise AudienceInUse()
    audience.delete()


# --- a campaign's life -------------------------------------------------------------------------


def campaign_create(
    *,
    name: str,
    audience: Audience,
    template: Template,
    user_id: int | None,
    attribution_days: int = 7,
    track_opens: bool = False,
) -> Campaign:
    if not name.strip():
        raise ValidationFailed(details={"name": [_("A name is required.")]})
    return Campaign.objects.create(
        name=name.strip(),
        audience=audience,
        template=template,
        attribution_days=attribution_days,
        track_opens=track_opens,
        created_by=user_id,
    )


def campaign_draft_make(
    *, name: str, audience: Audience, heading: str, text: str, user_id: int | None
) -> Campaign:
    """A draft campaign whose template is a heading and a paragraph, in the active language (the
    planner's plan items, the copilot's proposals). ValidationFailed (`details.text`) when the
    e-mail editor refuses the text (e.g. an unknown {{ field }})."""
    language = language_normalise(get_language()) or "en"
    heading = heading[:SUBJECT_MAX]
    blocks = [{"kind": "heading", "text": heading}, {"kind": "text", "text": text}]
    content = {language: {"subject": heading, "preheader": "", "blocks": blocks}}
    try:
        template = template_create(name=name, default_language=language, content=content)
    except ValidationError as error:
        raise ValidationFailed(details={"text": error.messages}) from error
    return campaign_create(name=name, audience=audience, template=template, user_id=user_id)


def _locked(campaign: Campaign, *allowed: str) -> Campaign:
    """The campaign, locked for the transaction, if its status is one of `allowed`. An automation
    is only paused and resumed (the automations page turns it off and on)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.automation and not set(allowed) <= {Campaign.Status.SENDING, Campaign.Status.PAUSED}:
        raise Conflict(_("An automation is turned off on its page, not cancelled or scheduled."))
    if campaign.status not in allowed:
        raise Conflict(
            _("The campaign is %(status)s: this cannot be done now.")
            % {"status": campaign.get_status_display()}
        )
    return campaign


def send_soon(campaign: Campaign) -> None:
    """Queue the campaign's sender once the transaction commits."""
    from .tasks import campaign_send_task  # tasks import services

    transaction.on_commit(lambda: campaign_send_task.delay(campaign.pk))


@transaction.atomic
def campaign_start(*, campaign: Campaign, at: datetime | None = None) -> Campaign:
    """Send now (recipients queued from the audience as it is at this moment), or at `at`."""
    campaign = _locked(campaign, Campaign.Status.DRAFT, Campaign.Status.SCHEDULED)
    if at and at > timezone.now():
        campaign.status, campaign.scheduled_at = Campaign.Status.SCHEDULED, at
        campaign.save(update_fields=["status", "scheduled_at", "updated_at"])
        return campaign
    queued = recipients_queue(campaign)
    if not queued and not campaign.recipients.exists():
        raise Conflict(_("Nobody in this audience can receive it: no consent, no address, or suppressed."))
    # 402 beyond the month's e-mails: the queue just written rolls back with the refusal
    email_quota_check(campaign.recipients.filter(status=Recipient.Status.QUEUED).count())
    campaign.status, campaign.started_at = Campaign.Status.SENDING, timezone.now()
    campaign.save(update_fields=["status", "started_at", "updated_at"])
    send_soon(campaign)
    return campaign


@transaction.atomic
def campaign_pause(*, campaign: Campaign, reason: str = "") -> Campaign:
    campaign = _locked(campaign, Campaign.Status.SENDING)
    campaign.status, campaign.paused_reason = Campaign.Status.PAUSED, reason[:300]
    campaign.save(update_fields=["status", "paused_reason", "updated_at"])
    return campaign


@transaction.atomic
def campaign_resume(*, campaign: Campaign) -> Campaign:
    campaign = _locked(campaign, Campaign.Status.PAUSED)
    campaign.status, campaign.paused_reason = Campaign.Status.SENDING, ""
    campaign.save(update_fields=["status", "paused_reason", "updated_at"])
    send_soon(campaign)
    return campaign


@transaction.atomic
def campaign_cancel(*, campaign: Campaign, reason: str = "") -> Campaign:
    """Stops it: what was sent stays sent; the rest is never sent."""
    campaign = _locked(
        campaign,
        Campaign.Status.DRAFT,
        Campaign.Status.SCHEDULED,
        Campaign.Status.SENDING,
        Campaign.Status.PAUSED,
    )
    campaign.status, campaign.finished_at = Campaign.Status.CANCELLED, timezone.now()
    campaign.paused_reason = reason[:300]
    campaign.save(update_fields=["status", "finished_at", "paused_reason", "updated_at"])
    campaign.recipients.filter(status=Recipient.Status.QUEUED).update(
        status=Recipient.Status.SKIPPED, error="cancelled", status_at=timezone.now()
    )
    return campaign


def campaign_finish_if_done(campaign: Campaign) -> bool:
    """Marks a sending campaign sent once no recipient waits (never an automation: it waits for
    the next event). True if it is (now) sent."""
    waiting = Q(status__in=[Recipient.Status.QUEUED, Recipient.Status.SENDING])
    finished = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.SENDING, automation="").exclude(
        pk__in=Recipient.objects.filter(waiting, campaign=campaign).values("campaign_id")
    )
    return bool(
        finished.update(status=Campaign.Status.SENT, finished_at=timezone.now(), updated_at=timezone.now())
    )


def recipients_queue(campaign: Campaign) -> int:
    """Insert the send log from the audience: one row per address (the lowest customer id among
    those sharing it), with an unguessable token; rows already there stay as they are. One
    statement, whatever the audience's size. Returns how many rows were added."""
    customers = (
        audience_recipients(campaign.audience.rules)
        .order_by("email", "pk")
        .distinct("email")
        .values_list("pk", "email", "language", "score__segment")
    )
    sql, params = customers.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Recipient._meta.db_table}
                (campaign_id, customer_id, email, language, segment, status, error, message_id,
                 token, attempts, queued_at, status_at)
            SELECT %s, c.id, c.email, c.language, coalesce(c.segment, ''), %s, '', '',
                   replace(gen_random_uuid()::text, '-', ''), 0, now(), now()
            FROM ({sql}) AS c (id, email, language, segment)
            ON CONFLICT DO NOTHING
            """,  # noqa: S608 - the subquery is the ORM's, with its parameters
            [campaign.pk, Recipient.Status.QUEUED, *params],
        )
        return cursor.rowcount


# --- what recipients do and providers report ---------------------------------------------------


def suppression_add(*, email: str, reason: str, source: str = "") -> None:
    email = email_normalize(email)
    if email:
        Suppression.objects.get_or_create(email=email, defaults={"reason": reason, "source": source[:60]})


@dataclass(frozen=True)
class Event:
    recipient: Recipient
    kind: str
    at: datetime
    url: str = ""
    source: str = "luneo"
    detail: str = ""


@transaction.atomic
def event_record(event: Event) -> bool:
    """Store what happened to a message (a repeat is stored once), move the recipient's status
    forward, and suppress the address after a hard bounce, a complaint or an unsubscribe.
    Returns False for a repeat."""
    _event, created = TrackingEvent.objects.get_or_create(
        recipient=event.recipient,
        event=event.kind,
        at=event.at,
        defaults={"url": event.url[:2000], "source": event.source, "detail": event.detail[:300]},
    )
    if not created:
        return False
    status = Recipient.Status(event.kind)
    recipient = Recipient.objects.select_for_update().get(pk=event.recipient.pk)
    if STATUS_RANK.get(status, 0) > STATUS_RANK.get(recipient.status, 0):
        recipient.status, recipient.status_at = status, timezone.now()
        recipient.save(update_fields=["status", "status_at"])
    if event.kind in SUPPRESSING:
        suppression_add(email=recipient.email, reason=SUPPRESSING[event.kind], source=event.source)
    return True


@transaction.atomic
def unsubscribe(*, recipient: Recipient, ip: str | None = None, source: str = "unsubscribe link") -> None:
    """The recipient withdraws consent: logged on their customer, the address suppressed."""
    if recipient.customer_id:
        customer_update(
            customer=recipient.customer, marketing_consent=False, consent_source=source, consent_ip=ip
        )
    event_record(
        Event(recipient=recipient, kind=TrackingEvent.Kind.UNSUBSCRIBED, at=timezone.now(), source="luneo")
    )


@transaction.atomic
def resubscribe(*, recipient: Recipient, ip: str | None = None) -> None:
    """The recipient, from their preference centre (reached from a message sent to that address,
    which confirms it is theirs), gives consent again; an unsubscribe's suppression is lifted, a
    bounce's or a complaint's is not."""
    if recipient.customer_id is None:
        return
    customer_update(
        customer=recipient.customer, marketing_consent=True, consent_source="preference centre", consent_ip=ip
    )
    Suppression.objects.filter(email=recipient.email, reason=Suppression.Reason.UNSUBSCRIBED).delete()


# --- a person's data (GDPR) --------------------------------------------------------------------


def contact_data(customer: Customer) -> dict:
    """What Luneo holds about a person: the CRM's record and the messages sent to them."""
    recipients = Recipient.objects.filter(customer=customer).select_related("campaign").order_by("queued_at")
    messages = [
        {
            "campaign": recipient.campaign.name,
            "email": recipient.email,
            "status": recipient.status,
            "sent_at": recipient.sent_at,
            "events": list(recipient.events.order_by("at").values("event", "at", "url")),
        }
        for recipient in recipients.prefetch_related("events")
    ]
    return {**customer_data(customer), "messages": messages}


@transaction.atomic
def contact_erase(*, customer: Customer) -> None:
    """Erase a person's data on request: the CRM's record blanked, their orders anonymised, the
    addresses of the messages sent to them removed; their address stays on the suppression list
    only, so that no later import or campaign writes to them again."""
    suppression_add(email=customer.email, reason=Suppression.Reason.ERASED, source="erasure request")
    Recipient.objects.filter(customer=customer).update(email="", status_at=timezone.now())
    customer_erase(customer=customer)


# --- how the workspace sends -------------------------------------------------------------------


@transaction.atomic
def sending_settings_save(
    *, brevo_api_key: str = "", remove_key: bool = False, from_email: str = "", rate_per_minute: int | None
) -> SendingSettings:
    """Save the workspace's sending settings. The key is stored encrypted and never shown again
    (only its last four characters); an empty key keeps the one saved, `remove_key` deletes it."""
    sending = SendingSettings.objects.select_for_update().first() or SendingSettings()
    if remove_key:
        sending.brevo_api_key, sending.brevo_key_hint = "", ""
    elif brevo_api_key.strip():
        key = brevo_api_key.strip()
        sending.brevo_api_key, sending.brevo_key_hint = encrypt(key), f"…{key[-4:]}"
    sending.from_email = email_normalize(from_email)
    sending.rate_per_minute = rate_per_minute
    sending.save()
    return sending
