"""The offline provider: no network, no cost, deterministic — for demos, development and tests."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from django.utils.translation import gettext_lazy as _
from PIL import Image

from ..models import AIUsage
from ..moderation import BUILTIN_BLOCKED_WORDS, blocked_word_findings, finding_labels
from ..services import ai_call
from ..styles import style_get
from .artwork import LABEL, artwork_draw
from .base import GeneratedImage, Moderation, check_size


@dataclass
class OfflineProvider:
    """Artwork drawn with Pillow from the prompt; moderation by word lists; image moderation skipped."""

    design_id: int | None = None
    name: ClassVar[str] = "offline"
    label: ClassVar[str] = _("offline generator")  # what made a design, for people
    image_model: ClassVar[str] = "luneo-offline-artwork-1"
    moderation_model: ClassVar[str] = "luneo-offline-wordlist-1"

    def generate_image(
        self, *, prompt: str, style: str, width: int, height: int, seed: int
    ) -> GeneratedImage:
        check_size(width, height)
        preset = style_get(style)
        with self._call(AIUsage.Operation.IMAGE_GENERATE, self.image_model) as call:
            image = artwork_draw(prompt=prompt, style=preset.key, width=width, height=height, seed=seed)
            call.units = 1
        meta = {
            "provider": self.name,
            "model": self.image_model,
            "style": preset.key,
            "seed": seed,
            "label": LABEL,
        }
        return GeneratedImage(image=image, provider=self.name, model=self.image_model, meta=meta)

    def moderate_text(self, *, text: str, blocked_words: Sequence[str] = ()) -> Moderation:
        with self._call(AIUsage.Operation.TEXT_MODERATE, self.moderation_model) as call:
            findings = blocked_word_findings(text, [*blocked_words, *BUILTIN_BLOCKED_WORDS])
            call.units = 1
        return Moderation(
            flagged=bool(findings),
            reasons=finding_labels(findings),
            meta={"provider": self.name, "checked": True},
            findings=findings,
        )

    def moderate_image(self, *, image: Image.Image) -> Moderation:
        """Offline, nothing inspects images: every image passes, and the result says so."""
        with self._call(AIUsage.Operation.IMAGE_MODERATE, self.moderation_model) as call:
            call.units = 1
        meta = {
            "provider": self.name,
            "checked": False,
            "note": "offline image moderation does not inspect images",
        }
        return Moderation(flagged=False, reasons=[], meta=meta)

    def _call(self, operation: str, model: str):
        return ai_call(provider=self.name, model=model, operation=operation, design_id=self.design_id)
