"""Style presets a design may ask for: a label for people, a description for the image model."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Style:
    key: str
    label: str | Promise
    description: str  # sent to the image model, in English


STYLES: dict[str, Style] = {
    style.key: style
    for style in (
        Style(
            "illustration",
            _("Illustration"),
            "flat vector illustration, bold shapes, clean outlines, limited harmonious palette",
        ),
        Style(
            "watercolor",
            _("Watercolour"),
            "soft watercolour painting, translucent washes, paper texture, gentle bleeding edges",
        ),
        Style(
            "pop-art",
            _("Pop art"),
            "pop art, saturated primary colours, thick black outlines, halftone dots, comic-book energy",
        ),
        Style(
            "minimal-line",
            _("Minimal line art"),
            "minimalist single-line drawing, thin dark lines on a light background, lots of empty space",
        ),
        Style(
            "photo",
            _("Photographic"),
            "photorealistic image, natural light, shallow depth of field, rich detail",
        ),
    )
}
DEFAULT_STYLE = "illustration"
STYLE_CHOICES = [(style.key, style.label) for style in STYLES.values()]


def style_get(key: str | None) -> Style:
    """The preset named `key`; the default one for an empty key; ValueError for an unknown one."""
    if not key:
        return STYLES[DEFAULT_STYLE]
    try:
        return STYLES[key]
    except KeyError:
        raise ValueError(f"Unknown style {key!r}; expected one of {sorted(STYLES)}.") from None


def style_label(key: str | None) -> str:
    """A style as people read it, in the active language: its preset's label ("Watercolour"), the
    default preset's for no style, the key itself for a preset no longer offered."""
    try:
        return str(style_get(key).label)
    except ValueError:
        return str(key)


def style_prompt(*, prompt: str, style: str | None) -> str:
    """The text sent to an image model: the person's prompt and the style's description."""
    preset = style_get(style)
    return (
        f"{prompt.strip()}\n\nStyle: {preset.description}.\n"
        "Artwork to be printed on a product: fill the whole canvas, no mockup, no frame, no watermark."
    )
