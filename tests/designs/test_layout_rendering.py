"""A design's page: the artwork, the photo and text layers where the shopper put them, the same in
the preview and the print file."""

import pytest
from PIL import Image

from apps.designs.rendering import (
    Composition,
    Placement,
    PrintSpec,
    TextLayer,
    Transform,
    compose,
    compose_print,
    render_preview,
)

SPEC = PrintSpec(width_mm=100, height_mm=80, dpi=100, bleed_mm=3, safe_mm=4)  # 417 x 339 px
RED, BLUE, WHITE = (230, 20, 20), (20, 60, 230), (255, 255, 255)


def halves(size=(800, 640)) -> Image.Image:
    """Red on the left, blue on the right: where each half lands shows moves and turns."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    return image


def near(pixel, colour, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


def ink_box(canvas: Image.Image) -> tuple[int, int, int, int]:
    """Where anything opaque is drawn."""
    return canvas.getchannel("A").point(lambda alpha: 255 if alpha > 128 else 0).getbbox()


def test_the_artwork_is_moved_and_scaled_where_the_shopper_dropped_it():
    page, _ = compose_print(Composition(halves(), Transform(x=0.75, y=0.25, scale=0.5)), SPEC)
    width, height = page.size

    left, top, right, bottom = ink_box(page)

    assert (abs(left - width / 2) <= 2, abs(right - width) <= 2) == (True, True)
    assert (top <= 1, abs(bottom - height / 2) <= 2) == (True, True)
    assert page.getpixel((width // 4, 3 * height // 4))[3] == 0  # the rest of the page is empty
    assert near(page.getpixel((round(width * 0.6), height // 4)), RED)
    assert near(page.getpixel((round(width * 0.9), height // 4)), BLUE)


def test_a_turned_artwork_is_turned_clockwise():
    page = compose(Composition(halves((400, 400)), Transform(scale=0.5, rotation=90)), (400, 400))

    # its left (red) half is now on top, its right (blue) half below
    assert near(page.getpixel((200, 150)), RED)
    assert near(page.getpixel((200, 250)), BLUE)
    assert page.getpixel((20, 20))[3] == 0


def test_the_photo_is_kept_inside_the_safe_zone_however_far_it_is_dragged():
    photo = Image.new("RGB", (200, 200), RED)
    page, _ = compose_print(
        Composition(
            Image.new("RGB", (800, 640), WHITE), photo=photo, photo_at=Transform(x=1, y=1, scale=0.3)
        ),
        SPEC,
    )
    width, height = page.size
    _, _, safe_right, safe_bottom = SPEC.safe_box()

    only_red = Image.eval(page.convert("RGB").split()[1], lambda value: 255 if value < 80 else 0)
    left, top, right, bottom = only_red.getbbox()
    safe_right, safe_bottom = round(safe_right * width), round(safe_bottom * height)

    assert safe_right - 2 <= right <= safe_right + 1  # pushed in to the safe zone's edge, not lost
    assert safe_bottom - 2 <= bottom <= safe_bottom + 1
    assert right - left == pytest.approx(0.3 * height, abs=3)  # contained in 30 % of the page: square


def test_a_photo_too_large_for_the_safe_zone_is_shrunk_to_fit_it():
    photo = Image.new("RGB", (300, 100), RED)
    page = compose(
        Composition(
            Image.new("RGB", (400, 400), WHITE), photo=photo, photo_at=Transform(scale=3, rotation=45)
        ),
        (400, 400),
        (0.1, 0.1, 0.9, 0.9),
    )

    only_red = Image.eval(page.convert("RGB").split()[1], lambda value: 255 if value < 80 else 0)
    left, top, right, bottom = only_red.getbbox()

    assert (left >= 39, top >= 39, right <= 361, bottom <= 361) == (True, True, True, True)
    assert right - left > 250  # as large as fits, not dropped


def test_turned_text_reads_top_to_bottom():
    canvas = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    level = compose(Composition(canvas, texts=(TextLayer("LUNEO", y=0.5, size=0.1),)), (400, 400))
    turned = compose(
        Composition(canvas, texts=(TextLayer("LUNEO", y=0.5, size=0.1, rotation=90),)), (400, 400)
    )

    left, top, right, bottom = ink_box(level)
    turned_left, turned_top, turned_right, turned_bottom = ink_box(turned)

    assert right - left > 2 * (bottom - top)
    assert turned_bottom - turned_top > 2 * (turned_right - turned_left)
    assert turned_bottom - turned_top == pytest.approx(right - left, abs=3)


def test_the_preview_shows_the_layout_the_print_file_prints():
    layout = Composition(halves(), Transform(x=0.3, y=0.6, scale=0.4, rotation=-20))
    printed, _ = compose_print(layout, SPEC)
    mockup = Image.new("RGB", (1000, 800), (128, 128, 128))
    area = Placement([(100, 100), (100 + 417, 100), (100 + 417, 100 + 339), (100, 100 + 339)])

    preview = render_preview(mockup, layout, area, safe=SPEC.safe_box())

    crop = preview.crop((100, 100, 517, 439))
    for x, y in ((125, 200), (90, 220), (300, 100), (50, 50)):
        printed_pixel = printed.getpixel((x, y))
        expected = printed_pixel[:3] if printed_pixel[3] > 250 else (128, 128, 128)  # the product shows
        assert near(crop.getpixel((x, y)), expected), (x, y)


@pytest.mark.parametrize(
    "transform", [{"scale": 0}, {"scale": 5}, {"rotation": 181}, {"x": -0.1}, {"y": 1.5}]
)
def test_impossible_transforms_are_refused(transform):
    with pytest.raises(ValueError, match="must be between|within the print area"):
        Transform(**transform)
