"""The OpenAI provider against a local fake of the API (real SDK, real HTTP, real retries)."""

import base64
import io
from dataclasses import replace
from decimal import Decimal

import pytest
from PIL import Image

from apps.ai.errors import PermanentAIError, TransientAIError
from apps.ai.models import AIUsage
from apps.ai.providers import get_provider
from tests.support.fakes.openai import Reply, error_reply, image_reply, moderation_reply

NO_RETRY = {"x-should-retry": "false"}  # what OpenAI says with an exhausted quota


def generate(**overrides):
    arguments = {"prompt": "A fox in a misty forest", "style": "watercolor", "width": 1200, "height": 800}
    return get_provider(design_id=9).generate_image(**{**arguments, "seed": 3, **overrides})


def only_usage() -> AIUsage:
    return AIUsage.objects.get()


def test_generation_returns_the_image_at_exactly_the_requested_size(tenant, fake_openai):
    fake_openai.script(image_reply((1536, 1024)))

    generated = generate()

    assert generated.image.size == (1200, 800)
    assert generated.image.mode == "RGBA"
    assert (generated.provider, generated.model) == ("openai", "gpt-image-1")
    assert generated.meta["size"] == "1536x1024"
    path, body = fake_openai.requests[0]
    assert path == "/v1/images/generations"
    assert body["model"] == "gpt-image-1"
    assert body["size"] == "1536x1024"
    assert body["prompt"].startswith("A fox in a misty forest")
    assert "watercolour" in body["prompt"]
    usage = only_usage()
    assert (usage.provider, usage.operation, usage.units, usage.tokens, usage.design_id, usage.ok) == (
        "openai",
        "image.generate",
        1,
        1040,
        9,
        True,
    )
    assert usage.cost == Decimal("0.063")


@pytest.mark.parametrize(
    ("width", "height", "size"),
    [(3024, 2433, "1536x1024"), (2433, 3024, "1024x1536"), (1000, 1050, "1024x1024")],
)
def test_generation_asks_for_the_closest_supported_aspect(tenant, fake_openai, width, height, size):
    fake_openai.script(image_reply((1024, 1024)))

    assert generate(width=width, height=height).image.size == (width, height)
    assert fake_openai.requests[0][1]["size"] == size


def test_a_rate_limited_moderation_is_retried_by_the_sdk_then_succeeds(tenant, fake_openai):
    fake_openai.script(error_reply(429, "Rate limit reached"), moderation_reply())

    moderation = get_provider().moderate_text(text="A fox")

    assert moderation.flagged is False
    assert len(fake_openai.requests) == 2
    assert only_usage().ok is True


def test_a_server_error_in_generation_is_transient_and_left_to_the_task_to_retry(tenant, fake_openai):
    fake_openai.script(error_reply(500, "The server had an error"))

    with pytest.raises(TransientAIError) as raised:
        generate()

    assert raised.value.code == "provider_unavailable"
    assert len(fake_openai.requests) == 1  # no SDK retry: the design task retries with backoff
    usage = only_usage()
    assert (usage.ok, usage.error_code, usage.units) == (False, "provider_unavailable", 0)


def test_a_timeout_is_transient(tenant, fake_openai, settings):
    settings.OPENAI_TIMEOUT_SECONDS = 0.3
    fake_openai.script(replace(image_reply(), delay=1.5))

    with pytest.raises(TransientAIError) as raised:
        generate()

    assert raised.value.code == "provider_timeout"
    usage = only_usage()
    assert (usage.ok, usage.error_code) == (False, "provider_timeout")
    assert usage.latency_ms >= 300


def test_a_bad_request_is_permanent_and_not_retried(tenant, fake_openai):
    fake_openai.script(error_reply(400, "Invalid value for 'size'.", code="invalid_value"))

    with pytest.raises(PermanentAIError) as raised:
        generate()

    assert raised.value.code == "bad_request"
    assert "Invalid value for 'size'." in raised.value.message
    assert len(fake_openai.requests) == 1
    assert only_usage().error_code == "bad_request"


@pytest.mark.parametrize(
    ("reply", "code"),
    [
        (error_reply(400, "Your request was rejected by the safety system.", code="moderation_blocked"),
         "content_policy"),
        (error_reply(401, "Incorrect API key provided."), "provider_auth"),
        (error_reply(404, "The model does not exist.", code="model_not_found"), "model_not_found"),
        (error_reply(429, "No quota.", code="insufficient_quota", **NO_RETRY), "provider_quota"),
    ],
)  # fmt: skip
def test_refusals_map_to_permanent_errors_with_a_code(tenant, fake_openai, reply, code):
    fake_openai.script(reply)

    with pytest.raises(PermanentAIError) as raised:
        generate()

    assert raised.value.code == code
    assert len(fake_openai.requests) == 1


def test_a_response_without_an_image_is_permanent(tenant, fake_openai):
    fake_openai.script(Reply(body={"created": 1, "data": []}))

    with pytest.raises(PermanentAIError) as raised:
        generate()

    assert raised.value.code == "empty_response"


def test_without_a_key_the_provider_refuses_and_records_it(tenant, settings):
    settings.AI_PROVIDER = "openai"
    settings.OPENAI_API_KEY = ""

    with pytest.raises(PermanentAIError) as raised:
        generate()

    assert raised.value.code == "provider_not_configured"
    assert only_usage().ok is False


def test_a_flagged_text_lists_the_flagged_categories(tenant, fake_openai):
    fake_openai.script(moderation_reply("violence", "hate/threatening"))

    moderation = get_provider().moderate_text(text="something hateful")

    assert moderation.flagged is True
    assert moderation.reasons == ["hate/threatening", "violence"]
    path, body = fake_openai.requests[0]
    assert path == "/v1/moderations"
    assert body == {"model": "omni-moderation-latest", "input": "something hateful"}
    usage = only_usage()
    assert (usage.operation, usage.model, usage.ok, usage.cost) == (
        "text.moderate",
        "omni-moderation-latest",
        True,
        0,
    )


def test_brand_blocked_words_flag_a_text_the_classifier_passes(tenant, fake_openai):
    fake_openai.script(moderation_reply())

    moderation = get_provider().moderate_text(text="A Pepsi can on the beach", blocked_words=["pepsi"])

    assert moderation.flagged is True
    assert moderation.reasons == ["blocked word: pepsi"]


def test_a_clean_text_passes(tenant, fake_openai):
    fake_openai.script(moderation_reply())

    moderation = get_provider().moderate_text(text="A fox in a misty forest", blocked_words=["pepsi"])

    assert (moderation.flagged, moderation.reasons) == (False, [])


def test_an_image_is_sent_as_a_data_url(tenant, fake_openai):
    fake_openai.script(moderation_reply("sexual"))

    moderation = get_provider().moderate_image(image=Image.new("RGB", (4000, 3000), "white"))

    assert (moderation.flagged, moderation.reasons) == (True, ["sexual"])
    body = fake_openai.requests[0][1]
    assert body["input"][0]["type"] == "image_url"
    url = body["input"][0]["image_url"]["url"]
    assert url.startswith("data:image/png;base64,")
    sent = Image.open(io.BytesIO(base64.b64decode(url.removeprefix("data:image/png;base64,"))))
    assert sent.size == (1024, 768)  # scaled down: enough to classify, small to send
    assert only_usage().operation == "image.moderate"
