"""Text from OpenAI for the assistants (the marketing planner; the copilot next): one chat
completion per call, a structured output, one tool call at most, or an answer streamed token by
token to a callback.

Every call is a row of the AI usage log (operation `text.generate`, tokens, an estimated cost) and
counts against the workspace's monthly AI text tokens: an estimate is reserved before the call
(402 `quota_exceeded` when the month's allowance is used up) and replaced by the tokens the
provider reports once it answers. What fails is a TransientAIError or a PermanentAIError.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import openai
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from apps.billing.entitlements import ai_tokens_reserve, ai_tokens_settle

from .errors import PermanentAIError
from .models import AIUsage
from .providers.openai import ai_error, openai_client
from .services import AICall, ai_call

LANGUAGES = {"en": "English", "fr": "French", "zh-hans": "Simplified Chinese"}
# Estimated USD per million tokens (input, output) of the default model; an estimate, not the bill.
TOKEN_COST_USD = (Decimal("0.15"), Decimal("0.60"))
ANSWER_MAX_TOKENS = 1500


@dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    arguments: dict


@dataclass
class TextAnswer:
    content: str = ""
    data: dict | None = None  # the structured output, read from `content`
    tool_calls: list[ToolCall] = field(default_factory=list)


def language_name() -> str:
    """The active language, named for a model's instructions ("Write in French.")."""
    return LANGUAGES.get(translation.get_language() or "en", "English")


def text_complete(
    messages: list[dict],
    *,
    response_format: dict | None = None,
    tools: list[dict] | None = None,
    stream: Callable[[str], None] | None = None,
    max_tokens: int = ANSWER_MAX_TOKENS,
) -> TextAnswer:
    """One chat completion of `OPENAI_TEXT_MODEL`: its text, structured output or tool call.

    With `response_format` (a JSON schema), `data` is the object the model wrote; with `tools`,
    the model may call one of them (never several at once); with `stream`, each piece of the
    answer's text is passed to it as it arrives. A refusal, an empty answer or unreadable JSON is
    a PermanentAIError, recorded as a failed call.
    """
    options: dict = {"max_completion_tokens": max_tokens}
    if response_format:
        options["response_format"] = response_format
    if tools:
        options |= {"tools": tools, "tool_choice": "auto", "parallel_tool_calls": False}
    estimate = len(json.dumps([messages, tools], ensure_ascii=False)) // 2 + max_tokens
    reserved = ai_tokens_reserve(estimate)
    model = settings.OPENAI_TEXT_MODEL
    call = None
    try:
        with ai_call(provider="openai", model=model, operation=AIUsage.Operation.TEXT_GENERATE) as call:
            try:
                if stream is None:
                    response = _client().chat.completions.create(model=model, messages=messages, **options)
                    answer = _answer(response, call)
                else:
                    answer = _streamed(model, messages, options, stream, call)
            except openai.OpenAIError as exc:
                raise ai_error(exc) from exc
            if response_format:
                answer.data = _json(answer.content)
            return answer
    finally:
        ai_tokens_settle(reserved, call.tokens if call else 0)


def _client() -> openai.OpenAI:
    return openai_client(
        api_key=settings.OPENAI_API_KEY,
        base_url=settings.OPENAI_BASE_URL,
        timeout=settings.OPENAI_TEXT_TIMEOUT_SECONDS,
        max_retries=settings.OPENAI_MAX_RETRIES,
    )


def _metered(call: AICall, usage) -> None:
    call.units = 1
    if usage is not None:
        call.tokens = usage.total_tokens
        prices = TOKEN_COST_USD
        call.cost = (usage.prompt_tokens * prices[0] + usage.completion_tokens * prices[1]) / Decimal(
            1_000_000
        )


def _answer(response, call: AICall) -> TextAnswer:
    _metered(call, response.usage)
    message = response.choices[0].message if response.choices else None
    if message is None:
        raise PermanentAIError(_("The AI provider sent no answer."), code="invalid_response")
    calls = [
        ToolCall(tool.id, tool.function.name, _json(tool.function.arguments))
        for tool in message.tool_calls or []
    ]
    _refuse_empty(message.refusal, message.content or "", calls)
    return TextAnswer(content=message.content or "", tool_calls=calls)


def _streamed(
    model: str, messages: list[dict], options: dict, stream: Callable[[str], None], call
) -> TextAnswer:
    chunks = _client().chat.completions.create(
        model=model, messages=messages, stream=True, stream_options={"include_usage": True}, **options
    )
    pieces, refusal, calls = [], [], {}
    for chunk in chunks:
        if chunk.usage is not None:
            _metered(call, chunk.usage)
        for choice in chunk.choices:
            delta = choice.delta
            if delta.refusal:
                refusal.append(delta.refusal)
            if delta.content:
                pieces.append(delta.content)
                stream(delta.content)
            for part in delta.tool_calls or []:  # a tool call arrives in pieces, by index
                started = calls.setdefault(part.index, {"id": "", "name": "", "arguments": ""})
                started["id"] = part.id or started["id"]
                if part.function is not None:
                    started["name"] += part.function.name or ""
                    started["arguments"] += part.function.arguments or ""
    call.units = 1
    tools = [ToolCall(c["id"], c["name"], _json(c["arguments"])) for _index, c in sorted(calls.items())]
    _refuse_empty("".join(refusal), "".join(pieces), tools)
    return TextAnswer(content="".join(pieces), tool_calls=tools)


def _refuse_empty(refusal: str | None, content: str, calls: list[ToolCall]) -> None:
    if refusal or not (content.strip() or calls):
        raise PermanentAIError(_("The AI provider declined to answer."), code="provider_refused")


def _json(text: str) -> dict:
    """An object the model wrote as JSON (a structured output, a tool call's arguments)."""
    try:
        parsed = json.loads(text or "{}")
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        raise PermanentAIError(_("The AI provider's answer could not be read."), code="invalid_response")
    return parsed
