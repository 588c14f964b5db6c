"""Text in any script with the bundled fonts: each character drawn in the first font that has it.

A brand's font covers Latin; a shopper may type Chinese, Polish or Vietnamese. A string is cut
into runs by glyph coverage (`font_runs`) along a chain of fonts: the picked font, then DejaVu
Sans (Latin-extended, Greek, Cyrillic), then Droid Sans Fallback (Chinese, Japanese, Korean), all
in `static/fonts/` (see its README). A character no font has stays in the run before it.

- Pillow: `text_fonts(chain, size)` measures and draws a string (one or more lines) run by run
  on a shared baseline; every image we draw text on goes through it.
- ReportLab: `pdf_font(path)` registers a TTF (embedded, subset, text extractable) with its
  chain, and `pdf_markup(text, font_name)` is the text escaped with the runs its font lacks
  wrapped in `<font name=…>`; `apps.core.pdf.paragraph` uses it.
"""

from collections.abc import Iterator, Sequence
from functools import lru_cache
from html import escape
from pathlib import Path

from django.conf import settings
from PIL import ImageDraw, ImageFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
CJK_FONT = FONT_DIR / "DroidSansFallbackFull.ttf"
FALLBACKS = (FONT_DIR / "DejaVuSans.ttf", CJK_FONT)
BOLD_FALLBACKS = (FONT_DIR / "DejaVuSans-Bold.ttf", CJK_FONT)
LINE_SPACING = 4  # pixels between lines, as Pillow's multiline text
# The Pillow anchors text is placed by: horizontal (left, middle, right: the fraction of each
# line's width left of the point) and vertical (first ascender, middle, first baseline, last descender).
HORIZONTAL = {"l": 0.0, "m": 0.5, "r": 1.0}
VERTICAL = ("a", "m", "s", "d")

Run = tuple[str, str]  # (text, font file)


def font_chain(path: Path | str, *, bold: bool = False) -> tuple[str, ...]:
    """`path`, then the fallbacks (bold ones for a bold font), each once."""
    fallbacks = BOLD_FALLBACKS if bold else FALLBACKS
    return tuple(dict.fromkeys(str(font) for font in (path, *fallbacks)))


@lru_cache(maxsize=32)
def font_coverage(path: str) -> frozenset[int]:
    """The code points the TTF at `path` has a glyph for (its cmap)."""
    return frozenset(TTFontFace(path).charToGlyph)


def font_runs(text: str, chain: Sequence[str]) -> list[Run]:
    """`text` cut into (piece, font) runs, each character in the first font of `chain` that has it."""
    runs: list[list[str]] = []
    for character in text:
        font = next((path for path in chain if ord(character) in font_coverage(path)), None)
        if font is None:
            font = runs[-1][1] if runs else chain[0]
        if runs and runs[-1][1] == font:
            runs[-1][0] += character
        else:
            runs.append([character, font])
    return [(piece, font) for piece, font in runs]


# --- Pillow ---------------------------------------------------------------------------------


class TextFonts:
    """A font chain at one pixel size: measure and draw strings, each run in its own font."""

    def __init__(self, chain: Sequence[str], size: int):
        self.chain, self.size = tuple(chain), max(1, size)
        self._fonts: dict[str, ImageFont.FreeTypeFont] = {}

    def font(self, path: str) -> ImageFont.FreeTypeFont:
        if path not in self._fonts:
            self._fonts[path] = ImageFont.truetype(path, self.size)
        return self._fonts[path]

    def runs(self, text: str) -> list[tuple[str, ImageFont.FreeTypeFont]]:
        return [(piece, self.font(path)) for piece, path in font_runs(text, self.chain)]

    def getlength(self, text: str) -> float:
        """The advance width of one line of text, in pixels."""
        return sum(font.getlength(piece) for piece, font in self.runs(text))

    def textbbox(self, xy, text: str, *, anchor: str = "la", stroke_width: int = 0) -> tuple[int, ...]:
        """The ink's (left, top, right, bottom) when `text` is drawn at `xy` with `anchor`."""
        boxes = [
            (x + left, y + top, x + right, y + bottom)
            for (x, y), piece, font in self._placed(xy, text, anchor)
            for left, top, right, bottom in [font.getbbox(piece, anchor="ls", stroke_width=stroke_width)]
        ]
        if not boxes:
            return (round(xy[0]), round(xy[1])) * 2
        lefts, tops, rights, bottoms = zip(*boxes, strict=True)
        return (round(min(lefts)), round(min(tops)), round(max(rights)), round(max(bottoms)))

    def draw(self, draw: ImageDraw.ImageDraw, xy, text: str, *, fill, anchor: str = "la", **options) -> None:
        """Like `draw.text` (with `stroke_width`, `stroke_fill`); lines are aligned by the anchor."""
        for origin, piece, font in self._placed(xy, text, anchor):
            draw.text(origin, piece, font=font, fill=fill, anchor="ls", **options)

    def _placed(
        self, xy, text: str, anchor: str
    ) -> Iterator[tuple[tuple[float, float], str, ImageFont.FreeTypeFont]]:
        """Each run's baseline origin: lines under each other, the block placed by `anchor`."""
        horizontal, vertical = anchor
        if horizontal not in HORIZONTAL or vertical not in VERTICAL:
            raise ValueError(f"Unsupported anchor {anchor!r}.")
        lines = [self.runs(line) for line in text.split("\n")]
        metrics = [font.getmetrics() for line in lines for _, font in line] or [
            self.font(self.chain[0]).getmetrics()
        ]
        ascent, descent = max(ascent for ascent, _ in metrics), max(descent for _, descent in metrics)
        line_height = ascent + descent + LINE_SPACING
        block_height = len(lines) * line_height - LINE_SPACING
        offset = {"a": 0, "m": block_height / 2, "s": ascent, "d": block_height}[vertical]
        x, y = xy
        for index, line in enumerate(lines):
            width = sum(font.getlength(piece) for piece, font in line)
            left, baseline = x - HORIZONTAL[horizontal] * width, y - offset + ascent + index * line_height
            for piece, font in line:
                yield (left, baseline), piece, font
                left += font.getlength(piece)


@lru_cache(maxsize=64)
def text_fonts(chain: tuple[str, ...], size: int) -> TextFonts:
    """The (shared) TextFonts of `chain` at `size` pixels."""
    return TextFonts(chain, size)


# --- ReportLab ------------------------------------------------------------------------------

_PDF_CHAINS: dict[str, tuple[str, ...]] = {}


def pdf_font(path: Path | str, *, bold: bool = False) -> str:
    """Register the TTF at `path` (and its fallbacks) with ReportLab once; its name for styles."""
    chain = font_chain(path, bold=bold)
    names = [_pdf_register(font) for font in chain]
    _PDF_CHAINS.setdefault(names[0], chain)
    return names[0]


def _pdf_register(path: str) -> str:
    name = f"Luneo-{Path(path).stem}"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, path))
    return name


def pdf_markup(text: str, font_name: str) -> str:
    """`text` as Paragraph markup in font `font_name` (from pdf_font): escaped, runs in fallbacks wrapped."""
    chain = _PDF_CHAINS.get(font_name)
    if chain is None:
        raise ValueError(f"Font {font_name!r} was not registered with pdf_font().")
    return "".join(
        escape(piece, quote=False)
        if path == chain[0]
        else f'<font name="{_pdf_register(path)}">{escape(piece, quote=False)}</font>'
        for piece, path in font_runs(text, chain)
    )
