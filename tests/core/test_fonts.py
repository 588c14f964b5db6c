"""Per-glyph font fallback (apps/core/fonts.py): runs by coverage, drawn by Pillow, embedded by ReportLab."""

import io

from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import SimpleDocTemplate

from apps.core.fonts import CJK_FONT, FONT_DIR, font_chain, font_runs, pdf_font, pdf_markup, text_fonts
from apps.core.pdf import paragraph
from tests.support.glyphs import differ, tofu

SERIF = FONT_DIR / "DejaVuSerif.ttf"
HELLO = "你好，世界"


def drawn(text: str, chain: tuple[str, ...], size: int = 48) -> Image.Image:
    image = Image.new("L", (400, 100), 255)
    text_fonts(chain, size).draw(ImageDraw.Draw(image), (10, 70), text, fill=0, anchor="ls")
    return image


def test_each_character_goes_to_the_first_font_that_has_it():
    chain = font_chain(SERIF)

    runs = font_runs("Zoë 你好 Łódź\ue000", chain)

    assert runs == [("Zoë ", str(SERIF)), ("你好", str(CJK_FONT)), (" Łódź\ue000", str(SERIF))]
    assert chain == (str(SERIF), str(FONT_DIR / "DejaVuSans.ttf"), str(CJK_FONT))
    assert font_chain(FONT_DIR / "DejaVuSans-Bold.ttf", bold=True)[1:] == (str(CJK_FONT),)


def test_chinese_in_a_latin_font_is_drawn_in_the_fallback_not_as_boxes():
    chain = font_chain(SERIF)
    boxes = Image.new("L", (400, 100), 255)
    ImageDraw.Draw(boxes).text((10, 70), HELLO, font=ImageFont.truetype(str(SERIF), 48), fill=0, anchor="ls")
    fallback = Image.new("L", (400, 100), 255)
    ImageDraw.Draw(fallback).text(
        (10, 70), HELLO, font=ImageFont.truetype(str(CJK_FONT), 48), fill=0, anchor="ls"
    )

    # the premise: the Latin font alone draws the string as its missing-glyph boxes
    assert not differ(drawn(tofu(HELLO, SERIF), chain), boxes)
    # drawn through the chain, the glyphs are the fallback font's, pixel for pixel
    assert differ(drawn(HELLO, chain), boxes)
    assert not differ(drawn(HELLO, chain), fallback)


def test_mixed_lines_share_a_baseline_and_are_measured_run_by_run():
    fonts = text_fonts(font_chain(SERIF), 40)

    left, top, right, bottom = fonts.textbbox((200, 50), "Ab 中文\nÇa", anchor="mm")

    assert fonts.getlength("Ab 中文") == fonts.getlength("Ab ") + fonts.getlength("中文")
    assert abs((left + right) / 2 - 200) <= 2  # centred
    assert bottom - top > 80  # two lines of 40 px


def test_pdf_markup_escapes_user_text_and_wraps_only_the_fallback_runs():
    name = pdf_font(SERIF)

    markup = pdf_markup('<img src="x"/> 你好 & Zoë', name)

    assert markup == '&lt;img src="x"/&gt; <font name="Luneo-DroidSansFallbackFull">你好</font> &amp; Zoë'


def test_a_paragraph_embeds_both_fonts_and_its_text_extracts():
    out = io.BytesIO()
    style = ParagraphStyle("body", fontName=pdf_font(SERIF))
    SimpleDocTemplate(out).build([paragraph(f"Zoë <b> {HELLO} & co", style)])

    page = PdfReader(io.BytesIO(out.getvalue())).pages[0]

    assert page.extract_text().strip() == f"Zoë <b> {HELLO} & co"
    embedded = {
        font["/BaseFont"].split("+")[-1]
        for font in (ref.get_object() for ref in page["/Resources"]["/Font"].values())
        if "/FontFile2" in font.get("/FontDescriptor", {})
    }
    assert {"DejaVuSerif", "DroidSansFallback"} <= embedded
