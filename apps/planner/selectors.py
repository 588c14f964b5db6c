"""Reads for the planner: scenarios, what a scenario still lacks before a plan, and the CRM figures
a plan is grounded in (segment sizes, value and recency; who may receive e-mail)."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.campaigns.selectors import audience_size
from apps.crm.scoring.customers import segment_summary

from .models import PlannerSettings, PlanVersion, Scenario, Target

# What each RFM segment is, and what a plan may do for it (target suggestions).
SEGMENT_ADVICE = {
    "champions": _(
        "they buy often and spend the most: give them early access and ask them to design a new piece."
    ),
    "loyal": _("regular buyers: invite them to personalise their next order."),
    "potential_loyalist": _(
        "recent buyers who could become regulars: a second personalised order builds the habit."
    ),
    "new": _("they just bought for the first time: welcome them and show what they can design."),
    "promising": _("recent but small buyers: show them a design made by someone like them."),
    "need_attention": _("good customers slowing down: remind them with something new to design."),
    "about_to_sleep": _("they are slipping away: give them a simple reason to come back now."),
    "at_risk": _("they used to buy well and have stopped: win them back with a personal message."),
    "cant_lose": _("your former best customers went quiet: reach them personally before they leave."),
    "hibernating": _("long inactive and small spenders: a light reminder at most."),
}


def scenario_get(*, pk: int) -> Scenario | None:
    return Scenario.objects.select_related("current_version").filter(pk=pk).first()


def planner_settings() -> PlannerSettings:
    """The workspace's planner settings (unsaved defaults when it has none)."""
    return PlannerSettings.objects.first() or PlannerSettings()


def scenario_search(*, search: str = "", status: str = "") -> QuerySet[Scenario]:
    """Scenarios whose name or theme holds `search`; those of `status`, or all but archived ones."""
    scenarios = (
        Scenario.objects.filter(status=status)
        if status
        else Scenario.objects.exclude(status=Scenario.Status.ARCHIVED)
    )
    if search:
        scenarios = scenarios.filter(Q(name__icontains=search) | Q(theme__icontains=search))
    return scenarios.select_related("current_version")


def version_get(*, pk: int) -> PlanVersion | None:
    return PlanVersion.objects.select_related("scenario__current_version").filter(pk=pk).first()


def version_list(scenario: Scenario) -> QuerySet[PlanVersion]:
    """The scenario's plans, newest first."""
    return scenario.versions.order_by("-number")


def plan_missing(scenario: Scenario) -> list[str]:
    """Which of "objectives", "targets", "resources" the scenario has none of (a plan needs each)."""
    return [part for part in ("objectives", "targets", "resources") if not getattr(scenario, part).exists()]


def segment_figures() -> dict[str, dict]:
    """Each RFM segment's live figures, by code: customers, monetary, recency_days, label (the
    same as `GET /api/v1/crm/segments`)."""
    return {row["segment"]: row for row in segment_summary()["results"]}


@dataclass(frozen=True)
class SizedTarget:
    target: Target
    size: int | None  # customers in its segment or audience now; None for a free-text target


def targets_sized(scenario: Scenario) -> list[SizedTarget]:
    targets = list(scenario.targets.select_related("audience"))
    segments = segment_figures() if any(target.segment for target in targets) else {}
    return [SizedTarget(target, _size(target, segments)) for target in targets]


def target_sized(target: Target) -> SizedTarget:
    return SizedTarget(target, _size(target, segment_figures() if target.segment else {}))


def _size(target: Target, segments: dict[str, dict]) -> int | None:
    if target.segment:
        return segments.get(target.segment, {}).get("customers", 0)
    if target.audience is not None:
        return audience_size(target.audience.rules, sample=False).matching
    return None


def email_reachable() -> int:
    """How many customers a campaign may write to now (address, consent, not suppressed)."""
    return audience_size({}, sample=False).sendable


def target_suggestions() -> list[dict]:
    """The workspace's RFM segments that have customers, each with its size, value (monetary),
    mean recency and a sentence saying why to target it; the most valuable first."""
    rows = [row for row in segment_figures().values() if row["customers"]]
    rows.sort(key=lambda row: (-row["monetary"], -row["customers"], row["segment"]))
    return [{**row, "explanation": _explanation(row)} for row in rows]


def _explanation(row: dict) -> str:
    return ngettext(
        "%(customers)d customer, worth %(monetary)s in all, last bought %(recency)d days ago on average: "
        "%(advice)s",
        "%(customers)d customers, worth %(monetary)s in all, last bought %(recency)d days ago on average: "
        "%(advice)s",
        row["customers"],
    ) % {
        "customers": row["customers"],
        "monetary": row["monetary"],
        "recency": round(row["recency_days"] or 0),
        "advice": SEGMENT_ADVICE[row["segment"]],
    }
