"""Text layers drawn with the bundled fonts, named by their keys in apps.brands.fonts.FONTS.

A character the picked font lacks (Chinese in DejaVu Serif, say) is drawn in the bundled
fallbacks (apps.core.fonts), never as a box.
"""

from collections.abc import Iterable

from PIL import Image, ImageDraw

from apps.brands.fonts import DEFAULT_FONT, FONTS, font_path
from apps.core.fonts import TextFonts, font_chain, text_fonts

from .spec import TextLayer

# Text stays this fraction of the area's width (height) away from its left and right (top and bottom) edges.
MARGIN = 0.05
BADGE_INK = (24, 24, 28)
BADGE_PAPER = (255, 255, 255, 190)


def load_font(key: str, size_px: int) -> TextFonts:
    """Font `key` (e.g. "dejavu-sans") and its fallbacks at `size_px`; an unknown key raises ValueError."""
    if key not in FONTS:
        raise ValueError(f"Unknown font {key!r}.")
    return text_fonts(font_chain(font_path(key)), size_px)


def render_text_layers(
    canvas: Image.Image,
    text_layers: Iterable[TextLayer],
    *,
    box: tuple[int, int, int, int] | None = None,
) -> Image.Image:
    """Return a copy of `canvas` (RGBA) with each layer drawn, positioned relative to `box` (default: all)."""
    layers = tuple(text_layers)
    result = canvas.convert("RGBA") if canvas.mode != "RGBA" else canvas.copy()
    if not layers:
        return result
    box = box or (0, 0, *result.size)
    draw = ImageDraw.Draw(result)
    for layer in layers:
        _draw_layer(draw, layer, box)
    return result


def render_badge(image: Image.Image, text: str) -> Image.Image:
    """A copy of `image` with `text` (e.g. "offline preview") on a light box in its bottom-right corner."""
    result = image.copy()
    width, height = result.size
    size = max(10, round(min(width, height) * 0.028))
    corner = (width - size // 2, height - size // 2)
    font = load_font(DEFAULT_FONT, size)
    draw = ImageDraw.Draw(result, "RGBA")
    left, top, right, bottom = font.textbbox(corner, text, anchor="rd")
    pad = size // 4
    draw.rectangle([left - pad, top - pad, right + pad, bottom + pad], fill=BADGE_PAPER)
    font.draw(draw, corner, text, fill=BADGE_INK, anchor="rd")
    return result


def _draw_layer(draw: ImageDraw.ImageDraw, layer: TextLayer, box) -> None:
    """The layer centred on its (x, y), shrunk to fit and moved to stay MARGIN inside the box."""
    left, top, right, bottom = box
    width, height = right - left, bottom - top
    inner = (left + MARGIN * width, top + MARGIN * height, right - MARGIN * width, bottom - MARGIN * height)
    font = _fitting_font(layer, round(layer.size * height), inner)
    x, y = left + layer.x * width, top + layer.y * height
    text_left, text_top, text_right, text_bottom = font.textbbox((x, y), layer.text, anchor="mm")
    x += _shift_into(text_left, text_right, inner[0], inner[2])
    y += _shift_into(text_top, text_bottom, inner[1], inner[3])
    font.draw(draw, (x, y), layer.text, fill=layer.rgba(), anchor="mm")


def _fitting_font(layer: TextLayer, size_px: int, inner) -> TextFonts:
    """The layer's font at `size_px`, smaller if the text (one or more lines) would not fit `inner`."""
    font = load_font(layer.font, max(1, size_px))
    text_left, text_top, text_right, text_bottom = font.textbbox((0, 0), layer.text, anchor="mm")
    scale = min(
        1.0,
        (inner[2] - inner[0]) / max(1, text_right - text_left),
        (inner[3] - inner[1]) / max(1, text_bottom - text_top),
    )
    return font if scale == 1.0 else load_font(layer.font, max(1, int(size_px * scale)))


def _shift_into(low: float, high: float, minimum: float, maximum: float) -> float:
    """How far to move [low, high] so that it lies within [minimum, maximum]."""
    if low < minimum:
        return minimum - low
    if high > maximum:
        return maximum - high
    return 0.0
