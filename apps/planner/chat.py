"""The chat of a scenario: the assistant answers in Markdown and offers action buttons computed
from the scenario's state. An action runs only from a button (an explicit action code) or from
an intent read in the person's own message — by the offline rules (apps/planner/intents.py) or,
with OpenAI, by a tool call that sees only that message (apps/planner/openai_chat.py) — never
from text stored in the scenario; it runs through the planner's services with the speaker's
rights: a member's role (editors and above change the scenario, viewers read) or an API key's
scopes. Each run records the click (or the typed message) and the reply, whose text is pushed
to the scenario's sockets as it is written (apps/core/streams.py); messages are purged after
the workspace's TTL (`services.chat_purge`). When OpenAI fails or the month's AI text tokens are
used up, the offline assistant answers and the reply says so."""

from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from apps.ai.errors import AIError
from apps.ai.providers import provider_name
from apps.billing.errors import QuotaExceeded
from apps.campaigns.models import Audience
from apps.core.api.ratelimit import rate_limit_enforce
from apps.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from apps.core.markdown import md_escape
from apps.core.streams import ReplyStream
from apps.tenants.models import Role

from . import services
from .checks import Problems
from .errors import NoPlan, PlanProviderFailed
from .intents import Intent, recognise
from .models import ChatMessage, PlanItem, PlanVersion, Scenario
from .offline import ideas_offline
from .openai_chat import answer_openai, ideas_openai, intent_openai
from .selectors import plan_missing, target_suggestions, targets_sized
from .services import MISSING_LABELS

CHAT_PER_MINUTE = 30
TEXT_MAX = 2000
OFFLINE = gettext_lazy("Offline assistant")
AI = gettext_lazy("AI assistant (OpenAI)")
AI_FAILED = (AIError, QuotaExceeded)  # the offline assistant answers instead, saying why


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
ANSWER = Action("answer", gettext_lazy("Answer"), writes=False)  # a question, with OpenAI: no button
SAYABLE = {**ACTIONS, ANSWER.code: ANSWER}
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
class Speaker:
    """Who talks to the assistant: a member (by role) or an API key (by scopes; its creator is
    recorded as the author). `bucket` is what the rate limit counts."""

    user_id: int | None
    writer: bool
    bucket: str


def member_speaker(user) -> Speaker:
    return Speaker(user_id=user.pk, writer=can_write(user), bucket=f"user:{user.pk}")


@dataclass
class Turn:
    """One request to the chat: who asked, where the reply streams, who wrote it, what to add."""

    scenario: Scenario
    speaker: Speaker
    stream: ReplyStream
    by_ai: bool = False
    notice: str = ""

    def offline_instead(self, error: Exception) -> None:
        self.notice = _(
            "The AI assistant is not available now (%(reason)s): the offline assistant answered."
        ) % {"reason": md_escape(getattr(error, "message", error))}


@dataclass(frozen=True)
class ChatReply:
    reply: ChatMessage
    actions: list[Action]
    state: dict


def chat_group(schema: str, scenario_id: int) -> str:
    """The Channels group of a scenario's chat sockets (apps/planner/consumers.py)."""
    return f"{schema}.planner.{scenario_id}"


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


def chat_act(scenario: Scenario, speaker: Speaker, action: str, payload: dict | None = None) -> ChatReply:
    """Run the action `action` (a button's code) for `speaker`; record what they did and the reply.
    PermissionDenied when a reader asks for a change; RateLimited past 30 requests a minute."""
    _rate_limit(speaker)
    turn = Turn(scenario, speaker, ReplyStream(chat_group(connection.schema_name, scenario.pk)))
    return _run(turn, ACTIONS.get(action), payload or {}, said="")


def chat_say(scenario: Scenario, speaker: Speaker, text: str) -> ChatReply:
    """Run what the person's message asks for; with OpenAI, answer a question from the scenario;
    otherwise answer with what the assistant can do."""
    _rate_limit(speaker)
    problems = Problems()
    text = problems.text("text", text, max_length=TEXT_MAX, multiline=True)
    problems.refuse()
    turn = Turn(scenario, speaker, ReplyStream(chat_group(connection.schema_name, scenario.pk)))
    intent = _understand(turn, text)
    action = SAYABLE.get(intent.action) if intent else None
    return _run(turn, action, intent.payload if intent else {}, said=text)


def chat_start(speaker: Speaker, text: str) -> tuple[Scenario, ChatReply]:
    """A new scenario from a typed sentence ("create a scenario: Cuvée launch"; otherwise the
    sentence is its name), its chat opened with what to do next."""
    _rate_limit(speaker)
    if not speaker.writer:
        raise PermissionDenied()
    intent = recognise(text or "")
    name = intent.payload["name"] if intent and intent.action == "create_scenario" else " ".join(text.split())
    scenario = services.scenario_create(name=name[: services.NAME_MAX], user_id=speaker.user_id)
    turn = Turn(scenario, speaker, ReplyStream(chat_group(connection.schema_name, scenario.pk)))
    _record(turn, ChatMessage.Role.USER, text, "create_scenario")
    done = _("Scenario **%(name)s** created.") % {"name": md_escape(scenario.name)}
    reply = _reply(turn, f"{done}\n\n{_next_step(scenario)}", "create_scenario")
    return scenario, ChatReply(reply, actions_for(scenario), scenario_state(scenario))


def _understand(turn: Turn, text: str) -> Intent | None:
    """The action the message asks for: OpenAI's tool call (None: a question, answered by
    `_answer`), or the offline rules' reading."""
    if ai_assistant_on():
        try:
            intent = intent_openai(text)
        except AI_FAILED as error:
            turn.offline_instead(error)
        else:
            turn.by_ai = True
            return intent or Intent(ANSWER.code, {"question": text})
    return recognise(text)


def _run(turn: Turn, action: Action | None, payload: dict, *, said: str) -> ChatReply:
    scenario, writer = turn.scenario, turn.speaker.writer
    if action is not None and action.writes and not writer:
        raise PermissionDenied(_("Readers can see this scenario but not change it."))
    _record(
        turn,
        ChatMessage.Role.USER,
        said or str(action.label if action else ""),
        action.code if action else "",
    )
    if action is None:
        text = _help()
    else:
        try:
            text = RUNNERS[action.code](turn, payload)
        except ApplicationError as error:
            text = _refusal(error)
        scenario.refresh_from_db()
    reply = _reply(turn, text, action.code if action else "")
    return ChatReply(reply, actions_for(scenario, writer=writer), scenario_state(scenario))


def ai_assistant_on() -> bool:
    return provider_name() == PlanVersion.Provider.OPENAI


def _rate_limit(speaker: Speaker) -> None:
    message = _("Too many chat requests: wait %(seconds)d seconds, then try again.")
    rate_limit_enforce(
        bucket=("planner-chat", speaker.bucket), limit=CHAT_PER_MINUTE, window=60, message=message
    )


def _record(turn: Turn, role: str, text: str, action: str) -> ChatMessage:
    return ChatMessage.objects.create(
        scenario=turn.scenario, role=role, text=text, action=action, created_by=turn.speaker.user_id
    )


def _reply(turn: Turn, text: str, action: str) -> ChatMessage:
    """The assistant's reply, signed by who wrote it (and why the offline assistant did), saved
    and announced to the scenario's sockets."""
    signed = "\n\n".join(part for part in (f"*{AI if turn.by_ai else OFFLINE}*", turn.notice, text) if part)
    message = _record(turn, ChatMessage.Role.ASSISTANT, signed, action)
    if not turn.stream.started:  # written at once: sent whole (what the model writes streams as it comes)
        turn.stream(signed)
    turn.stream.done(message.pk, signed)
    return message


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


def _add_objective(turn: Turn, payload: dict) -> str:
    scenario = turn.scenario
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


def _add_target(turn: Turn, payload: dict) -> str:
    scenario = turn.scenario
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


def _add_resource(turn: Turn, payload: dict) -> str:
    scenario = turn.scenario
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


def _suggest_targets(turn: Turn, payload: dict) -> str:
    suggestions = target_suggestions()
    if not suggestions:
        return _(
            "No customer segment has customers yet: import customers, and the nightly scoring sorts them."
        )
    lines = [_("Segments of your customers worth targeting, the most valuable first:")]
    lines += [f"- **{md_escape(row['label'])}**: {md_escape(row['explanation'])}" for row in suggestions]
    lines.append(_("Add one with “Add a target” and choose its segment."))
    return "\n".join(lines)


def _search_inspiration(turn: Turn, payload: dict) -> str:
    lines = [
        _(
            "**Generated suggestions, not sources.** These ideas were generated automatically from your "
            "scenario and your data: adapt and check them before use. They cite no source and no link."
        ),
    ]
    if ai_assistant_on():
        try:
            turn.stream(f"{lines[0]}\n\n")
            ideas = ideas_openai(turn.scenario, turn.stream)
        except AI_FAILED as error:
            turn.offline_instead(error)
        else:
            turn.by_ai = True
            return f"{lines[0]}\n\n{ideas}"
    lines += [f"- {md_escape(idea)}" for idea in ideas_offline(turn.scenario)]
    return "\n".join(lines)


def _answer(turn: Turn, payload: dict) -> str:
    """OpenAI's answer to a question about the scenario, streamed; the offline help when it fails."""
    try:
        return answer_openai(turn.scenario, payload["question"], turn.stream)
    except AI_FAILED as error:
        turn.by_ai = False
        turn.offline_instead(error)
        return _help()


def _generate_plan(turn: Turn, payload: dict) -> str:
    """The platform's provider's plan; when OpenAI fails, the offline assistant's, saying so."""
    scenario = turn.scenario
    try:
        version = services.plan_generate(scenario=scenario, user_id=turn.speaker.user_id)
    except (PlanProviderFailed, QuotaExceeded) as error:
        turn.offline_instead(error)
        version = services.plan_generate(scenario=scenario, user_id=turn.speaker.user_id, provider="offline")
    turn.by_ai = version.provider == PlanVersion.Provider.OPENAI
    done = ngettext(
        "Plan version %(number)d is ready, with %(count)d item.",
        "Plan version %(number)d is ready, with %(count)d items.",
        version.items.count(),
    ) % {"number": version.number, "count": version.items.count()}
    return "\n\n".join((done, md_escape(version.summary)))


def _campaign_drafts(turn: Turn, payload: dict) -> str:
    scenario = turn.scenario
    if scenario.current_version is None:
        raise NoPlan()
    drafts = services.plan_to_campaign_drafts(version=scenario.current_version, user_id=turn.speaker.user_id)
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
    "answer": _answer,
}
