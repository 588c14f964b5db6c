"""Deterministic artwork drawn with Pillow from a prompt, a style and a seed (the offline provider).

Same prompt, style and seed → the same composition at any size, and byte-identical pixels at the
same size: nothing depends on time or on global randomness. Visibly derived from the prompt: the
palette comes from the hashes of its words, the key words are drawn on it (in any script, with the
bundled fonts), shapes follow the style. The artwork carries no mark: it is what gets printed, and
the pipeline marks the previews of offline designs with LABEL instead.
"""

import colorsys
import hashlib
import math
import random
import re

from PIL import Image, ImageDraw, ImageFilter

from apps.core.fonts import FONT_DIR, TextFonts, font_chain, text_fonts

Color = tuple[int, int, int]

LABEL = "offline preview"  # what the previews of offline artwork say they are
WORD_FONTS = font_chain(FONT_DIR / "DejaVuSans-Bold.ttf", bold=True)
STOP_WORDS = frozenset(
    "a an and the of on in at to with for from by or is are be this that my our your its "
    "un une des les le la de du et en au aux avec pour sur dans par ou est sont ce cette mon ma mes".split()
)
# Per style: saturation and lightness ranges of the palette.
TONES = {
    "illustration": ((0.55, 0.75), (0.45, 0.65)),
    "watercolor": ((0.35, 0.55), (0.60, 0.80)),
    "pop-art": ((0.90, 1.00), (0.45, 0.55)),
    "minimal-line": ((0.30, 0.50), (0.20, 0.35)),
    "photo": ((0.40, 0.60), (0.30, 0.70)),
}
INK: Color = (24, 24, 28)
PAPER: Color = (246, 243, 236)


def key_words(prompt: str, limit: int = 4) -> list[str]:
    """The prompt's first distinct meaningful words (what the picture is "about")."""
    words = [
        word for word in re.findall(r"\w+", prompt) if len(word) > 2 and word.casefold() not in STOP_WORDS
    ]
    return list(dict.fromkeys(words))[:limit] or re.findall(r"\w+", prompt)[:limit]


def seed_from_sha256(*parts: object) -> int:
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def palette(words: list[str], style: str, rng: random.Random, size: int = 5) -> list[Color]:
    """Colours whose hues come from the words' hashes (then from the seeded generator)."""
    hues = [int(hashlib.sha256(word.casefold().encode()).hexdigest()[:4], 16) / 0xFFFF for word in words]
    while len(hues) < size:
        hues.append((hues[-1] + 0.618034) % 1 if hues else rng.random())
    (s_low, s_high), (l_low, l_high) = TONES[style]
    colors = []
    for hue in hues[:size]:
        r, g, b = colorsys.hls_to_rgb(hue, rng.uniform(l_low, l_high), rng.uniform(s_low, s_high))
        colors.append((round(r * 255), round(g * 255), round(b * 255)))
    return colors


def gradient(size: tuple[int, int], top: Color, bottom: Color) -> Image.Image:
    mask = Image.linear_gradient("L").resize(size, Image.Resampling.BILINEAR)
    return Image.composite(Image.new("RGBA", size, bottom), Image.new("RGBA", size, top), mask)


def luminance(color: Color) -> float:
    r, g, b = color
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


# --- Styles: each draws on an RGBA canvas of the final size, coordinates relative to it ----------


def draw_illustration(canvas: Image.Image, colors: list[Color], rng: random.Random) -> None:
    w, h = canvas.size
    draw = ImageDraw.Draw(canvas, "RGBA")
    sun = rng.uniform(0.15, 0.85) * w, rng.uniform(0.15, 0.35) * h
    radius = rng.uniform(0.08, 0.14) * min(w, h)
    draw.ellipse([sun[0] - radius, sun[1] - radius, sun[0] + radius, sun[1] + radius], fill=(*colors[2], 235))
    for layer, color in enumerate(colors[2:5]):
        base = h * (0.55 + 0.13 * layer)
        amplitude, frequency, phase = rng.uniform(0.04, 0.1) * h, rng.uniform(1, 3), rng.uniform(0, math.tau)
        points = [
            (w * i / 48, base + amplitude * math.sin(frequency * math.tau * i / 48 + phase))
            for i in range(49)
        ]
        draw.polygon([*points, (w, h), (0, h)], fill=color)


def draw_watercolor(canvas: Image.Image, colors: list[Color], rng: random.Random) -> None:
    w, h = canvas.size
    small = (max(1, w // 4), max(1, h // 4))
    wash = Image.new("RGBA", small, (0, 0, 0, 0))
    draw = ImageDraw.Draw(wash, "RGBA")
    sw, sh = small
    for _ in range(42):
        color = colors[rng.randrange(1, len(colors))]
        cx, cy = rng.uniform(0, sw), rng.uniform(0, sh)
        rx, ry = rng.uniform(0.08, 0.3) * sw, rng.uniform(0.08, 0.3) * sh
        draw.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], fill=(*color, rng.randrange(35, 90)))
    wash = wash.filter(ImageFilter.GaussianBlur(max(1, min(small) / 60)))
    canvas.alpha_composite(wash.resize((w, h), Image.Resampling.BICUBIC))


def draw_pop_art(canvas: Image.Image, colors: list[Color], rng: random.Random) -> None:
    w, h = canvas.size
    unit = min(w, h)
    draw = ImageDraw.Draw(canvas, "RGBA")
    cx, cy = w * rng.uniform(0.35, 0.65), h * rng.uniform(0.35, 0.65)
    rays, reach = 18, math.hypot(w, h)
    for i in range(0, rays, 2):
        a, b = math.tau * i / rays, math.tau * (i + 1) / rays
        ray = [
            (cx, cy),
            (cx + reach * math.cos(a), cy + reach * math.sin(a)),
            (cx + reach * math.cos(b), cy + reach * math.sin(b)),
        ]
        draw.polygon(ray, fill=(*colors[1], 200))
    step = max(4, unit // 28)
    for y in range(step // 2, h, step):
        for x in range(step // 2, w, step):
            r = step * 0.42 * (1 - min(1.0, math.hypot(x - cx, y - cy) / reach * 1.6))
            if r >= 1:
                draw.ellipse([x - r, y - r, x + r, y + r], fill=(*colors[2], 170))
    outline = max(2, unit // 60)
    for color in colors[3:5]:
        r = rng.uniform(0.12, 0.22) * unit
        x, y = rng.uniform(r, w - r), rng.uniform(r, h - r)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=color, outline=INK, width=outline)


def draw_minimal_line(canvas: Image.Image, colors: list[Color], rng: random.Random) -> None:
    w, h = canvas.size
    unit = min(w, h)
    draw = ImageDraw.Draw(canvas, "RGBA")
    line = max(1, unit // 220)
    waves = [(rng.uniform(0.05, 0.2), rng.uniform(1, 4), rng.uniform(0, math.tau)) for _ in range(3)]
    points = []
    for i in range(241):
        t = i / 240
        x = w * (0.08 + 0.84 * t)
        y = h * (0.45 + sum(a * math.sin(f * math.tau * t + p) for a, f, p in waves))
        points.append((x, y))
    draw.line(points, fill=colors[0], width=line * 2, joint="curve")
    for color in colors[1:3]:
        r = rng.uniform(0.05, 0.12) * unit
        x, y = rng.uniform(0.15, 0.85) * w, rng.uniform(0.15, 0.6) * h
        draw.ellipse([x - r, y - r, x + r, y + r], outline=color, width=line)
    draw.line([(w * 0.08, h * 0.78), (w * 0.92, h * 0.78)], fill=INK, width=line)


def draw_photo(canvas: Image.Image, colors: list[Color], rng: random.Random) -> None:
    w, h = canvas.size
    small = (max(1, w // 6), max(1, h // 6))
    scene = gradient(small, colors[0], colors[1])
    draw = ImageDraw.Draw(scene, "RGBA")
    sw, sh = small
    for _ in range(28):
        color = colors[rng.randrange(2, len(colors))]
        r = rng.uniform(0.03, 0.12) * min(sw, sh)
        x, y = rng.uniform(0, sw), rng.uniform(0, sh)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(*color, rng.randrange(60, 160)))
    scene = scene.filter(ImageFilter.GaussianBlur(max(1, min(small) / 80)))
    canvas.alpha_composite(scene.resize((w, h), Image.Resampling.BICUBIC))


STYLE_DRAWERS = {
    "illustration": draw_illustration,
    "watercolor": draw_watercolor,
    "pop-art": draw_pop_art,
    "minimal-line": draw_minimal_line,
    "photo": draw_photo,
}


def font(size: int) -> TextFonts:
    return text_fonts(WORD_FONTS, size)


def draw_words(canvas: Image.Image, words: list[str], style: str, colors: list[Color]) -> None:
    """The key words, as large as fits 84 % of the width, with a contrasting outline."""
    w, h = canvas.size
    text = " ".join(words)
    if style == "pop-art":
        text = text.upper()
    draw = ImageDraw.Draw(canvas, "RGBA")
    size = round(min(w, h) * 0.14)
    left, top, right, bottom = font(size).textbbox((0, 0), text)
    if right - left > w * 0.84:
        size = max(1, int(size * w * 0.84 / (right - left)))
    fill = {"minimal-line": INK, "pop-art": (255, 255, 255)}.get(style) or max(colors, key=luminance)
    stroke = PAPER if style == "minimal-line" else INK
    y = h * (0.88 if style == "minimal-line" else 0.5)
    font(size).draw(
        draw,
        (w / 2, y),
        text,
        fill=fill,
        anchor="mm",
        stroke_width=max(1, size // (8 if style == "pop-art" else 14)),
        stroke_fill=stroke,
    )


def artwork_draw(*, prompt: str, style: str, width: int, height: int, seed: int) -> Image.Image:
    """An RGBA image of exactly width × height drawn from the prompt, style and seed."""
    rng = random.Random(seed_from_sha256(prompt, style, seed))
    words = key_words(prompt)
    colors = palette(words, style, rng)
    if style == "minimal-line":
        canvas = Image.new("RGBA", (width, height), PAPER)
    else:
        canvas = gradient((width, height), colors[0], colors[1])
    STYLE_DRAWERS[style](canvas, colors, rng)
    if min(width, height) >= 64 and words:
        draw_words(canvas, words, style, colors)
    return canvas
