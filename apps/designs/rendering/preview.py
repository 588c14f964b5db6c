"""Mockup previews: the composed page warped into the print area, masked, blended, encoded for the web."""

import io
from math import dist

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from .compose import WHOLE_PAGE, Composition, compose
from .spec import Placement
from .text import render_badge

THUMB_PX = 256
JPEG_QUALITY = 85
WEBP_QUALITY = 80
WEBP_METHOD = 2  # half the time of the default 4 for files ~7 % larger
# Engraving darkens the surface to at most this fraction of its brightness where the artwork is black.
ENGRAVE_DEPTH = 0.55
# Darkness (0-255) below which the artwork leaves the surface untouched.
ENGRAVE_THRESHOLD = 40


def render_preview(
    mockup: Image.Image,
    composition: Composition,
    placement: Placement,
    mask: Image.Image | None = None,
    *,
    safe=WHOLE_PAGE,
    max_px: int = 1600,
    badge: str = "",
) -> Image.Image:
    """The mockup (RGB, max side <= max_px) with the composition on the print area (the page,
    `safe` its safe zone: the print spec's, so that the preview shows what prints).

    A `badge` (e.g. "offline preview") is written in the preview's corner; print files never carry it.
    """
    scale = min(1.0, max_px / max(mockup.size))
    base = _flatten(_scaled(mockup, scale))
    placement = placement.scaled(scale)
    layer = _warp_page(composition, placement, base.size, safe)
    alpha = ImageChops.multiply(layer.getchannel("A"), _polygon_mask(placement, base.size))
    if mask is not None:
        alpha = ImageChops.multiply(alpha, _mask_channel(mask, base.size))
    preview = Image.composite(_blend(base, _flatten(layer), placement.blend_mode), base, alpha)
    return render_badge(preview, badge) if badge else preview


def encode_preview(image: Image.Image) -> dict[str, bytes]:
    """Web renditions of a preview: JPEG and WebP at full size, a PNG thumbnail of at most 256 px."""
    rgb = _flatten(image)
    thumb = rgb.copy()
    thumb.thumbnail((THUMB_PX, THUMB_PX), Image.Resampling.LANCZOS)
    return {
        "preview.jpg": encode_jpeg(rgb),
        "preview.webp": _encode(rgb, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD),
        "thumb.png": _encode(thumb, "PNG", optimize=True),
    }


def encode_jpeg(image: Image.Image) -> bytes:
    """A preview as a web JPEG (transparent parts on white)."""
    return _encode(_flatten(image), "JPEG", quality=JPEG_QUALITY, optimize=True)


def _encode(image: Image.Image, image_format: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def _scaled(image: Image.Image, scale: float) -> Image.Image:
    if scale >= 1.0:
        return image
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


def _flatten(image: Image.Image, background: str = "white") -> Image.Image:
    """RGB, transparent parts on `background`."""
    if image.mode == "RGB":
        return image
    rgba = image.convert("RGBA")
    flat = Image.new("RGB", rgba.size, background)
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat


def _warp_page(composition: Composition, placement: Placement, size, safe) -> Image.Image:
    """An RGBA layer of `size`: the composed page mapped onto the placement, transparent elsewhere."""
    quad = placement.quad()
    if quad is not None:
        target = _quad_size(quad)
        artwork = compose(composition, target, safe)
        coefficients = _perspective_coefficients(quad, target)
        return artwork.transform(size, Image.Transform.PERSPECTIVE, coefficients, Image.Resampling.BICUBIC)
    left, top, right, bottom = (round(value) for value in placement.bbox())
    artwork = compose(composition, (max(1, right - left), max(1, bottom - top)), safe)
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    layer.paste(artwork, (left, top))
    return layer


def _quad_size(points) -> tuple[int, int]:
    """Width and height of the artwork for a quad: the mean lengths of its opposite edges."""
    top_left, top_right, bottom_right, bottom_left = points
    width = (dist(top_left, top_right) + dist(bottom_left, bottom_right)) / 2
    height = (dist(top_left, bottom_left) + dist(top_right, bottom_right)) / 2
    return (max(1, round(width)), max(1, round(height)))


def _perspective_coefficients(points, size) -> tuple[float, ...]:
    """PIL PERSPECTIVE data mapping output (mockup) pixels back to artwork pixels for the quad `points`."""
    width, height = size
    source = ((0, 0), (width, 0), (width, height), (0, height))
    rows, values = [], []
    for (x, y), (u, v) in zip(points, source, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        values.append(u)
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        values.append(v)
    return tuple(_solve(rows, values))


def _solve(matrix: list[list[float]], values: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (8 unknowns: no need for numpy)."""
    size = len(values)
    rows = [row[:] + [value] for row, value in zip(matrix, values, strict=True)]
    for column in range(size):
        pivot = max(range(column, size), key=lambda index: abs(rows[index][column]))
        if abs(rows[pivot][column]) < 1e-12:
            raise ValueError("The print area's points do not form a quadrilateral.")
        rows[column], rows[pivot] = rows[pivot], rows[column]
        for index in range(size):
            if index != column:
                factor = rows[index][column] / rows[column][column]
                rows[index] = [a - factor * b for a, b in zip(rows[index], rows[column], strict=True)]
    return [rows[index][size] / rows[index][index] for index in range(size)]


def _polygon_mask(placement: Placement, size) -> Image.Image:
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).polygon(placement.quad() or placement.points, fill=255)
    return mask


def _mask_channel(mask: Image.Image, size) -> Image.Image:
    """The print area's mask image at the preview's size: white = printable; black or transparent = not."""
    return _flatten(mask, "black").convert("L").resize(size, Image.Resampling.BILINEAR)


def _blend(base: Image.Image, art: Image.Image, mode: str) -> Image.Image:
    if mode == "multiply":
        return ImageChops.multiply(base, art)
    if mode == "engrave":
        return _engrave(base, art)
    return art


def _engrave(base: Image.Image, art: Image.Image) -> Image.Image:
    """Dark parts of the artwork cut into the surface: darkened, with embossed edges catching the light.

    Near-white (the artwork's paper) is not engraved at all.
    """
    depth = ImageChops.invert(art.convert("L")).point(_engrave_depth)
    shade = depth.point(lambda value: 255 - round(value * ENGRAVE_DEPTH))
    darkened = ImageChops.multiply(base, Image.merge("RGB", (shade, shade, shade)))
    relief = depth.filter(ImageFilter.EMBOSS)
    return ImageChops.overlay(darkened, Image.merge("RGB", (relief, relief, relief)))


def _engrave_depth(darkness: int) -> int:
    return max(0, darkness - ENGRAVE_THRESHOLD) * 255 // (255 - ENGRAVE_THRESHOLD)
