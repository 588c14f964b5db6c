"""Ready-made automations, event-driven: an e-mail to one customer because of what they did, not
a segment rebuilt by cron.

- **Left a design unordered** (`design_abandoned`): when a design turns ready in a widget session
  a known customer ordered from, its e-mail is due `automation_delay` hours later; at send time
  it is skipped if the design was ordered meanwhile.
- **An occasion comes back** (`occasion`): when an order holds a design whose text names an
  occasion (a birthday, a wedding, a date), its e-mail is due `automation_delay` days before the
  day comes back; once sent, the next year's is scheduled.

Each automation is a `Campaign` with `automation` set and no audience: `sending` while on,
`paused` while off (what is due waits). Its recipients are scheduled rows of the send log, one
per customer and `key` (the design or the occasion), so the batch sender, consent and
suppression checks, quota, tracking and reports are the campaigns'.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.errors import ValidationFailed
from apps.crm.models import Customer
from apps.crm.selectors import design_reminders, session_customer
from apps.designs.selectors import design_by_pk, design_ordered

from .models import Campaign, Recipient, Template
from .services import send_soon

Kind = Campaign.Automation
REMINDER_TIME = time(9, 0)  # an occasion's e-mail leaves at 9:00 (the platform's time zone)


@dataclass(frozen=True)
class Spec:
    label: str
    description: str
    delay_label: str
    delay_default: int
    delay_max: int


SPECS = {
    Kind.DESIGN_ABANDONED: Spec(
        label=_("Left a design unordered"),
        description=_(
            "A customer you know (they ordered before from the same browser) finishes a design in "
            "your widget and does not order it: they get this e-mail after the delay, unless they "
            "ordered it meanwhile. Add a “Their designs” block to show them the design."
        ),
        delay_label=_("Hours after the design is ready"),
        delay_default=24,
        delay_max=720,
    ),
    Kind.OCCASION: Spec(
        label=_("An occasion comes back"),
        description=_(
            "A customer ordered a design whose text names an occasion (a birthday, a wedding, a "
            "date): they get this e-mail before the day comes back, every year."
        ),
        delay_label=_("Days before the day"),
        delay_default=14,
        delay_max=60,
    ),
}


def automation_on(campaign: Campaign | None) -> bool:
    """Whether an automation (None: not set up) schedules and sends: on is `sending`."""
    return campaign is not None and campaign.pk is not None and campaign.status == Campaign.Status.SENDING


def automation_get(kind: str) -> Campaign | None:
    return Campaign.objects.select_related("template").filter(automation=kind).first()


def automations() -> list[tuple[str, Spec, Campaign | None]]:
    """Each automation's kind, description and campaign (None until it is set up)."""
    found = {campaign.automation: campaign for campaign in Campaign.objects.exclude(automation="")}
    return [(kind, spec, found.get(kind)) for kind, spec in SPECS.items()]


@transaction.atomic
def automation_save(
    *, kind: str, template: Template, delay: int, enabled: bool, user_id: int | None
) -> Campaign:
    """Set up or change an automation. Turning it off keeps what is due waiting; turning it on
    again sends what fell due meanwhile."""
    spec = SPECS.get(kind)
    if spec is None:
        raise ValidationFailed(details={"kind": [_("Unknown automation.")]})
    if not 1 <= delay <= spec.delay_max:
        raise ValidationFailed(details={"delay": [_("Choose from 1 to %(max)d.") % {"max": spec.delay_max}]})
    campaign = Campaign.objects.select_for_update().filter(automation=kind).first()
    if campaign is None:
        campaign = Campaign(automation=kind, name=str(spec.label), created_by=user_id)
    campaign.template, campaign.automation_delay = template, delay
    was_on = automation_on(campaign)
    campaign.status = Campaign.Status.SENDING if enabled else Campaign.Status.PAUSED
    campaign.paused_reason = "" if enabled else str(_("Turned off."))
    campaign.started_at = campaign.started_at or timezone.now()
    campaign.save()
    if enabled and not was_on:
        send_soon(campaign)
    return campaign


def _schedule(campaign: Campaign, customer: Customer, *, key: str, due_at: datetime) -> bool:
    """One scheduled message (none when one with this key exists, or the customer cannot get it)."""
    if not customer.email or customer.marketing_consent is not True:
        return False
    score = getattr(customer, "score", None)
    _row, created = Recipient.objects.get_or_create(
        campaign=campaign,
        customer=customer,
        key=key,
        defaults={
            "email": customer.email,
            "language": customer.language,
            "segment": getattr(score, "segment", "") or "",
            "due_at": due_at,
        },
    )
    return created


def design_finished(design) -> bool:
    """A design turned ready: schedule its reminder if its session's customer is known."""
    campaign = automation_get(Kind.DESIGN_ABANDONED)
    if not automation_on(campaign):
        return False
    customer = session_customer(design.shopper_session)
    if customer is None:
        return False
    due_at = timezone.now() + timedelta(hours=campaign.automation_delay)
    return _schedule(campaign, customer, key=f"design:{design.pk}", due_at=due_at)


def _occasion_key(design_id: int, reminder) -> str:
    return f"occasion:{design_id}:{reminder.occasion.kind}:{reminder.on.isoformat()}"


def _occasions_schedule(campaign: Campaign, customer: Customer, design, *, today) -> int:
    scheduled = 0
    for reminder in design_reminders(design, today=today):
        day = reminder.on - timedelta(days=campaign.automation_delay)
        due_at = max(timezone.make_aware(datetime.combine(day, REMINDER_TIME)), timezone.now())
        scheduled += _schedule(campaign, customer, key=_occasion_key(design.pk, reminder), due_at=due_at)
    return scheduled


def order_placed(order, customer: Customer | None) -> int:
    """An order was placed: schedule the occasions its designs name for its customer."""
    campaign = automation_get(Kind.OCCASION)
    if customer is None or not automation_on(campaign):
        return 0
    designs = [item.design for item in order.items.select_related("design") if item.design_id]
    today = timezone.localdate()
    return sum(_occasions_schedule(campaign, customer, design, today=today) for design in designs)


def still_due(recipient: Recipient) -> bool:
    """Checked at send time: a design's reminder is no longer due once the design is ordered."""
    kind, _sep, rest = recipient.key.partition(":")
    if kind != "design":
        return True
    design = design_by_pk(int(rest))
    return design is not None and not design_ordered(design)


def after_send(campaign: Campaign, recipient: Recipient) -> None:
    """An occasion's e-mail left: schedule next year's."""
    kind, _sep, rest = recipient.key.partition(":")
    if kind != "occasion" or recipient.customer is None:
        return
    design_id, _kind, on = rest.split(":", 2)
    design = design_by_pk(int(design_id))
    if design is not None:
        next_day = datetime.fromisoformat(on).date() + timedelta(days=1)
        _occasions_schedule(campaign, recipient.customer, design, today=next_day)
