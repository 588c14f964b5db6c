"""Telling drawn glyphs from tofu (the boxes a font draws for a character it lacks).

`tofu(text, font)` is `text` as `font` alone would draw it: each character the font lacks swapped
for a private-use one that no bundled font has, which every path draws as the font's missing-glyph
box (.notdef), the same as an unsupported character. Text drawn with the fallbacks differs from it;
text left to the font alone is pixel for pixel the same.
"""

from pathlib import Path

from PIL import Image, ImageChops

from apps.core.fonts import font_coverage

PRIVATE_USE = 0xE000


def tofu(text: str, font: Path | str) -> str:
    covered = font_coverage(str(font))
    return "".join(
        character if ord(character) in covered or character.isspace() else chr(PRIVATE_USE + index)
        for index, character in enumerate(text)
    )


def differ(first: Image.Image, second: Image.Image) -> bool:
    """Whether two images of the same size have any different pixel (colour or alpha)."""
    assert first.size == second.size
    difference = ImageChops.difference(first.convert("RGBA"), second.convert("RGBA"))
    return difference.getbbox(alpha_only=False) is not None
