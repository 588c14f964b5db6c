"""The OpenAI provider: the official SDK, with timeouts, retries of transient errors and cost estimates.

Generation asks for the supported size closest to the requested aspect ratio, then scales and
centre-crops the result to exactly the requested pixels. Image generation is never retried by the
SDK: one call lasts at most OPENAI_TIMEOUT_SECONDS, and the design task retries it with backoff
(DESIGN_STEP_MAX_RETRIES). Moderation calls are quick, so the SDK retries their rate limits,
timeouts, connection and server errors (OPENAI_MAX_RETRIES times, honouring Retry-After). What
fails becomes a TransientAIError (retry later) or a PermanentAIError (do not retry).
"""

import base64
import binascii
import io
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from typing import Any, ClassVar

import openai
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError

from ..errors import AIError, PermanentAIError, TransientAIError
from ..models import AIUsage
from ..moderation import Finding, blocked_word_findings, finding_labels
from ..services import AICall, ai_call
from ..styles import style_get, style_prompt
from .base import GeneratedImage, Moderation, check_size, fit_cover

SIZES = ((1024, 1024), (1536, 1024), (1024, 1536))
# Estimated USD per image of gpt-image-1 by quality and size (OpenAI's public price list, 2025).
# An estimate for dashboards and quotas, not the bill; unknown qualities use the "high" figures.
IMAGE_COST_USD = {
    "low": {"1024x1024": "0.011", "1536x1024": "0.016", "1024x1536": "0.016"},
    "medium": {"1024x1024": "0.042", "1536x1024": "0.063", "1024x1536": "0.063"},
    "high": {"1024x1024": "0.167", "1536x1024": "0.25", "1024x1536": "0.25"},
}
MODERATION_COST_USD = Decimal(0)  # the moderation endpoint is free
MODERATION_IMAGE_SIDE = 1024
CONTENT_POLICY_CODES = frozenset({"content_policy_violation", "moderation_blocked"})
STATUS_CODES = {400: "bad_request", 401: "provider_auth", 403: "provider_forbidden", 404: "model_not_found"}


def closest_size(width: int, height: int) -> str:
    """The supported generation size whose aspect ratio is nearest to width:height."""
    target = math.log(width / height)
    best_w, best_h = min(SIZES, key=lambda size: abs(math.log(size[0] / size[1]) - target))
    return f"{best_w}x{best_h}"


def image_cost(*, quality: str, size: str) -> Decimal:
    return Decimal(IMAGE_COST_USD.get(quality, IMAGE_COST_USD["high"])[size])


@lru_cache(maxsize=8)
def openai_client(*, api_key: str, base_url: str, timeout: float, max_retries: int) -> openai.OpenAI:
    """One client (and connection pool) per configuration, shared by the calls of a process."""
    return openai.OpenAI(api_key=api_key, base_url=base_url or None, timeout=timeout, max_retries=max_retries)


def error_detail(exc: openai.APIStatusError) -> str:
    body = exc.body if isinstance(exc.body, dict) else {}
    return str(body.get("message") or exc.message)[:500]


def ai_error(exc: openai.OpenAIError) -> AIError:
    """The SDK's error as a transient (retry) or permanent (give up) AI error."""
    if isinstance(exc, openai.APITimeoutError):
        return TransientAIError(_("The AI provider did not answer in time."), code="provider_timeout")
    if isinstance(exc, openai.APIConnectionError):
        return TransientAIError(_("The AI provider could not be reached."), code="provider_unreachable")
    if not isinstance(exc, openai.APIStatusError):
        return PermanentAIError(
            _("The AI provider client failed: %(detail)s") % {"detail": exc}, code="provider_error"
        )
    if exc.code == "insufficient_quota":
        return PermanentAIError(_("The AI provider account has no quota left."), code="provider_quota")
    if exc.status_code == 429:
        return TransientAIError(_("The AI provider is rate limiting requests."), code="provider_rate_limited")
    if exc.status_code >= 500 or exc.status_code in (408, 409):
        return TransientAIError(_("The AI provider had a server error."), code="provider_unavailable")
    if exc.code in CONTENT_POLICY_CODES:
        return PermanentAIError(
            _("The AI provider refused the prompt under its content policy: %(detail)s")
            % {"detail": error_detail(exc)},
            code="content_policy",
        )
    return PermanentAIError(
        _("The AI provider refused the request (%(status)s): %(detail)s")
        % {"status": exc.status_code, "detail": error_detail(exc)},
        code=STATUS_CODES.get(exc.status_code, "provider_error"),
    )


def decode_image(data: Any) -> Image.Image:
    b64 = data[0].b64_json if data else None
    if not b64:
        raise PermanentAIError(_("The AI provider returned no image."), code="empty_response")
    try:
        image = Image.open(io.BytesIO(base64.b64decode(b64, validate=True)))
        image.load()
    except (binascii.Error, UnidentifiedImageError, OSError) as exc:
        raise PermanentAIError(
            _("The AI provider returned an unreadable image."), code="invalid_image"
        ) from exc
    return image


def png_data_url(image: Image.Image) -> str:
    """The image as a PNG data URL, at most MODERATION_IMAGE_SIDE px a side (plenty to classify)."""
    image = image.convert("RGBA")
    image.thumbnail((MODERATION_IMAGE_SIDE, MODERATION_IMAGE_SIDE), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def moderation_reasons(result: Any) -> list[str]:
    """Names of the flagged categories, e.g. ["violence", "hate/threatening"]."""
    categories = result.categories.model_dump(by_alias=True)
    return [name for name, flagged in categories.items() if flagged]


@dataclass
class OpenAIProvider:
    design_id: int | None = None
    name: ClassVar[str] = "openai"
    label: ClassVar[str] = gettext_lazy("OpenAI")  # what made a design, for people

    def generate_image(
        self, *, prompt: str, style: str, width: int, height: int, seed: int
    ) -> GeneratedImage:
        """`seed` is recorded but not sent: OpenAI image models take no seed (same input ≠ same image)."""
        check_size(width, height)
        style = style_get(style).key
        full_prompt = style_prompt(prompt=prompt, style=style)
        model, quality = settings.OPENAI_IMAGE_MODEL, settings.OPENAI_IMAGE_QUALITY
        size = closest_size(width, height)
        with self._call(AIUsage.Operation.IMAGE_GENERATE, model) as call:
            response = self._client(max_retries=0).images.generate(
                model=model, prompt=full_prompt, size=size, quality=quality, n=1
            )
            call.units, call.cost = 1, image_cost(quality=quality, size=size)  # billed even if unreadable
            call.tokens = response.usage.total_tokens if response.usage else 0
            image = decode_image(response.data)
        meta = {
            "provider": self.name,
            "model": model,
            "style": style,
            "seed": seed,
            "size": size,
            "quality": quality,
        }
        return GeneratedImage(
            image=fit_cover(image, width, height), provider=self.name, model=model, meta=meta
        )

    def moderate_text(self, *, text: str, blocked_words: Sequence[str] = ()) -> Moderation:
        """The brand's blocked words and OpenAI's classifier (free, so always asked: full reasons)."""
        words = blocked_word_findings(text, blocked_words)
        moderation = self._moderate(AIUsage.Operation.TEXT_MODERATE, text)
        if not words:
            return moderation
        return replace(
            moderation,
            flagged=True,
            reasons=[*finding_labels(words), *moderation.reasons],
            findings=[*words, *moderation.findings],
        )

    def moderate_image(self, *, image: Image.Image) -> Moderation:
        data_url = png_data_url(image)
        return self._moderate(
            AIUsage.Operation.IMAGE_MODERATE, [{"type": "image_url", "image_url": {"url": data_url}}]
        )

    def _moderate(self, operation: str, moderation_input: Any) -> Moderation:
        model = settings.OPENAI_MODERATION_MODEL
        with self._call(operation, model) as call:
            response = self._client(max_retries=settings.OPENAI_MAX_RETRIES).moderations.create(
                model=model, input=moderation_input
            )
            call.units, call.cost = 1, MODERATION_COST_USD
        result = response.results[0]
        reasons = moderation_reasons(result) if result.flagged else []
        meta = {"provider": self.name, "model": response.model, "checked": True}
        findings = [Finding(reason) for reason in reasons]
        return Moderation(flagged=result.flagged, reasons=reasons, meta=meta, findings=findings)

    @contextmanager
    def _call(self, operation: str, model: str) -> Iterator[AICall]:
        with ai_call(provider=self.name, model=model, operation=operation, design_id=self.design_id) as call:
            try:
                yield call
            except openai.OpenAIError as exc:
                raise ai_error(exc) from exc

    def _client(self, *, max_retries: int) -> openai.OpenAI:
        if not settings.OPENAI_API_KEY:
            raise PermanentAIError(_("OPENAI_API_KEY is not set."), code="provider_not_configured")
        return openai_client(
            api_key=settings.OPENAI_API_KEY,
            base_url=settings.OPENAI_BASE_URL,
            timeout=settings.OPENAI_TIMEOUT_SECONDS,
            max_retries=max_retries,
        )
