"""ReportLab with text we do not control: the one way to make a Paragraph, and no fetching.

ReportLab reads a Paragraph's text as markup: `<img src>` loads a local file or a URL into the
PDF, and an unclosed `<b` raises. `paragraph()` escapes its text, so a workspace name or a product
title is always shown as written; the project builds no Paragraph any other way. Its characters
missing from the style's font (registered with `apps.core.fonts.pdf_font`) are drawn in the
bundled fallbacks, so Chinese or Polish text never prints as boxes. (Table cells given as plain
strings are drawn in one font, without fallback: give them as paragraphs.)

Second wall: ReportLab trusts no URL scheme here, so even markup that slipped through could not
make the server fetch anything (http, https, ftp, file: or data:). It reads this when it first
opens a resource, which is after this module is imported: every PDF module imports it.
"""

from reportlab import rl_config
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from .fonts import pdf_markup

rl_config.trustedHosts = []  # not None: None turns the check off
rl_config.trustedSchemes = []


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph showing `text` as written: `<`, `>` and `&` are characters, never markup.

    `style.fontName` is a font registered with `apps.core.fonts.pdf_font`.
    """
    return Paragraph(pdf_markup(str(text), style.fontName), style)
