"""Text layers drawn with the bundled fonts, named by their keys in apps.brands.fonts.FONTS.

A character the picked font lacks (Chinese in DejaVu Serif, say) is drawn in the bundled
fallbacks (apps.core.fonts), never as a box.
"""

from collections.abc import Iterable

from PIL import Image, ImageDraw

from apps.brands.fonts import DEFAULT_FONT, FONTS, font_path
from apps.core.fonts import TextFonts, font_chain, text_fonts

from .spec import TextLayer

# Without a print spec's safe zone, text stays this fraction of the canvas away from its edges.
MARGIN = 0.05
MARGIN_BOX = (MARGIN, MARGIN, 1 - MARGIN, 1 - MARGIN)
BADGE_INK = (24, 24, 28)
BADGE_PAPER = (255, 255, 255, 190)


def load_font(key: str, size_px: int) -> TextFonts:
    """Font `key` (e.g. "dejavu-sans") and its fallbacks at `size_px`; an unknown key raises ValueError."""
    if key not in FONTS:
        raise ValueError(f"Unknown font {key!r}.")
    return text_fonts(font_chain(font_path(key)), size_px)


def render_text_layers(
    canvas: Image.Image, text_layers: Iterable[TextLayer], *, safe=MARGIN_BOX
) -> Image.Image:
    """A copy of `canvas` (RGBA) with each layer drawn where its (x, y) puts it, turned by its
    rotation, shrunk and moved as little as needed to lie within `safe` (fractions of the canvas)."""
    result = canvas.convert("RGBA") if canvas.mode != "RGBA" else canvas.copy()
    for layer in text_layers:
        result.alpha_composite(
            *safe_place(_layer_image(layer, result.size, safe), (layer.x, layer.y), result.size, safe)
        )
    return result


def safe_place(image: Image.Image, centre, size, safe) -> tuple[Image.Image, tuple[int, int]]:
    """`image` (shrunk to fit `safe` if larger) and its top-left corner: centred on `centre` (fractions
    of `size`) and moved as little as needed to lie within `safe`."""
    width, height = size
    left, top, right, bottom = safe[0] * width, safe[1] * height, safe[2] * width, safe[3] * height
    ratio = min(1.0, (right - left) / image.width, (bottom - top) / image.height)
    if ratio < 1.0:
        image = image.resize(
            (max(1, int(image.width * ratio)), max(1, int(image.height * ratio))), Image.Resampling.LANCZOS
        )
    x = min(max(centre[0] * width - image.width / 2, left), right - image.width)
    y = min(max(centre[1] * height - image.height / 2, top), bottom - image.height)
    return image, (max(0, round(x)), max(0, round(y)))


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


def _layer_image(layer: TextLayer, size, safe) -> Image.Image:
    """The layer's ink (RGBA, tight around it), turned; its font made smaller if the turned text
    would not fit within `safe`, so that it is never resampled."""
    height = size[1]
    size_px = max(1, round(layer.size * height))
    image = _turned_ink(layer, load_font(layer.font, size_px))
    ratio = min(
        1.0,
        (safe[2] - safe[0]) * size[0] / image.width,
        (safe[3] - safe[1]) * height / image.height,
    )
    if ratio == 1.0:
        return image
    return _turned_ink(layer, load_font(layer.font, max(1, int(size_px * ratio))))


def _turned_ink(layer: TextLayer, font: TextFonts) -> Image.Image:
    """The text in its colour on transparency: its coverage drawn as a mask, then turned."""
    left, top, right, bottom = font.textbbox((0, 0), layer.text, anchor="mm")
    mask = Image.new("L", (right - left + 2, bottom - top + 2), 0)
    font.draw(ImageDraw.Draw(mask), (1 - left, 1 - top), layer.text, fill=255, anchor="mm")
    if layer.rotation:
        mask = mask.rotate(-layer.rotation, Image.Resampling.BICUBIC, expand=True)
    red, green, blue, alpha = layer.rgba()
    ink = Image.new("RGBA", mask.size, (red, green, blue, 255))
    ink.putalpha(mask if alpha == 255 else mask.point(lambda value: value * alpha // 255))
    return ink
