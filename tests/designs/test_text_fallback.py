"""Chinese and Latin-extended text in any brand font: drawn with the bundled fallbacks, never as boxes.

Each test draws the text, then the same text as the picked font alone would draw it (its
missing-glyph boxes, see tests/core/glyphs.py), and requires the two to differ.
"""

import io

import pytest
from PIL import Image
from pypdf import PdfReader

from apps.brands.fonts import FONTS, font_path
from apps.designs.rendering import (
    Composition,
    Placement,
    PrintSpec,
    TextLayer,
    render_preview,
    render_print_pdf,
    render_print_png,
    render_text_layers,
)
from tests.support.glyphs import differ, tofu

CHINESE = "你好，世界"
MIXED = "Zoë · 生日快乐 · Łódź"
SPEC = PrintSpec(width_mm=80, height_mm=50, dpi=150, bleed_mm=2)


def layer(text: str, font: str = "dejavu-serif") -> TextLayer:
    return TextLayer(text, font=font, color="#111111", y=0.5, size=0.3)


def boxes(text: str, font: str = "dejavu-serif") -> TextLayer:
    """The layer as `font` alone would draw it."""
    return layer(tofu(text, font_path(font)), font)


def artwork() -> Image.Image:
    return Image.new("RGB", (600, 400), (236, 240, 244))


@pytest.mark.parametrize("font", FONTS)
def test_a_chinese_text_layer_is_not_the_fonts_missing_glyph_boxes(font):
    canvas = Image.new("RGBA", (600, 300), "white")

    text = render_text_layers(canvas, [layer(CHINESE, font)])

    assert differ(text, canvas)
    assert differ(text, render_text_layers(canvas, [boxes(CHINESE, font)]))


def test_the_print_png_and_pdf_show_the_glyphs_of_mixed_scripts():
    png = Image.open(io.BytesIO(render_print_png(Composition(artwork(), texts=(layer(MIXED),)), SPEC)))
    boxed = Image.open(io.BytesIO(render_print_png(Composition(artwork(), texts=(boxes(MIXED),)), SPEC)))
    pdf = PdfReader(io.BytesIO(render_print_pdf(Composition(artwork(), texts=(layer(MIXED),)), SPEC)))

    assert differ(png, boxed)
    # the PDF's image is the print PNG's pixels (opaque here), glyphs and all
    assert pdf.pages[0].images[0].image.tobytes() == png.convert("RGB").tobytes()


def test_the_preview_shows_the_glyphs():
    mockup = Image.new("RGB", (800, 600), (200, 200, 200))
    placement = Placement(((200, 150), (600, 150), (600, 450), (200, 450)))

    preview = render_preview(mockup, Composition(artwork(), texts=(layer(CHINESE),)), placement)

    assert differ(preview, render_preview(mockup, Composition(artwork(), texts=(boxes(CHINESE),)), placement))
