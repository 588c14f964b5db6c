"""What every AI provider offers, and the values it returns."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from PIL import Image, ImageOps

from ..moderation import Finding

MAX_IMAGE_SIDE = 16384  # pixels; beyond it a request is a bug, not a print size


@dataclass(frozen=True)
class GeneratedImage:
    image: Image.Image  # RGBA, exactly the requested width × height
    provider: str
    model: str
    meta: dict[str, Any] = field(default_factory=dict)  # e.g. {"provider": "offline", "seed": 7}


@dataclass(frozen=True)
class Moderation:
    flagged: bool
    reasons: list[str] = field(default_factory=list)  # for operators, e.g. ["blocked word: gun"]
    meta: dict[str, Any] = field(default_factory=dict)  # e.g. {"checked": False} when nothing was inspected
    findings: list[Finding] = field(default_factory=list)  # the reasons as codes, shopper-safe labels


class Provider(Protocol):
    name: str  # "offline" | "openai"

    def generate_image(
        self, *, prompt: str, style: str, width: int, height: int, seed: int
    ) -> GeneratedImage: ...

    def moderate_text(self, *, text: str, blocked_words: Sequence[str] = ()) -> Moderation: ...

    def moderate_image(self, *, image: Image.Image) -> Moderation: ...


def check_size(width: int, height: int) -> None:
    if not (1 <= width <= MAX_IMAGE_SIDE and 1 <= height <= MAX_IMAGE_SIDE):
        raise ValueError(f"Image size {width}×{height} is outside 1…{MAX_IMAGE_SIDE} px.")


def fit_cover(image: Image.Image, width: int, height: int) -> Image.Image:
    """`image` as RGBA, scaled to cover width × height and centre-cropped to exactly that size."""
    image = image.convert("RGBA")
    if image.size == (width, height):
        return image
    return ImageOps.fit(image, (width, height), method=Image.Resampling.LANCZOS)
