"""The offline artwork draws a Chinese prompt's words as glyphs, not as boxes."""

import pytest
from PIL import Image

from apps.ai.providers.artwork import PAPER, STYLE_DRAWERS, WORD_FONTS, draw_words, key_words
from tests.support.glyphs import differ, tofu

COLORS = [(40, 60, 90), (200, 120, 80), (90, 160, 120), (230, 200, 90), (120, 90, 160)]


def drawn(words: list[str], style: str) -> Image.Image:
    canvas = Image.new("RGBA", (600, 400), PAPER)
    draw_words(canvas, words, style, COLORS)
    return canvas


def test_a_chinese_prompt_has_key_words():
    assert key_words("月球上的一只猫") == ["月球上的一只猫"]


@pytest.mark.parametrize("style", list(STYLE_DRAWERS))
def test_a_chinese_prompts_words_are_glyphs_not_the_fonts_boxes(style):
    words = ["月球上的一只猫", "Zoë"]

    assert differ(drawn(words, style), drawn([tofu(word, WORD_FONTS[0]) for word in words], style))
