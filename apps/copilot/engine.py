"""The copilot's turns: a question answered from the workspace's data by its tools, offline or on
OpenAI, streamed to the conversation's sockets as it is written; actions proposed as cards and
run only on their owner's confirmation.

Honesty rules: every figure of an answer comes from a tool's result — the offline copilot's
answers are the tools' own summaries; an OpenAI answer's numbers are checked against the tools'
results (and the question) and any other is replaced by "[?]" with a note. A tool that finds
nothing says "no data". Each answer lists the pages that show its figures. When OpenAI fails or
the month's AI text tokens are used up, the offline copilot answers and says why.
"""

import re
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.ai.errors import AIError
from apps.ai.providers import provider_name
from apps.billing.errors import QuotaExceeded
from apps.core import context
from apps.core.api.ratelimit import rate_limit_enforce
from apps.core.errors import ApplicationError, Conflict, PermissionDenied
from apps.core.markdown import md_escape
from apps.core.streams import ReplyStream
from apps.planner.checks import Problems
from apps.tenants.models import Role

from .actions import ACTIONS, action_check
from .models import Conversation, Message, PendingAction
from .offline import understand
from .openai_copilot import AIAnswer, answer_openai
from .tools import TOOLS, ToolResult, role_rank, tool_run

ASK_PER_MINUTE = 20
TEXT_MAX = 2000
PAGE_MAX = 200
PAGE_PATH = r"^/[^\s\x00-\x1f\x7f]*$"  # a dashboard path; anything else is ignored
HISTORY = 10  # earlier messages the model is given
TITLE_MAX = 60
AI_FAILED = (AIError, QuotaExceeded)
SMALL = 10  # whole numbers up to this are words ("the 3 best"), not figures to check
THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
NUMBER = re.compile(r"(?<![\w.])\d[\d\u00a0\u202f,.]*(?:\d)?%?")
EXAMPLES = (
    gettext_lazy("How did we do last week?"),
    gettext_lazy("Which customers are slipping away?"),
    gettext_lazy("Why are designs failing?"),
    gettext_lazy("Which orders are blocked?"),
    gettext_lazy("Where do shoppers give up in the widget?"),
    gettext_lazy("Draft a campaign for our Champions about the new Riesling"),
)


class ActionDecided(Conflict):
    code = "action_decided"
    message = gettext_lazy("This action was already confirmed or cancelled.")


@dataclass(frozen=True)
class Asker:
    """Who asks: a member (by role) or an API key (editor with `copilot:write`, else viewer)."""

    user_id: int | None
    api_key_id: int | None
    role: str
    actor: str  # who the audit log names: a user id, or "key:<prefix>"

    @property
    def bucket(self) -> str:
        return f"user:{self.user_id}" if self.user_id is not None else f"key:{self.api_key_id}"


def member_asker(user, role: str) -> Asker:
    return Asker(user_id=user.pk, api_key_id=None, role=role, actor=str(user.pk))


def key_asker(key) -> Asker:
    role = Role.EDITOR if "copilot:write" in key.scopes else Role.VIEWER
    return Asker(user_id=None, api_key_id=key.pk, role=role, actor=f"key:{key.prefix}")


@dataclass(frozen=True)
class Answer:
    message: Message
    actions: list[PendingAction]

    @property
    def conversation(self) -> Conversation:
        return self.message.conversation


def conversation_group(schema: str, conversation_id: int) -> str:
    """The Channels group of a conversation's sockets (apps/copilot/consumers.py)."""
    return f"{schema}.copilot.{conversation_id}"


def ai_copilot_on() -> bool:
    return provider_name() == Message.Provider.OPENAI


# --- a question ----------------------------------------------------------------------------------


def conversation_start(asker: Asker) -> Conversation:
    return Conversation.objects.create(
        title=_("New conversation"), user_id=asker.user_id, api_key_id=asker.api_key_id
    )


def ask(conversation: Conversation | None, asker: Asker, text: str, *, page: str = "") -> Answer:
    """Answer `text` in `conversation` for `asker` (None: in a new one, made once the question is
    admitted); RateLimited past 20 questions a minute, ValidationFailed for text it cannot read."""
    _admit(asker)
    problems = Problems()
    text = problems.text("text", text, max_length=TEXT_MAX, multiline=True)
    problems.refuse()
    page = page if isinstance(page, str) and len(page) <= PAGE_MAX and re.match(PAGE_PATH, page) else ""
    conversation = conversation or conversation_start(asker)
    history = _history(conversation)
    _record(conversation, Message.Role.USER, text, page=page)
    if not history:  # its first question names it
        conversation.title = text[:TITLE_MAX]
    stream = ReplyStream(conversation_group(connection.schema_name, conversation.pk))
    notice, provider = "", Message.Provider.OFFLINE
    if ai_copilot_on():
        try:
            found = answer_openai(history, text, page=page, role=asker.role, stream=stream)
        except AI_FAILED as error:
            notice = _("The AI copilot is not available now (%(reason)s): the offline copilot answered.") % {
                "reason": md_escape(getattr(error, "message", error))
            }
        else:
            provider = Message.Provider.OPENAI
            found.text, checked = grounded(found.text, found.results, text)
            notice = "" if checked else _("Figures the copilot could not find in your data are shown as [?].")
    if provider == Message.Provider.OFFLINE:
        found = _offline(text, page, asker.role)
    reply, actions = _answer(conversation, asker, found, provider=provider, notice=notice)
    if not stream.started:
        stream(reply.text)
    stream.done(reply.pk, reply.text)
    conversation.updated_at = timezone.now()
    conversation.save(update_fields=["title", "updated_at"])
    return Answer(reply, actions)


def _admit(asker: Asker) -> None:
    message = _("Too many questions: wait %(seconds)d seconds, then ask again.")
    rate_limit_enforce(bucket=("copilot", asker.bucket), limit=ASK_PER_MINUTE, window=60, message=message)


def action_propose(asker: Asker, text: str, name: str, arguments: dict) -> Answer:
    """A proposal asked for from a page (the inbox's "Propose a corrected reprint"): a new
    conversation with the person's request `text` and the action's card, as if they had typed
    it; nothing runs until they confirm. The card is refused like a typed one (its reason in the
    answer)."""
    _admit(asker)
    conversation = conversation_start(asker)
    conversation.title = text[:TITLE_MAX]
    _record(conversation, Message.Role.USER, text)
    reply, actions = _answer(
        conversation,
        asker,
        AIAnswer(text="", proposals=[(name, arguments)]),
        provider=Message.Provider.OFFLINE,
        notice="",
    )
    conversation.save(update_fields=["title", "updated_at"])
    return Answer(reply, actions)


def _history(conversation: Conversation) -> list[dict]:
    earlier = list(conversation.messages.order_by("-created_at", "-pk")[:HISTORY])[::-1]
    return [{"role": message.role, "content": message.text} for message in earlier]


def _record(conversation: Conversation, role: str, text: str, **fields) -> Message:
    return Message.objects.create(conversation=conversation, role=role, text=text, **fields)


def _offline(text: str, page: str, role: str) -> AIAnswer:
    """The offline copilot: the tools (and the action) the rules read in the question."""
    found = AIAnswer(text="")
    sections = []
    for step in understand(text, page):
        if step.action:
            found.proposals.append((step.name, step.arguments))
            continue
        try:
            result = tool_run(step.name, step.arguments, role=role)
        except ApplicationError as error:
            sections.append(f"**{TOOLS[step.name].label}**: {_problems(error)}")
            continue
        found.results.append((step.name, step.arguments, result))
        sections.append(f"### {TOOLS[step.name].label}\n\n{result.summary}")
    if not sections and not found.proposals:
        sections.append(_help())
    found.text = "\n\n".join(sections)
    return found


def _problems(error: ApplicationError) -> str:
    """An error's message, or the problems it lists when its message is the generic one."""
    listed = [
        str(problem.get("message", "")) if isinstance(problem, dict) else str(problem)
        for problems in error.details.values()
        if isinstance(problems, list | tuple)
        for problem in problems
    ]
    return md_escape(" ".join(listed) if listed else error.message)


def _help() -> str:
    lines = [_("I did not recognise a question about your data. You can ask, for example:")]
    lines += [f"- {md_escape(example)}" for example in EXAMPLES]
    return "\n".join(lines)


def _answer(
    conversation: Conversation, asker: Asker, found: AIAnswer, *, provider: str, notice: str
) -> tuple[Message, list[PendingAction]]:
    """The reply saved with its sources, and its proposed actions (those the role allows)."""
    proposals, refused = [], []
    for name, arguments in found.proposals:
        try:
            action = action_check(name, arguments)
            card = action.describe(arguments)
        except ApplicationError as error:
            refused.append(_problems(error))
            continue
        if role_rank(asker.role) < role_rank(action.role):
            refused.append(_("Your role cannot %(action)s.") % {"action": str(action.label).lower()})
            continue
        proposals.append((action, arguments, card))
    label = Message.Provider(provider).label
    parts = [f"*{label}*", notice, found.text, *refused]
    if proposals:
        parts.append(_("Confirm or cancel below: nothing is done until you confirm."))
    sources = _sources(found.results)
    with transaction.atomic():
        reply = _record(
            conversation,
            Message.Role.ASSISTANT,
            "\n\n".join(part for part in parts if part),
            provider=provider,
            tools=[
                {"name": name, "arguments": arguments, "designs": result.designs}
                for name, arguments, result in found.results
            ],
            sources=sources,
        )
        actions = [
            PendingAction.objects.create(message=reply, kind=action.name, arguments=arguments, card=card)
            for action, arguments, card in proposals
        ]
    return reply, actions


def _sources(results: list[tuple[str, dict, ToolResult]]) -> list[dict]:
    seen, sources = set(), []
    for _name, _arguments, result in results:
        for source in result.sources:
            if source.url not in seen:
                seen.add(source.url)
                sources.append({"label": str(source.label), "url": source.url})
    return sources


# --- honesty: figures ----------------------------------------------------------------------------


def _numbers(text: str) -> set[str]:
    """The numbers in `text`, written one way: "1,200", "1 200" and "1200" alike; "12,5", "12.50"
    and "12.5" alike (no separators, a point, no trailing decimal zeros)."""
    found = set()
    for raw in NUMBER.findall(text):
        digits = re.sub(r"[\u00a0\u202f%]", "", raw).rstrip(".,")
        if THOUSANDS.fullmatch(digits):
            digits = digits.replace(",", "")
        digits = digits.replace(",", ".")
        if "." in digits:
            digits = digits.rstrip("0").rstrip(".")
        found.add(digits)
    return found


def grounded(text: str, results: list[tuple[str, dict, ToolResult]], question: str) -> tuple[str, bool]:
    """`text` with every figure that no tool result (nor the question) holds replaced by "[?]";
    and whether none had to be."""
    known = _numbers(question)
    for _name, _arguments, result in results:
        known |= _numbers(" ".join(str(value) for value in _flatten(result.data)))
    clean = True

    def check(found: re.Match) -> str:
        nonlocal clean
        value = next(iter(_numbers(found.group())), "")
        if value in known or (value.isdigit() and int(value) <= SMALL):
            return found.group()
        clean = False
        return "[?]"

    return NUMBER.sub(check, text), clean


def _flatten(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _flatten(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _flatten(item)
    else:
        yield value


# --- actions -------------------------------------------------------------------------------------


def action_confirm(action: PendingAction, asker: Asker) -> PendingAction:
    """Run a proposed action once, for its conversation's owner, with their role checked now.
    Conflict when it was already decided; its failure is recorded on it, not raised. The audit
    log records the decision (and the writes of the services it runs) under the asker's name."""
    tokens = context.bind(user=asker.actor)
    try:
        return _confirm(action, asker)
    finally:
        context.unbind(tokens)


def _confirm(action: PendingAction, asker: Asker) -> PendingAction:
    with transaction.atomic():
        action = PendingAction.objects.select_for_update().get(pk=action.pk)
        if action.status != PendingAction.Status.PROPOSED:
            raise ActionDecided()
        definition = ACTIONS[action.kind]
        if role_rank(asker.role) < role_rank(definition.role):
            raise PermissionDenied(_("Your role does not allow this action."))
        try:
            with transaction.atomic():
                action_check(action.kind, action.arguments)
                done = definition.run(action.arguments, asker.user_id)
        except ApplicationError as error:
            action.status, action.result = PendingAction.Status.FAILED, md_escape(error.message)
        else:
            action.status, action.result, action.result_url = PendingAction.Status.DONE, done.text, done.url
        action.decided_by, action.decided_at = asker.user_id, timezone.now()
        action.save()
    return action


def action_cancel(action: PendingAction, asker: Asker) -> PendingAction:
    tokens = context.bind(user=asker.actor)
    try:
        with transaction.atomic():
            action = PendingAction.objects.select_for_update().get(pk=action.pk)
            if action.status != PendingAction.Status.PROPOSED:
                raise ActionDecided()
            action.status = PendingAction.Status.CANCELLED
            action.decided_by, action.decided_at = asker.user_id, timezone.now()
            action.save()
    finally:
        context.unbind(tokens)
    return action
