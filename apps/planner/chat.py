"""The chat of a scenario: the offline assistant answers in Markdown and offers action buttons
computed from the scenario's state. An action runs only from a button (an explicit action code)
or from an intent recognised in the person's own message (apps/planner/intents.py) — never from
text stored in the scenario — through the planner's services, with the person's role: editors
and above change the scenario, viewers only read. Each run records the click (or the typed
message) and the reply; messages are purged after the workspace's TTL (`services.chat_purge`)."""

from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from apps.campaigns.models import Audience
from apps.core.api.ratelimit import rate_limit_hit
from apps.core.errors import ApplicationError, PermissionDenied, RateLimited, ValidationFailed
from apps.tenants.models import Role

from . import services
from .checks import Problems
from .errors import NoPlan, PlanProviderFailed
from .intents import recognise
from .markdown import md_escape
from .models import ChatMessage, PlanItem, Scenario
from .offline import ideas_offline
from .selectors import plan_missing, target_suggestions, targets_sized
from .services import MISSING_LABELS

CHAT_PER_MINUTE = 30
TEXT_MAX = 2000
OFFLINE = gettext_lazy("Offline assistant")


@dataclass(frozen=True)
class Action:
    code: str
    label: str
    form: str = ""  # "objective", "target" or "resource": the button comes with its fields
    writes: bool = True


ACTIONS = {
    action.code: action
    for action in (
        Action("add_objective", gettext_lazy("Add an objective"), form="objective"),
        Action("add_target", gettext_lazy("Add a target"), form="target"),
        Action("add_resource", gettext_lazy("Add a resource"), form="resource"),
        Action("suggest_targets", gettext_lazy("Suggest targets"), writes=False),
        Action("search_inspiration", gettext_lazy("Search inspiration"), writes=False),
        Action("generate_plan", gettext_lazy("Generate the plan")),
        Action("regenerate_plan", gettext_lazy("Regenerate the plan")),
        Action("campaign_drafts", gettext_lazy("Turn the plan into campaign drafts")),
    )
}
EXAMPLES = (
    gettext_lazy("add an objective: 200 orders in March"),
    gettext_lazy("add a target: customers who bought Riesling last year"),
    gettext_lazy("add a resource: budget 2000 EUR"),
    gettext_lazy("suggest targets"),
    gettext_lazy("search inspiration"),
    gettext_lazy("generate the plan"),
    gettext_lazy("make campaign drafts"),
)


@dataclass(frozen=True)
class ChatReply:
    reply: ChatMessage
    actions: list[Action]
    state: dict


# --- what the chat shows -------------------------------------------------------------------------


def can_write(user) -> bool:
    """Whether `user` may change scenarios in the current workspace (editor or above)."""
    membership = connection.tenant.memberships.filter(user=user).first() if user else None
    return membership is not None and membership.has_role(Role.EDITOR)


def actions_for(scenario: Scenario, *, writer: bool = True) -> list[Action]:
    """The buttons the scenario's state calls for (those that only read, for a viewer)."""
    if scenario.status == Scenario.Status.ARCHIVED:
        writer = False
    codes = ["add_objective", "add_target", "add_resource", "suggest_targets", "search_inspiration"]
    version = scenario.current_version
    if version is not None:
        codes.append("regenerate_plan")
    elif not plan_missing(scenario):
        codes.append("generate_plan")
    if version is not None and version.items.filter(format=PlanItem.Format.EMAIL).exists():
        codes.append("campaign_drafts")
    return [ACTIONS[code] for code in codes if writer or not ACTIONS[code].writes]


def scenario_state(scenario: Scenario) -> dict:
    """What the sidebar shows: the parts (targets with their live size), what is missing, the plan."""
    version = scenario.current_version
    missing = plan_missing(scenario)
    return {
        "status": scenario.status,
        "objectives": [
            {
                "label": o.label,
                "metric": o.metric,
                "target_value": str(o.target_value),
                "deadline": o.deadline,
            }
            for o in scenario.objectives.all()
        ],
        "targets": [
            {
                "label": s.target.label,
                "segment": s.target.segment,
                "audience": s.target.audience_id,
                "size": s.size,
            }
            for s in targets_sized(scenario)
        ],
        "resources": [
            {
                "kind": r.kind,
                "label": r.label,
                "amount": None if r.amount is None else str(r.amount),
                "unit": r.unit,
            }
            for r in scenario.resources.all()
        ],
        "missing": missing,
        "missing_labels": [str(MISSING_LABELS[part]) for part in missing],
        "plan": None
        if version is None
        else {"number": version.number, "provider": version.provider, "items": version.items.count()},
        "versions": scenario.versions.count(),
    }


def chat_messages(scenario: Scenario):
    return scenario.messages.all()


# --- running an action ---------------------------------------------------------------------------


def chat_act(
    scenario: Scenario, user, action: str, payload: dict | None = None, *, said: str = ""
) -> ChatReply:
    """Run the action `action` (a button's code) for `user`; record what they did and the reply.
    PermissionDenied when a viewer asks for a change; RateLimited past 30 requests a minute."""
    _rate_limit(user)
    return _run(scenario, user, ACTIONS.get(action), payload or {}, said=said)


def chat_say(scenario: Scenario, user, text: str) -> ChatReply:
    """Run what the person's message asks for, or answer with what the assistant can do."""
    _rate_limit(user)
    problems = Problems()
    text = problems.text("text", text, max_length=TEXT_MAX, multiline=True)
    problems.refuse()
    intent = recognise(text)
    action = ACTIONS.get(intent.action) if intent else None
    return _run(scenario, user, action, intent.payload if intent else {}, said=text)


def chat_start(user, text: str) -> tuple[Scenario, ChatReply]:
    """A new scenario from a typed sentence ("create a scenario: Cuvée launch"; otherwise the
    sentence is its name), its chat opened with what to do next."""
    _rate_limit(user)
    if not can_write(user):
        raise PermissionDenied()
    intent = recognise(text or "")
    name = intent.payload["name"] if intent and intent.action == "create_scenario" else " ".join(text.split())
    scenario = services.scenario_create(name=name[: services.NAME_MAX], user_id=user.pk)
    _record(scenario, user, ChatMessage.Role.USER, text, "create_scenario")
    reply = _("Scenario **%(name)s** created.") % {"name": md_escape(scenario.name)}
    reply = _record(
        scenario,
        user,
        ChatMessage.Role.ASSISTANT,
        _signed(f"{reply}\n\n{_next_step(scenario)}"),
        "create_scenario",
    )
    return scenario, ChatReply(reply, actions_for(scenario), scenario_state(scenario))


def _run(scenario: Scenario, user, action: Action | None, payload: dict, *, said: str) -> ChatReply:
    writer = can_write(user)
    if action is not None and action.writes and not writer:
        raise PermissionDenied(_("Viewers can read this scenario but not change it."))
    _record(
        scenario,
        user,
        ChatMessage.Role.USER,
        said or str(action.label if action else ""),
        action.code if action else "",
    )
    if action is None:
        text = _help()
    else:
        try:
            text = RUNNERS[action.code](scenario, user, payload)
        except ApplicationError as error:
            text = _refusal(error)
        scenario.refresh_from_db()
    reply = _record(scenario, user, ChatMessage.Role.ASSISTANT, _signed(text), action.code if action else "")
    return ChatReply(reply, actions_for(scenario, writer=writer), scenario_state(scenario))


def _rate_limit(user) -> None:
    wait = rate_limit_hit(bucket=("planner-chat", str(user.pk)), limit=CHAT_PER_MINUTE, window=60)
    if wait:
        raise RateLimited(
            _("Too many chat requests: wait %(seconds)d seconds, then try again.") % {"seconds": wait},
            retry_after=wait,
        )


def _record(scenario: Scenario, user, role: str, text: str, action: str) -> ChatMessage:
    return ChatMessage.objects.create(
        scenario=scenario, role=role, text=text, action=action, created_by=user.pk if user else None
    )


def _signed(text: str) -> str:
    return f"*{OFFLINE}*\n\n{text}"


def _refusal(error: ApplicationError) -> str:
    lines = [_("**Not done:** %(message)s") % {"message": md_escape(error.message)}]
    for field, problems in error.details.items():
        if isinstance(problems, list | tuple):
            lines += [f"- {md_escape(field)}: {md_escape(problem)}" for problem in problems]
    return "\n".join(lines)


def _help() -> str:
    lines = [_("I did not recognise an action in your message. I can:")]
    lines += [f"- {md_escape(example)}" for example in EXAMPLES]
    lines.append(_("Or use the buttons below."))
    return "\n".join(lines)


def _next_step(scenario: Scenario) -> str:
    missing = plan_missing(scenario)
    if missing:
        return _("Before a plan can be made, add: %(parts)s.") % {
            "parts": ", ".join(str(MISSING_LABELS[part]) for part in missing)
        }
    if scenario.current_version is None:
        return _("Everything a plan needs is here: generate the plan when you are ready.")
    return _("You can regenerate the plan: earlier versions stay.")


# --- the actions ---------------------------------------------------------------------------------


def _add_objective(scenario: Scenario, user, payload: dict) -> str:
    objective = services.objective_add(
        scenario=scenario,
        label=payload.get("label", ""),
        metric=payload.get("metric", ""),
        target_value=payload.get("target_value"),
        deadline=payload.get("deadline") or None,
    )
    done = _("Objective added: **%(label)s** (%(metric)s: %(value)s).") % {
        "label": md_escape(objective.label),
        "metric": md_escape(objective.metric),
        "value": objective.target_value,
    }
    return f"{done}\n\n{_next_step(scenario)}"


def _add_target(scenario: Scenario, user, payload: dict) -> str:
    audience = None
    if payload.get("audience"):
        audience = Audience.objects.filter(pk=payload["audience"]).first()
        if audience is None:
            raise ValidationFailed(details={"audience": [_("This audience does not exist.")]})
    target = services.target_add(
        scenario=scenario,
        label=payload.get("label", ""),
        segment=payload.get("segment", ""),
        audience=audience,
    )
    size = next(sized.size for sized in targets_sized(scenario) if sized.target.pk == target.pk)
    if size is None:
        done = _("Target added: **%(label)s** (free text: its size is not known).")
    else:
        done = ngettext(
            "Target added: **%(label)s** (%(size)d customer now).",
            "Target added: **%(label)s** (%(size)d customers now).",
            size,
        )
    return f"{done % {'label': md_escape(target.label), 'size': size or 0}}\n\n{_next_step(scenario)}"


def _add_resource(scenario: Scenario, user, payload: dict) -> str:
    resource = services.resource_add(
        scenario=scenario,
        kind=payload.get("kind", ""),
        label=payload.get("label", ""),
        amount=payload.get("amount"),
        unit=payload.get("unit", ""),
    )
    amount = "" if resource.amount is None else f" {resource.amount} {md_escape(resource.unit)}".rstrip()
    done = _("Resource added: **%(label)s** (%(kind)s%(amount)s).") % {
        "label": md_escape(resource.label),
        "kind": resource.get_kind_display(),
        "amount": amount,
    }
    return f"{done}\n\n{_next_step(scenario)}"


def _suggest_targets(scenario: Scenario, user, payload: dict) -> str:
    suggestions = target_suggestions()
    if not suggestions:
        return _(
            "No customer segment has customers yet: import customers, and the nightly scoring sorts them."
        )
    lines = [_("Segments of your customers worth targeting, the most valuable first:")]
    lines += [f"- **{md_escape(row['label'])}**: {md_escape(row['explanation'])}" for row in suggestions]
    lines.append(_("Add one with “Add a target” and choose its segment."))
    return "\n".join(lines)


def _search_inspiration(scenario: Scenario, user, payload: dict) -> str:
    lines = [
        _(
            "**Generated suggestions, not sources.** These ideas were generated automatically from your "
            "scenario and your data: adapt and check them before use. They cite no source and no link."
        ),
    ]
    lines += [f"- {md_escape(idea)}" for idea in ideas_offline(scenario)]
    return "\n".join(lines)


def _generate_plan(scenario: Scenario, user, payload: dict) -> str:
    """The platform's provider's plan; when OpenAI fails, the offline assistant's, saying so."""
    notice = ""
    try:
        version = services.plan_generate(scenario=scenario, user_id=user.pk)
    except PlanProviderFailed:
        version = services.plan_generate(scenario=scenario, user_id=user.pk, provider="offline")
        notice = _("The AI assistant could not make the plan just now: here is the offline assistant's.")
    done = ngettext(
        "Plan version %(number)d is ready, with %(count)d item.",
        "Plan version %(number)d is ready, with %(count)d items.",
        version.items.count(),
    ) % {"number": version.number, "count": version.items.count()}
    return "\n\n".join(part for part in (notice, done, md_escape(version.summary)) if part)


def _campaign_drafts(scenario: Scenario, user, payload: dict) -> str:
    if scenario.current_version is None:
        raise NoPlan()
    drafts = services.plan_to_campaign_drafts(version=scenario.current_version, user_id=user.pk)
    if not drafts:
        return _("No e-mail item of the plan targets a segment or an audience: no draft was made.")
    lines = [
        ngettext(
            "%(count)d campaign draft, to review before sending:",
            "%(count)d campaign drafts, to review before sending:",
            len(drafts),
        )
        % {"count": len(drafts)}
    ]
    lines += [f"- {md_escape(campaign.name)}" for campaign in drafts]
    return "\n".join(lines)


RUNNERS = {
    "add_objective": _add_objective,
    "add_target": _add_target,
    "add_resource": _add_resource,
    "suggest_targets": _suggest_targets,
    "search_inspiration": _search_inspiration,
    "generate_plan": _generate_plan,
    "regenerate_plan": _generate_plan,
    "campaign_drafts": _campaign_drafts,
}
