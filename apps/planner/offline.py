"""The offline assistant: a plan made by rules, with no AI and no network, from what the scenario
and the CRM hold — the same every time for the same data, and saying what it is.

- One item per target (the first TARGETS_MAX): an e-mail when customers may receive e-mail and
  the target is not empty now, its frequency by the target's RFM segment; a social post (or a
  page on the website) otherwise.
- Produced items (a video, an article; an infographic when the scenario lists an asset, a
  webinar when it has two people or more) are due `lead_time` days before the period's start.
- A social post inviting followers to design, when a social channel is available.
- KPIs: personalization ones (design-start rate, design-completion rate, 3D/AR view rate) next
  to the usual ones (open rate, click rate, revenue).

Messages are plain text built from the scenario's theme and its targets' labels: no source, no
link, nothing the data does not say."""

import math
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .checks import CHANNEL_MAX, MESSAGE_MAX, SUMMARY_MAX, plan_validate
from .models import Resource, Scenario
from .selectors import SizedTarget, email_reachable, segment_figures, targets_sized

TARGETS_MAX = 5
PARTS_LISTED = 5  # objectives and resources named in the summary
PRODUCED = {"video", "article", "infographic", "webinar"}
SOCIAL_WORDS = ("instagram", "facebook", "tiktok", "pinterest", "linkedin", "youtube", "twitter", "social")
VIDEO_WORDS = ("youtube", "tiktok", "vimeo", "video", "instagram")
WEB_WORDS = ("blog", "site", "web", "shop")

# What an e-mail says and how often, by the target's RFM segment (free-text targets: "other").
SEGMENT_GROUPS = {
    "champions": "loyal",
    "loyal": "loyal",
    "potential_loyalist": "loyal",
    "new": "new",
    "promising": "new",
    "need_attention": "lapsed",
    "about_to_sleep": "lapsed",
    "at_risk": "lapsed",
    "cant_lose": "lapsed",
    "hibernating": "lapsed",
}
EMAIL_ANGLE = {
    "loyal": gettext_lazy("give them early access and invite them to design their own piece."),
    "new": gettext_lazy("welcome them and show what they can personalise for their next order."),
    "lapsed": gettext_lazy("tell them what is new since their last order and invite them back to design."),
    "other": gettext_lazy("invite them to design their own piece and order it."),
}
EMAIL_FREQUENCY = {
    "loyal": gettext_lazy("Every 2 weeks"),
    "new": gettext_lazy("A welcome, then monthly"),
    "lapsed": gettext_lazy("Once, with a reminder 7 days later"),
    "other": gettext_lazy("Monthly"),
}
KPI = {
    "email": gettext_lazy("Open rate, click rate, revenue"),
    "social_post": gettext_lazy("Design-start rate, click rate"),
    "video": gettext_lazy("3D/AR view rate, design-start rate"),
    "article": gettext_lazy("Design-completion rate, revenue"),
    "infographic": gettext_lazy("Design-start rate, click rate"),
    "webinar": gettext_lazy("Design-completion rate, revenue"),
}


def plan_offline(scenario: Scenario) -> dict:
    """The offline assistant's plan for `scenario` (which has objectives, targets and resources),
    checked by `plan_validate` like any provider's."""
    resources = list(scenario.resources.all())
    targets = targets_sized(scenario)[:TARGETS_MAX]
    reachable = email_reachable()
    channels = [
        resource.label[:CHANNEL_MAX] for resource in resources if resource.kind == Resource.Kind.CHANNEL
    ]
    social = _channel(channels, SOCIAL_WORDS)
    web = _channel(channels, WEB_WORDS) or _("Your website")
    deadline = _production_deadline(scenario, resources)
    theme = scenario.theme or scenario.name
    first = targets[0].target.label
    items = [_target_item(sized, theme, reachable, social or web) for sized in targets]
    if social:
        items.append(
            _item(
                "social_post",
                _("%(theme)s: share designs your customers made and invite followers to start their own.")
                % {"theme": theme},
                social,
                _("Twice a week"),
                None,
                None,
            )
        )
    items.append(
        _item(
            "video",
            _("%(theme)s: a short video of one design made from start to finish, then shown in 3D/AR.")
            % {"theme": theme},
            _channel(channels, VIDEO_WORDS) or social or web,
            _("Once, at launch"),
            first,
            deadline,
        )
    )
    items.append(
        _item(
            "article",
            _("%(theme)s, for %(target)s: the story behind it and how to personalise it, step by step.")
            % {"theme": theme, "target": first},
            web,
            _("Once, at launch"),
            first,
            deadline,
        )
    )
    assets = [resource.label for resource in resources if resource.kind == Resource.Kind.ASSET]
    if assets:
        items.append(
            _item(
                "infographic",
                _("%(theme)s: %(asset)s, as one page showing the choices a customer can make.")
                % {"theme": theme, "asset": assets[0]},
                social or web,
                _("Once"),
                first,
                deadline,
            )
        )
    if _people(resources) >= 2:
        items.append(
            _item(
                "webinar",
                _("%(theme)s: a live session where your team designs a piece with the audience.")
                % {"theme": theme},
                web,
                _("Once, before launch"),
                first,
                deadline,
            )
        )
    summary = _summary(scenario, targets, reachable, resources, deadline)
    return plan_validate({"summary": summary, "items": items})


def _item(kind: str, message: str, channel: str, frequency, target: str | None, deadline) -> dict:
    return {
        "format": kind,
        "message": message[:MESSAGE_MAX],
        "channel": str(channel),
        "frequency": str(frequency),
        "kpi": str(KPI[kind]),
        "target": target,
        "deadline": deadline.isoformat() if kind in PRODUCED and deadline else None,
    }


def _target_item(sized: SizedTarget, theme: str, reachable: int, fallback_channel: str) -> dict:
    group = SEGMENT_GROUPS.get(sized.target.segment, "other")
    label = sized.target.label
    if reachable and sized.size != 0:
        message = _("%(theme)s, for %(target)s: %(angle)s") % {
            "theme": theme,
            "target": label,
            "angle": EMAIL_ANGLE[group],
        }
        return _item("email", message, _("E-mail"), EMAIL_FREQUENCY[group], label, None)
    message = _(
        "%(theme)s, for %(target)s: show a design a customer made and invite them to start their own."
    ) % {"theme": theme, "target": label}
    return _item("social_post", message, fallback_channel, _("Once a week"), label, None)


def _channel(channels: list[str], words: tuple[str, ...]) -> str | None:
    """The first channel whose name holds one of `words`."""
    return next((name for name in channels if any(word in name.casefold() for word in words)), None)


def _lead_days(resources: list[Resource]) -> int:
    """The longest production lead time, in whole days (a lead time always has its amount)."""
    return max((math.ceil(r.amount) for r in resources if r.kind == Resource.Kind.LEAD_TIME), default=0)


def _production_deadline(scenario: Scenario, resources: list[Resource]) -> date | None:
    """When what must be produced is due: the production lead time before the period's start."""
    if scenario.period_start is None:
        return None
    return scenario.period_start - timedelta(days=_lead_days(resources))


def _people(resources: list[Resource]) -> Decimal:
    return sum(
        (resource.amount or Decimal(1) for resource in resources if resource.kind == Resource.Kind.PEOPLE),
        Decimal(0),
    )


def _sized_label(sized: SizedTarget) -> str:
    if sized.size is None:
        return _("%(target)s (size unknown)") % {"target": sized.target.label}
    return ngettext(
        "%(target)s (%(size)d customer now)", "%(target)s (%(size)d customers now)", sized.size
    ) % {"target": sized.target.label, "size": sized.size}


def _summary(
    scenario: Scenario, targets: list[SizedTarget], reachable: int, resources: list[Resource], deadline
) -> str:
    objectives = [
        _("%(label)s: %(metric)s %(value)s")
        % {"label": objective.label, "metric": objective.metric, "value": objective.target_value}
        for objective in scenario.objectives.all()[:PARTS_LISTED]
    ]
    lines = [
        _(
            "Offline assistant: a plan for “%(name)s” made by rules from your scenario and your CRM, "
            "without AI."
        )
        % {"name": scenario.name},
        _("Targets: %(targets)s.") % {"targets": "; ".join(_sized_label(sized) for sized in targets)},
        _("Objectives: %(objectives)s.") % {"objectives": "; ".join(objectives)},
        _("Resources: %(resources)s.")
        % {"resources": "; ".join(resource.label for resource in resources[:PARTS_LISTED])},
        ngettext(
            "E-mail: %(count)d customer may receive it.",
            "E-mail: %(count)d customers may receive it.",
            reachable,
        )
        % {"count": reachable}
        if reachable
        else _("No customer has agreed to receive e-mail: the plan has no e-mail."),
    ]
    if deadline:
        lines.append(
            _("What must be produced is due on %(date)s, the production lead time before the start.")
            % {"date": deadline.isoformat()}
        )
    summary = "\n".join(lines)
    return summary if len(summary) <= SUMMARY_MAX else summary[: SUMMARY_MAX - 1] + "…"


# --- inspiration -------------------------------------------------------------------------------

IDEAS_MAX = 5


def ideas_offline(scenario: Scenario) -> list[str]:
    """Ideas for the scenario by rules, from its theme, targets and channels and the workspace's
    largest RFM segment: suggestions to adapt, never a source or a link."""
    theme = scenario.theme or scenario.name
    sized = targets_sized(scenario)
    channels = [r.label for r in scenario.resources.all() if r.kind == Resource.Kind.CHANNEL]
    ideas = [
        _("A design challenge on “%(theme)s”: customers design their own piece, the brand shares the best.")
        % {"theme": theme},
        _("A short behind-the-scenes video of how “%(theme)s” is made, ending with an invitation to design.")
        % {"theme": theme},
    ]
    for target in sized[:2]:
        ideas.append(
            _("For %(target)s: a personalised preview of “%(theme)s” with their name on it.")
            % {"target": _sized_label(target), "theme": theme}
        )
    if channels:
        ideas.append(
            _("On %(channel)s: a poll asking followers which design of “%(theme)s” should be made next.")
            % {"channel": channels[0], "theme": theme}
        )
    largest = max(segment_figures().values(), key=lambda row: row["customers"], default=None)
    if largest and largest["customers"]:
        ideas.append(
            ngettext(
                "Your largest segment, %(segment)s (%(count)d customer), could get “%(theme)s” first.",
                "Your largest segment, %(segment)s (%(count)d customers), could get “%(theme)s” first.",
                largest["customers"],
            )
            % {"segment": largest["label"], "count": largest["customers"], "theme": theme}
        )
    return ideas[:IDEAS_MAX]
