"""A local fake of the OpenAI HTTP API: the real SDK and our provider code stay on the path."""

import base64
import io
import json
import time
from dataclasses import dataclass, field
from typing import Any

import pytest
from PIL import Image

from tests.support.http import QuietHandler, http_server

CATEGORIES = (
    "harassment", "harassment/threatening", "hate", "hate/threatening", "illicit", "illicit/violent",
    "self-harm", "self-harm/instructions", "self-harm/intent", "sexual", "sexual/minors", "violence",
    "violence/graphic",
)  # fmt: skip


@dataclass
class Reply:
    status: int = 200
    body: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    stream: list[dict] | None = None  # chunks sent as server-sent events instead of `body`


def png_b64(size: tuple[int, int], color=(200, 40, 40, 255)) -> str:
    buffer = io.BytesIO()
    Image.new("RGBA", size, color).save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def image_reply(size: tuple[int, int] = (1536, 1024)) -> Reply:
    usage = {
        "input_tokens": 40,
        "output_tokens": 1000,
        "total_tokens": 1040,
        "input_tokens_details": {"image_tokens": 0, "text_tokens": 40},
    }
    return Reply(body={"created": 1, "data": [{"b64_json": png_b64(size)}], "usage": usage})


def moderation_reply(*flagged_categories: str) -> Reply:
    result = {
        "flagged": bool(flagged_categories),
        "categories": {name: name in flagged_categories for name in CATEGORIES},
        "category_scores": {name: 0.9 if name in flagged_categories else 0.01 for name in CATEGORIES},
        "category_applied_input_types": {name: ["text"] for name in CATEGORIES},
    }
    return Reply(body={"id": "modr-1", "model": "omni-moderation-latest", "results": [result]})


def chat_reply(
    content: str | None, *, refusal: str | None = None, tokens: tuple[int, int] = (900, 300)
) -> Reply:
    """A chat completion whose message says `content` (a structured output's JSON text)."""
    message = {"role": "assistant", "content": content, "refusal": refusal}
    usage = {"prompt_tokens": tokens[0], "completion_tokens": tokens[1], "total_tokens": sum(tokens)}
    choice = {"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}
    body = {"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": "gpt-4o-mini"}
    return Reply(body={**body, "choices": [choice], "usage": usage})


def tool_reply(name: str, arguments: dict, *, tokens: tuple[int, int] = (200, 20)) -> Reply:
    """A chat completion that calls the tool `name` with `arguments`."""
    call = {
        "id": "call_1",
        "type": "function",
        "function": {"name": name, "arguments": json.dumps(arguments)},
    }
    reply = chat_reply(None, tokens=tokens)
    choice = reply.body["choices"][0]
    choice["message"]["tool_calls"], choice["finish_reason"] = [call], "tool_calls"
    return reply


def stream_reply(*pieces: str, tokens: tuple[int, int] = (400, 60)) -> Reply:
    """A streamed chat completion: one chunk per piece of text, then the usage."""
    head = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 0, "model": "gpt-4o-mini"}
    chunks = [
        {**head, "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
        for piece in pieces
    ]
    chunks.append({**head, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    usage = {"prompt_tokens": tokens[0], "completion_tokens": tokens[1], "total_tokens": sum(tokens)}
    chunks.append({**head, "choices": [], "usage": usage})
    return Reply(stream=chunks)


def as_chunks(body: dict) -> list[dict]:
    """A chat completion as the chunks of its stream: the message's content and tool calls, then usage."""
    head = {key: body[key] for key in ("id", "created", "model")} | {"object": "chat.completion.chunk"}
    message = body["choices"][0]["message"]
    delta = {"content": message.get("content")}
    if message.get("tool_calls"):
        delta["tool_calls"] = [{"index": n, **call} for n, call in enumerate(message["tool_calls"])]
    finish = body["choices"][0]["finish_reason"]
    return [
        {**head, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]},
        {**head, "choices": [{"index": 0, "delta": {}, "finish_reason": finish}]},
        {**head, "choices": [], "usage": body["usage"]},
    ]


def error_reply(status: int, message: str, code: str | None = None, **headers: str) -> Reply:
    error = {"message": message, "type": "invalid_request_error", "param": None, "code": code}
    return Reply(status=status, body={"error": error}, headers={"retry-after-ms": "10", **headers})


class FakeOpenAI:
    """Answers each request with the next scripted reply (the last one repeats); records requests."""

    def __init__(self):
        self.replies: list[Reply] = []
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.url = ""

    def script(self, *replies: Reply) -> None:
        self.replies = list(replies)

    def next_reply(self) -> Reply:
        return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]

    def handler(self):
        fake = self

        class Handler(QuietHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
                fake.requests.append((self.path, body))
                reply = fake.next_reply()
                time.sleep(reply.delay)
                chunks = reply.stream
                if chunks is None and body.get("stream") and reply.status == 200:
                    chunks = as_chunks(reply.body)  # a scripted completion, asked for as a stream
                if chunks is None:
                    payload, kind = json.dumps(reply.body).encode(), "application/json"
                else:
                    events = [f"data: {json.dumps(chunk)}\n\n" for chunk in chunks]
                    payload, kind = "".join([*events, "data: [DONE]\n\n"]).encode(), "text/event-stream"
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

        return Handler


@pytest.fixture
def fake_openai(settings):
    fake = FakeOpenAI()
    with http_server(fake.handler()) as base:
        fake.url = f"{base}/v1"
        settings.AI_PROVIDER = "openai"
        settings.OPENAI_API_KEY = "sk-test-fake"
        settings.OPENAI_BASE_URL = fake.url
        settings.OPENAI_TIMEOUT_SECONDS = 5.0
        settings.OPENAI_MAX_RETRIES = 2
        yield fake
