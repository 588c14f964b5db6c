"""Writes for the planner: a scenario's life (draft → ready when it has a plan → archived), its
objectives, targets and resources, and its plans — each checked against one strict schema, stored
as a new version, restored, generated offline, and turned into campaign drafts."""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.ai.errors import AIError
from apps.ai.providers import provider_name
from apps.campaigns.models import Audience, Campaign
from apps.campaigns.services import audience_save, campaign_draft_make
from apps.core.errors import ValidationFailed
from apps.crm.models.scores import Segment

from .checks import LABEL_MAX, Problems, plan_validate
from .errors import PlanProviderFailed, ScenarioArchived
from .models import ChatMessage, Objective, PlanItem, PlannerSettings, PlanVersion, Resource, Scenario, Target
from .offline import plan_offline
from .openai_plan import plan_openai
from .selectors import plan_missing, planner_settings

NAME_MAX = 120
THEME_MAX = 300
METRIC_MAX = 100
UNIT_MAX = 20
MISSING_LABELS = {
    "objectives": gettext_lazy("objectives"),
    "targets": gettext_lazy("targets"),
    "resources": gettext_lazy("resources"),
}


# --- scenarios ---------------------------------------------------------------------------------


def _scenario_fields(*, name, theme, period_start, period_end) -> dict:
    problems = Problems()
    fields = {
        "name": problems.text("name", name, max_length=NAME_MAX),
        "theme": problems.text("theme", theme, max_length=THEME_MAX, required=False),
        "period_start": problems.day("period_start", period_start),
        "period_end": problems.day("period_end", period_end),
    }
    if fields["period_start"] and fields["period_end"] and fields["period_end"] < fields["period_start"]:
        problems.add("period_end", _("The end comes before the start."))
    problems.refuse()
    return fields


def _editable(scenario: Scenario) -> None:
    if scenario.status == Scenario.Status.ARCHIVED:
        raise ScenarioArchived()


def scenario_create(
    *,
    name: str,
    theme: str = "",
    period_start: date | None = None,
    period_end: date | None = None,
    user_id: int | None,
) -> Scenario:
    fields = _scenario_fields(name=name, theme=theme, period_start=period_start, period_end=period_end)
    return Scenario.objects.create(**fields, created_by=user_id)


def scenario_update(
    *, scenario: Scenario, name: str, theme: str, period_start: date | None, period_end: date | None
) -> Scenario:
    _editable(scenario)
    fields = _scenario_fields(name=name, theme=theme, period_start=period_start, period_end=period_end)
    for field, value in fields.items():
        setattr(scenario, field, value)
    scenario.save(update_fields=[*fields, "updated_at"])
    return scenario


def scenario_archive(*, scenario: Scenario) -> Scenario:
    scenario.status = Scenario.Status.ARCHIVED
    scenario.save(update_fields=["status", "updated_at"])
    return scenario


# --- its parts ---------------------------------------------------------------------------------


def objective_add(
    *, scenario: Scenario, label: str, metric: str, target_value, deadline: date | None = None
) -> Objective:
    _editable(scenario)
    problems = Problems()
    fields = {
        "label": problems.text("label", label, max_length=LABEL_MAX),
        "metric": problems.text("metric", metric, max_length=METRIC_MAX),
        "target_value": problems.amount("target_value", target_value),
        "deadline": problems.day("deadline", deadline),
    }
    problems.refuse()
    return Objective.objects.create(scenario=scenario, **fields)


def target_add(
    *, scenario: Scenario, label: str, segment: str = "", audience: Audience | None = None
) -> Target:
    """A target: free text, or an RFM segment, or an audience (not both)."""
    _editable(scenario)
    problems = Problems()
    label = problems.text("label", label, max_length=LABEL_MAX)
    if segment:
        problems.choice("segment", segment, Segment.values)
    if segment and audience is not None:
        problems.add("audience", _("Choose a segment or an audience, not both."))
    if label and scenario.targets.filter(label__iexact=label).exists():
        problems.add("label", _("This scenario already has a target with this label."))
    problems.refuse()
    return Target.objects.create(scenario=scenario, label=label, segment=segment, audience=audience)


def resource_add(*, scenario: Scenario, kind: str, label: str, amount=None, unit: str = "") -> Resource:
    _editable(scenario)
    problems = Problems()
    fields = {
        "kind": problems.choice("kind", kind, Resource.Kind.values),
        "label": problems.text("label", label, max_length=LABEL_MAX),
        "amount": problems.amount("amount", amount, required=kind == Resource.Kind.LEAD_TIME),
        "unit": problems.text("unit", unit, max_length=UNIT_MAX, required=False),
    }
    if kind == Resource.Kind.LEAD_TIME and fields["amount"] is not None and fields["amount"] < 0:
        problems.add("amount", _("A lead time is a number of days, 0 or more."))
    problems.refuse()
    return Resource.objects.create(scenario=scenario, **fields)


def part_remove(*, part: Objective | Target | Resource) -> None:
    """Remove an objective, a target or a resource from its scenario."""
    _editable(part.scenario)
    part.delete()


# --- plans -------------------------------------------------------------------------------------


@transaction.atomic
def plan_save(*, scenario: Scenario, data: dict, provider: str, user_id: int | None) -> PlanVersion:
    """Store a plan as the scenario's next version, make it current and the scenario ready.
    Nothing is stored when the plan or a target it names is refused."""
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    _editable(scenario)
    plan = plan_validate(data)
    targets = {target.label.casefold(): target for target in scenario.targets.all()}
    problems = Problems()
    for n, item in enumerate(plan["items"]):
        if item["target"] and item["target"].casefold() not in targets:
            problems.add(f"items.{n}.target", _("The scenario has no target with this label."))
    problems.refuse(_("The plan names targets the scenario does not have."))
    number = (scenario.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = PlanVersion.objects.create(
        scenario=scenario, number=number, summary=plan["summary"], provider=provider, created_by=user_id
    )
    PlanItem.objects.bulk_create(
        PlanItem(
            version=version,
            position=position,
            **{**item, "target": targets.get((item["target"] or "").casefold())},
        )
        for position, item in enumerate(plan["items"], start=1)
    )
    _make_current(scenario, version)
    return version


def _make_current(scenario: Scenario, version: PlanVersion) -> None:
    scenario.current_version, scenario.status = version, Scenario.Status.READY
    scenario.save(update_fields=["current_version", "status", "updated_at"])


@transaction.atomic
def plan_restore(*, version: PlanVersion) -> Scenario:
    """Make an earlier plan the scenario's current one again."""
    scenario = Scenario.objects.select_for_update().get(pk=version.scenario_id)
    _editable(scenario)
    _make_current(scenario, version)
    return scenario


def plan_generate(*, scenario: Scenario, user_id: int | None, provider: str | None = None) -> PlanVersion:
    """A plan saved as the next version, from `provider` (else the platform's AI provider:
    OpenAI when it has a key, else the offline assistant); refused, naming what is missing,
    until the scenario has objectives, targets and resources. PlanProviderFailed (502) when
    OpenAI gives no valid plan: the caller may ask the offline assistant instead."""
    missing = plan_missing(scenario)
    if missing:
        raise ValidationFailed(
            _("Before a plan can be made, add to the scenario: %(parts)s.")
            % {"parts": ", ".join(str(MISSING_LABELS[part]) for part in missing)},
            details={"missing": missing},
        )
    if provider_name(provider) != PlanVersion.Provider.OPENAI:
        data, used = plan_offline(scenario), PlanVersion.Provider.OFFLINE
    else:
        try:
            data, used = plan_openai(scenario), PlanVersion.Provider.OPENAI
        except (AIError, ValidationFailed) as error:
            raise PlanProviderFailed(details={"reason": str(getattr(error, "message", error))}) from error
    return plan_save(scenario=scenario, data=data, provider=used, user_id=user_id)


# --- settings ----------------------------------------------------------------------------------

CHAT_TTL_DAYS_MAX = 365


def planner_settings_save(*, chat_ttl_days: int) -> PlannerSettings:
    """How many days the workspace keeps its planner chat messages (1 to 365)."""
    if (
        isinstance(chat_ttl_days, bool)
        or not isinstance(chat_ttl_days, int)
        or not 1 <= chat_ttl_days <= CHAT_TTL_DAYS_MAX
    ):
        raise ValidationFailed(
            details={"chat_ttl_days": [_("A number of days from 1 to %(max)d.") % {"max": CHAT_TTL_DAYS_MAX}]}
        )
    current = planner_settings()
    current.chat_ttl_days = chat_ttl_days
    current.save()
    return current


def chat_purge() -> int:
    """Delete the workspace's chat messages older than its TTL; the scenarios and plans stay."""
    cutoff = timezone.now() - timedelta(days=planner_settings().chat_ttl_days)
    deleted, _counts = ChatMessage.objects.filter(created_at__lt=cutoff).delete()
    return deleted


# --- from plan to campaigns --------------------------------------------------------------------


@transaction.atomic
def plan_to_campaign_drafts(*, version: PlanVersion, user_id: int | None) -> list[Campaign]:
    """Each e-mail item of the plan whose target is an audience or a segment, as a draft campaign
    (with its template; a segment gets an audience of its own). Made once: an item that already
    made its draft keeps it, so calling this again adds nothing. Returns the items' drafts."""
    _editable(version.scenario)
    items = list(
        version.items.select_for_update(of=("self",))
        .filter(format=PlanItem.Format.EMAIL, target__isnull=False)
        .exclude(target__segment="", target__audience__isnull=True)
        .select_related("target__audience", "campaign")
    )
    audiences = {}
    for item in items:
        if item.campaign is None:
            item.campaign = _draft(item, version.scenario, audiences, user_id)
            item.save(update_fields=["campaign"])
    return [item.campaign for item in items]


def _draft(
    item: PlanItem, scenario: Scenario, audiences: dict[str, Audience], user_id: int | None
) -> Campaign:
    target = item.target
    name = f"{scenario.name} — {target.label}"[:NAME_MAX]
    audience = target.audience
    if audience is None:
        if target.segment not in audiences:
            audiences[target.segment] = audience_save(
                name=name, rules={"segments": [target.segment]}, user_id=user_id
            )
        audience = audiences[target.segment]
    heading = scenario.theme or scenario.name
    try:
        return campaign_draft_make(
            name=name, audience=audience, heading=heading, text=item.message, user_id=user_id
        )
    except ValidationFailed as error:  # a message the e-mail editor refuses
        raise ValidationFailed(
            details={f"items.{item.position - 1}.message": error.details["text"]}
        ) from error
