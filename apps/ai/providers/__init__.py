"""AI providers behind one interface, chosen by settings.AI_PROVIDER (auto | openai | offline).

    provider = get_provider(design_id=design.pk)
    moderation = provider.moderate_text(text=prompt, blocked_words=brand.blocked_words)
    generated = provider.generate_image(prompt=prompt, style="watercolor", width=2048, height=1638, seed=7)

Every call records one `AIUsage` row by itself (also when it raises), tagged with `design_id`: do
not wrap calls in `services.ai_call` again, and do not hold a database transaction open around them.
Errors: `apps.ai.errors.TransientAIError` (retry) and `PermanentAIError` (fail with `.code`, `.message`).
"""

from django.conf import settings
from django.utils.translation import gettext

from .base import GeneratedImage, Moderation, Provider
from .offline import OfflineProvider
from .openai import OpenAIProvider

__all__ = ["GeneratedImage", "Moderation", "Provider", "get_provider", "provider_label", "provider_name"]

PROVIDERS: dict[str, type] = {OfflineProvider.name: OfflineProvider, OpenAIProvider.name: OpenAIProvider}


def provider_name(name: str | None = None) -> str:
    """The provider to use: `name`, else AI_PROVIDER; "auto" is openai when OPENAI_API_KEY is set."""
    name = name or settings.AI_PROVIDER
    if name == "auto":
        return OpenAIProvider.name if settings.OPENAI_API_KEY else OfflineProvider.name
    if name not in PROVIDERS:
        raise ValueError(f"Unknown AI provider {name!r}; expected auto, {', '.join(PROVIDERS)}.")
    return name


def get_provider(name: str | None = None, *, design_id: int | None = None) -> Provider:
    return PROVIDERS[provider_name(name)](design_id=design_id)


def provider_label(name: str | None) -> str:
    """What made a design, for people, in the active language ("offline generator"): never the key."""
    provider = PROVIDERS.get(name or "")
    return str(provider.label) if provider is not None else gettext("an AI service")
