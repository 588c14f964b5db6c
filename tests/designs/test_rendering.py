"""The rendering library: print files at exact physical sizes, previews on mockups, the textured 3D model."""

import io
import json
import re
import struct

import pytest
from PIL import Image, ImageCms, ImageDraw, PdfParser

from apps.designs.rendering import (
    SHAPES,
    Composition,
    Placement,
    PrintSpec,
    TextLayer,
    compose_print,
    encode_preview,
    print_facts,
    render_glb,
    render_preview,
    render_print_pdf,
    render_print_png,
    render_text_layers,
)

SPEC = PrintSpec(width_mm=250, height_mm=200, dpi=300, bleed_mm=3)
BLUE, GREY, WHITE = (20, 90, 220), (200, 200, 200), (255, 255, 255)
QUAD = [(600, 400), (1400, 450), (1380, 1300), (620, 1250)]


def artwork(size=(1600, 1280), color=BLUE) -> Image.Image:
    """A flat colour with a lighter band: simple to sample, not trivially compressible."""
    image = Image.new("RGB", size, color)
    ImageDraw.Draw(image).rectangle((0, size[1] // 3, size[0], size[1] // 3 + 20), fill=(240, 240, 60))
    return image


def mockup(size=(2000, 1600), color=GREY) -> Image.Image:
    return Image.new("RGB", size, color)


def close(pixel, expected, tolerance=12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=False))


@pytest.fixture(scope="module")
def print_png() -> bytes:
    return render_print_png(Composition(artwork(), texts=(TextLayer("Luneo"),)), SPEC)


@pytest.fixture(scope="module")
def print_pdf() -> bytes:
    return render_print_pdf(Composition(artwork(), texts=(TextLayer("Luneo"),)), SPEC)


# --- print spec -----------------------------------------------------------------------------------


def test_print_spec_sizes_a_250_by_200_mm_area_with_bleed_at_300_dpi():
    assert SPEC.canvas_px() == (3024, 2433)
    assert SPEC.page_mm() == (256, 206)
    assert SPEC.aspect() == pytest.approx(256 / 206)


@pytest.mark.parametrize(
    "kwargs", [{"width_mm": 0, "height_mm": 10}, {"width_mm": 10, "height_mm": 10, "dpi": 5}]
)
def test_print_spec_refuses_impossible_sizes(kwargs):
    with pytest.raises(ValueError, match="must be"):
        PrintSpec(**kwargs)


def test_placement_refuses_unknown_blend_mode_and_too_few_points():
    with pytest.raises(ValueError, match="blend mode"):
        Placement(QUAD, blend_mode="screen")
    with pytest.raises(ValueError, match="3 points"):
        Placement([(0, 0), (1, 1)])


def test_text_layer_refuses_unknown_colour():
    with pytest.raises(ValueError, match="colour"):
        TextLayer("hi", color="not-a-colour")


# --- print files ------------------------------------------------------------------------------------


def test_print_png_has_exact_pixels_dpi_alpha_and_srgb_profile(print_png):
    # when the print PNG of a 250 x 200 mm area (3 mm bleed, 300 dpi) is opened
    image = Image.open(io.BytesIO(print_png))

    # then it is 3024 x 2433 px with alpha, tagged 300 dpi and sRGB
    assert image.format == "PNG"
    assert image.size == (3024, 2433)
    assert image.mode == "RGBA"
    assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)
    profile = ImageCms.ImageCmsProfile(io.BytesIO(image.info["icc_profile"]))
    assert "sRGB" in ImageCms.getProfileDescription(profile)


def points_to_mm(values) -> list[float]:
    return [float(value) / 72 * 25.4 for value in values]


def test_print_pdf_page_is_exactly_256_by_206_mm(print_pdf):
    # when the MediaBox is read from the bytes
    media_box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", print_pdf)

    # then the page is the print area plus 3 mm bleed on each side
    assert print_pdf.startswith(b"%PDF-")
    assert points_to_mm(media_box.groups()) == pytest.approx([256, 206], abs=0.01)


def test_print_pdf_marks_trim_and_bleed_and_tags_the_image_srgb(print_pdf):
    # when a PDF reader opens it (Pillow's parser follows the cross-reference table)
    pdf = PdfParser.PdfParser(buf=print_pdf)
    page = pdf.read_indirect(pdf.pages[0])
    image = pdf.read_indirect(page[b"Resources"][b"XObject"][b"Art"]).dictionary

    # then it has one page: cut at the print area, bleed to the page edge, one 300 dpi sRGB image
    assert len(pdf.pages) == 1
    assert points_to_mm(page[b"TrimBox"]) == pytest.approx([3, 3, 253, 203], abs=0.01)
    assert points_to_mm(page[b"BleedBox"]) == pytest.approx([0, 0, 256, 206], abs=0.01)
    assert (image[b"Width"], image[b"Height"]) == (3024, 2433)
    color_space, profile_ref = image[b"ColorSpace"]
    assert color_space == b"ICCBased"
    assert pdf.read_indirect(profile_ref).dictionary[b"N"] == 3


def test_print_facts_report_effective_dpi_and_flag_low_dpi_past_twice_upscaled():
    # given artwork of 1000 px across a 256 mm page (99 dpi) and of 1600 x 1280 px (158 dpi)
    small_info = print_facts((1000, 900), SPEC)
    large_info = print_facts((1600, 1280), SPEC)

    # then only the first is flagged; the artwork printed at half its size is twice as sharp
    assert small_info == {"effective_dpi": pytest.approx(99.2, abs=0.1), "upscale": 3.024, "low_dpi": True}
    assert large_info["upscale"] == pytest.approx(1.9, abs=0.01)
    assert large_info["low_dpi"] is False
    assert print_facts((1000, 900), SPEC, scale=0.5)["effective_dpi"] == pytest.approx(198.4, abs=0.1)


def test_the_artwork_covers_the_page_cropped_to_its_aspect():
    # given a panorama whose outer thirds are red and centre blue
    panorama = Image.new("RGB", (3000, 1000), (255, 0, 0))
    panorama.paste(BLUE, (1000, 0, 2000, 1000))
    small_spec = PrintSpec(width_mm=50, height_mm=50, dpi=100, bleed_mm=0)

    fitted, info = compose_print(Composition(panorama), small_spec)

    # then only the centre remains, at the page's size
    assert fitted.size == (197, 197)
    assert fitted.mode == "RGBA"
    assert close(fitted.getpixel((2, 2)), BLUE)
    assert close(fitted.getpixel((194, 194)), BLUE)
    assert info["effective_dpi"] == pytest.approx(1000 / (50 / 25.4), abs=0.1)


def test_text_layers_are_drawn_inside_the_trim_area():
    page = Composition(Image.new("RGB", (600, 480), WHITE), texts=(TextLayer("LUNEO", y=0.5, size=0.2),))
    canvas, _ = compose_print(page, SPEC)

    dark = canvas.convert("L").point(lambda value: 255 if value < 80 else 0)
    left, top, right, bottom = dark.getbbox()
    trim_left, trim_top, trim_right, trim_bottom = SPEC.trim_box_px()
    assert trim_left < left < right < trim_right
    assert trim_top < top < bottom < trim_bottom
    assert abs((top + bottom) / 2 - 2433 / 2) < 60  # centred on y = 0.5


def test_long_text_shrinks_to_fit_the_width():
    canvas = Image.new("RGB", (400, 300), WHITE)
    layer = TextLayer("A very long line of text that would overflow the print area", size=0.3, y=0.5)

    drawn = render_text_layers(canvas, [layer])

    left, _, right, _ = dark_box(drawn)
    assert left >= 0.05 * 400 - 2
    assert right <= 0.95 * 400 + 2


def dark_box(image: Image.Image) -> tuple[int, int, int, int]:
    return image.convert("L").point(lambda value: 255 if value < 128 else 0).getbbox()


def test_text_at_the_edge_is_kept_inside_the_area():
    canvas = Image.new("RGB", (400, 300), WHITE)

    drawn = render_text_layers(canvas, [TextLayer("Bottom line", x=1.0, y=1.0, size=0.15)])

    _, _, right, bottom = dark_box(drawn)
    assert right <= 0.95 * 400 + 1
    assert bottom <= 0.95 * 300 + 1


def test_multiline_text_is_drawn_and_fitted():
    canvas = Image.new("RGB", (400, 300), WHITE)

    drawn = render_text_layers(canvas, [TextLayer("Happy\nbirthday\nAnna", y=0.5, size=0.5)])

    _, top, _, bottom = dark_box(drawn)
    assert bottom - top > 150  # three lines
    assert 0.05 * 300 - 1 <= top
    assert bottom <= 0.95 * 300 + 1


def test_fonts_are_the_brand_font_keys_and_others_are_refused():
    canvas = Image.new("RGB", (300, 100), WHITE)

    sans = render_text_layers(canvas, [TextLayer("Aa", font="dejavu-sans", y=0.5, size=0.5)])
    serif = render_text_layers(canvas, [TextLayer("Aa", font="dejavu-serif", y=0.5, size=0.5)])

    assert sans.tobytes() != serif.tobytes()
    for name in ("DejaVuSans", "../../etc/passwd"):
        with pytest.raises(ValueError, match="Unknown font"):
            render_text_layers(canvas, [TextLayer("Aa", font=name)])


# --- previews -------------------------------------------------------------------------------------


def test_preview_is_at_most_1600_px_with_the_artwork_inside_the_quad_only():
    # given a 3000 x 2400 mockup whose print area is a slanted quad
    big_quad = [(x * 1.5, y * 1.5) for x, y in QUAD]

    preview = render_preview(mockup((3000, 2400)), Composition(artwork()), Placement(big_quad))

    # then the preview is scaled to 1600 px, the art fills the quad and stops at its edges
    assert preview.size == (1600, 1280)
    assert preview.mode == "RGB"
    assert close(preview.getpixel((800, 1000)), BLUE)
    assert close(preview.getpixel((500, 340)), BLUE)  # near the top-left corner
    assert close(preview.getpixel((300, 200)), GREY)
    assert close(preview.getpixel((1500, 1200)), GREY)


def test_quad_corners_may_come_in_any_order():
    shuffled = [QUAD[2], QUAD[0], QUAD[3], QUAD[1]]

    ordered = render_preview(mockup(), Composition(artwork()), Placement(QUAD), max_px=2000)
    reordered = render_preview(mockup(), Composition(artwork()), Placement(shuffled), max_px=2000)

    assert Placement(shuffled).quad() == tuple(map(tuple, QUAD))
    assert reordered.tobytes() == ordered.tobytes()


def test_a_concave_four_point_area_is_filled_through_its_box():
    arrow = Placement([(200, 200), (1000, 200), (600, 400), (600, 1200)])

    preview = render_preview(mockup(), Composition(artwork()), arrow, max_px=2000)

    assert arrow.quad() is None
    assert close(preview.getpixel((600, 600)), BLUE)
    assert close(preview.getpixel((900, 900)), GREY)  # inside the box, outside the arrow


def test_preview_fills_any_other_polygon_through_its_box():
    triangle = Placement([(500, 300), (900, 1100), (100, 1100)])

    preview = render_preview(mockup(), Composition(artwork()), triangle, max_px=2000)

    assert preview.size == (2000, 1600)
    assert close(preview.getpixel((500, 1000)), BLUE)
    assert close(preview.getpixel((150, 400)), GREY)  # inside the box, outside the triangle


def test_mask_hides_the_artwork_where_it_is_black():
    mask = Image.new("L", (2000, 1600), 255)
    mask.paste(0, (0, 0, 1000, 1600))

    preview = render_preview(mockup(), Composition(artwork()), Placement(QUAD), mask=mask, max_px=2000)

    assert close(preview.getpixel((800, 1000)), GREY)
    assert close(preview.getpixel((1200, 1000)), BLUE)


def test_a_transparent_mask_hides_the_artwork_where_it_is_clear():
    mask = Image.new("RGBA", (2000, 1600), (255, 255, 255, 255))
    mask.paste((255, 255, 255, 0), (0, 0, 1000, 1600))

    preview = render_preview(mockup(), Composition(artwork()), Placement(QUAD), mask=mask, max_px=2000)

    assert close(preview.getpixel((800, 1000)), GREY)
    assert close(preview.getpixel((1200, 1000)), BLUE)


def test_multiply_and_engrave_blend_with_the_mockup():
    surface = (220, 160, 120)
    results = {
        mode: render_preview(
            mockup(color=surface), Composition(artwork()), Placement(QUAD, mode), max_px=2000
        )
        for mode in ("normal", "multiply", "engrave")
    }

    inside = (1000, 1000)
    assert close(results["normal"].getpixel(inside), BLUE)
    expected = tuple(round(s * b / 255) for s, b in zip(surface, BLUE, strict=True))
    assert close(results["multiply"].getpixel(inside), expected, tolerance=3)
    engraved = results["engrave"].getpixel(inside)
    assert engraved != results["normal"].getpixel(inside)
    assert sum(engraved) < sum(surface)  # carved: darker than the bare surface
    assert close(results["engrave"].getpixel((100, 100)), surface, tolerance=2)


def test_preview_draws_text_layers_on_the_artwork():
    plain = render_preview(mockup(), Composition(artwork()), Placement(QUAD), max_px=2000)
    layers = [TextLayer("HELLO", color="#ffffff", y=0.8)]
    with_text = render_preview(
        mockup(), Composition(artwork(), texts=tuple(layers)), Placement(QUAD), max_px=2000
    )

    changed = [
        (x, y)
        for x in range(600, 1400, 4)
        for y in range(400, 1300, 4)
        if with_text.getpixel((x, y)) != plain.getpixel((x, y))
    ]
    assert changed
    assert all(950 < y < 1200 for _, y in changed)


def test_encode_preview_gives_jpeg_webp_and_a_256_px_png_thumbnail():
    preview = render_preview(mockup(), Composition(artwork()), Placement(QUAD))

    files = encode_preview(preview)

    assert set(files) == {"preview.jpg", "preview.webp", "thumb.png"}
    assert Image.open(io.BytesIO(files["preview.jpg"])).format == "JPEG"
    assert Image.open(io.BytesIO(files["preview.webp"])).size == preview.size
    thumb = Image.open(io.BytesIO(files["thumb.png"]))
    assert thumb.format == "PNG"
    assert max(thumb.size) == 256


# --- 3D model -------------------------------------------------------------------------------------


def glb_chunks(glb: bytes) -> tuple[dict, bytes]:
    magic, version, length = struct.unpack_from("<III", glb, 0)
    assert (magic, version, length) == (0x46546C67, 2, len(glb))
    json_length, json_type = struct.unpack_from("<II", glb, 12)
    assert json_type == 0x4E4F534A
    bin_offset = 20 + json_length
    bin_length, bin_type = struct.unpack_from("<II", glb, bin_offset)
    assert bin_type == 0x004E4942
    assert bin_offset + 8 + bin_length == len(glb)
    return json.loads(glb[20:bin_offset]), glb[bin_offset + 8 :]


@pytest.mark.parametrize("shape", SHAPES)
def test_glb_is_a_valid_gltf_with_the_texture_embedded_as_png(shape):
    texture = artwork((800, 640))

    document, binary = glb_chunks(render_glb(shape, texture, (250, 200)))

    assert document["asset"]["version"] == "2.0"
    assert len(binary) == document["buffers"][0]["byteLength"]
    image = document["images"][0]
    view = document["bufferViews"][image["bufferView"]]
    assert image["mimeType"] == "image/png"
    embedded = Image.open(io.BytesIO(binary[view["byteOffset"] : view["byteOffset"] + view["byteLength"]]))
    assert embedded.size == (800, 640)
    printed = document["meshes"][0]["primitives"][0]
    assert set(printed["attributes"]) == {"POSITION", "NORMAL", "TEXCOORD_0"}
    material = document["materials"][printed["material"]]
    assert material["pbrMetallicRoughness"]["baseColorTexture"] == {"index": 0}


@pytest.mark.parametrize("shape", SHAPES)
def test_glb_loads_in_trimesh_with_its_texture(shape):
    trimesh = pytest.importorskip("trimesh")
    texture = artwork((1024, 820))

    scene = trimesh.load(io.BytesIO(render_glb(shape, texture, (250, 200))), file_type="glb")

    textures = [
        geometry.visual.material.baseColorTexture
        for geometry in scene.geometry.values()
        if getattr(geometry.visual.material, "baseColorTexture", None) is not None
    ]
    assert [image.size for image in textures] == [(1024, 820)]
    assert all(len(geometry.faces) > 0 for geometry in scene.geometry.values())


def test_glb_has_the_physical_size_in_metres():
    trimesh = pytest.importorskip("trimesh")

    flat = trimesh.load(io.BytesIO(render_glb("flat", artwork((64, 48)), (250, 200))), file_type="glb")
    mug = trimesh.load(io.BytesIO(render_glb("mug", artwork((64, 48)), (200, 90))), file_type="glb")

    width, height, _ = flat.extents
    assert (width, height) == pytest.approx((0.25, 0.2))
    assert mug.extents[1] == pytest.approx(0.09 * 1.2)  # print band plus rim and base


def test_glb_shrinks_large_textures_and_refuses_unknown_shapes():
    document, _ = glb_chunks(render_glb("flat", Image.new("RGB", (4096, 1024), BLUE), (250, 200)))

    assert document["images"][0]["mimeType"] == "image/png"
    with pytest.raises(ValueError, match="Unknown 3D shape"):
        render_glb("teapot", artwork((64, 48)), (10, 10))


# --- determinism --------------------------------------------------------------------------------


def test_same_inputs_give_the_same_bytes(print_png, print_pdf):
    layers = [TextLayer("Luneo")]
    assert render_print_png(Composition(artwork(), texts=tuple(layers)), SPEC) == print_png
    assert render_print_pdf(Composition(artwork(), texts=tuple(layers)), SPEC) == print_pdf
    models = [render_glb("mug", artwork((256, 200)), (200, 90)) for _ in range(2)]
    assert models[0] == models[1]
    engraved = Placement(QUAD, "engrave")
    previews = [encode_preview(render_preview(mockup(), Composition(artwork()), engraved)) for _ in range(2)]
    assert previews[0] == previews[1]
