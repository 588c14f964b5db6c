"""The open fonts bundled in `static/fonts/` (see its README): what brands and text layers may use."""

from dataclasses import dataclass
from pathlib import Path

from apps.core.fonts import FONT_DIR


@dataclass(frozen=True)
class Font:
    key: str
    label: str
    regular: str
    bold: str

    def path(self, *, bold: bool = False) -> Path:
        """The TTF file, for Pillow's `ImageFont.truetype`."""
        return FONT_DIR / (self.bold if bold else self.regular)


FONTS = {
    font.key: font
    for font in (
        Font("dejavu-sans", "DejaVu Sans", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
        Font("dejavu-serif", "DejaVu Serif", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
        Font("dejavu-sans-mono", "DejaVu Sans Mono", "DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"),
    )
}
DEFAULT_FONT = "dejavu-sans"
FONT_CHOICES = [(font.key, font.label) for font in FONTS.values()]


def font_path(key: str, *, bold: bool = False) -> Path:
    """The TTF of font `key` (the default font for an unknown key)."""
    return FONTS.get(key, FONTS[DEFAULT_FONT]).path(bold=bold)
