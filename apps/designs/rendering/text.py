"""Text layers drawn with the bundled fonts (static/fonts/<Name>.ttf)."""

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from PIL import Image, ImageDraw, ImageFont

from .spec import TextLayer

# Text stays this fraction of the area's width (height) away from its left and right (top and bottom) edges.
MARGIN = 0.05


def default_fonts_dir() -> Path:
    """settings.BASE_DIR/static/fonts; the same folder found from this file when Django is not set up."""
    try:
        base_dir = Path(settings.BASE_DIR)
    except ImproperlyConfigured:
        base_dir = Path(__file__).resolve().parents[3]
    return base_dir / "static" / "fonts"


def font_names(fonts_dir: Path | None = None) -> list[str]:
    """Names usable as TextLayer.font (file stems of the bundled TrueType fonts)."""
    return sorted(path.stem for path in Path(fonts_dir or default_fonts_dir()).glob("*.ttf"))


def font_path(name: str, fonts_dir: Path) -> Path:
    """The TTF for `name`: a file stem ("DejaVuSans-Bold") or the same as a key ("dejavu-sans-bold")."""
    wanted = _font_key(name)
    for stem in font_names(fonts_dir):
        if _font_key(stem) == wanted:
            return Path(fonts_dir) / f"{stem}.ttf"
    raise ValueError(f"Unknown font {name!r}.")


def _font_key(name: str) -> str:
    return re.sub(r"[-_\s]", "", name).lower()


@lru_cache(maxsize=64)
def load_font(name: str, size_px: int, fonts_dir: Path) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(name, fonts_dir)), max(1, size_px))


def render_text_layers(
    canvas: Image.Image,
    text_layers: Iterable[TextLayer],
    fonts_dir: Path | None = None,
    *,
    box: tuple[int, int, int, int] | None = None,
) -> Image.Image:
    """Return a copy of `canvas` (RGBA) with each layer drawn, positioned relative to `box` (default: all)."""
    layers = tuple(text_layers)
    result = canvas.convert("RGBA") if canvas.mode != "RGBA" else canvas.copy()
    if not layers:
        return result
    fonts_dir = Path(fonts_dir or default_fonts_dir())
    box = box or (0, 0, *result.size)
    draw = ImageDraw.Draw(result)
    for layer in layers:
        _draw_layer(draw, layer, fonts_dir, box)
    return result


def _draw_layer(draw: ImageDraw.ImageDraw, layer: TextLayer, fonts_dir: Path, box) -> None:
    """The layer centred on its (x, y), shrunk to fit and moved to stay MARGIN inside the box."""
    left, top, right, bottom = box
    width, height = right - left, bottom - top
    inner = (left + MARGIN * width, top + MARGIN * height, right - MARGIN * width, bottom - MARGIN * height)
    font = _fitting_font(draw, layer, fonts_dir, round(layer.size * height), inner)
    x, y = left + layer.x * width, top + layer.y * height
    text_left, text_top, text_right, text_bottom = draw.textbbox((x, y), layer.text, font=font, anchor="mm")
    x += _shift_into(text_left, text_right, inner[0], inner[2])
    y += _shift_into(text_top, text_bottom, inner[1], inner[3])
    draw.text((x, y), layer.text, font=font, fill=layer.rgba(), anchor="mm")


def _fitting_font(draw: ImageDraw.ImageDraw, layer: TextLayer, fonts_dir: Path, size_px: int, inner):
    """The layer's font at `size_px`, smaller if the text (one or more lines) would not fit `inner`."""
    font = load_font(layer.font, max(1, size_px), fonts_dir)
    text_left, text_top, text_right, text_bottom = draw.textbbox((0, 0), layer.text, font=font, anchor="mm")
    scale = min(
        1.0,
        (inner[2] - inner[0]) / max(1, text_right - text_left),
        (inner[3] - inner[1]) / max(1, text_bottom - text_top),
    )
    return font if scale == 1.0 else load_font(layer.font, max(1, int(size_px * scale)), fonts_dir)


def _shift_into(low: float, high: float, minimum: float, maximum: float) -> float:
    """How far to move [low, high] so that it lies within [minimum, maximum]."""
    if low < minimum:
        return minimum - low
    if high > maximum:
        return maximum - high
    return 0.0
