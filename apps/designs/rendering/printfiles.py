"""Print-ready files: the artwork fitted to the print spec, as a PNG (alpha, DPI, sRGB ICC) and a PDF page."""

import io
from collections.abc import Iterable
from functools import lru_cache

from PIL import Image, ImageCms

from .pdf import PdfPage, single_image_pdf
from .spec import MM_PER_INCH, PrintSpec, TextLayer, mm_to_points
from .text import render_text_layers

# zlib level for print PNGs: levels 1-3 take a third of the time of the default 6 (~0.35-0.6 s vs
# 1-2 s for 3024 x 2433 px); 2 is the middle, files ~25 % larger than at 6.
PNG_COMPRESS_LEVEL = 2
LOW_DPI_UPSCALE = 2.0


@lru_cache(maxsize=1)
def srgb_icc_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def cover_box(size: tuple[int, int], aspect: float) -> tuple[float, float, float, float]:
    """The largest centred box of `aspect` (width / height) inside an image of `size`."""
    width, height = size
    if width / height > aspect:
        crop_width = height * aspect
        left = (width - crop_width) / 2
        return (left, 0, left + crop_width, height)
    crop_height = width / aspect
    top = (height - crop_height) / 2
    return (0, top, width, top + crop_height)


def cover_resize(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Centre-crop `image` to the aspect of `size` and resample it (Lanczos) to exactly `size`, RGBA."""
    rgba = image if image.mode == "RGBA" else image.convert("RGBA")
    box = cover_box(rgba.size, size[0] / size[1])
    return rgba.resize(size, Image.Resampling.LANCZOS, box=box)


def fit_artwork(artwork: Image.Image, spec: PrintSpec) -> tuple[Image.Image, dict]:
    """Artwork cover-cropped to the page aspect and resampled to the print canvas, with DPI facts."""
    canvas_size = spec.canvas_px()
    left, _, right, _ = cover_box(artwork.size, canvas_size[0] / canvas_size[1])
    page_width_in = spec.page_mm()[0] / MM_PER_INCH
    upscale = canvas_size[0] / (right - left)
    info = {
        "effective_dpi": round((right - left) / page_width_in, 1),
        "upscale": round(upscale, 3),
        "low_dpi": upscale > LOW_DPI_UPSCALE,
    }
    return cover_resize(artwork, canvas_size), info


def compose_print(
    art: Image.Image, spec: PrintSpec, text_layers: Iterable[TextLayer] = ()
) -> tuple[Image.Image, dict]:
    """The full print canvas (RGBA): fitted artwork plus text layers placed within the trim area.

    Returns the canvas and fit_artwork's DPI facts; encode it once per format with encode_print_*.
    """
    canvas, info = fit_artwork(art, spec)
    return render_text_layers(canvas, text_layers, box=spec.trim_box_px()), info


def encode_print_png(canvas: Image.Image, spec: PrintSpec) -> bytes:
    buffer = io.BytesIO()
    canvas.save(
        buffer,
        "PNG",
        dpi=(spec.dpi, spec.dpi),
        icc_profile=srgb_icc_profile(),
        compress_level=PNG_COMPRESS_LEVEL,
    )
    return buffer.getvalue()


def encode_print_pdf(canvas: Image.Image, spec: PrintSpec) -> bytes:
    """One page of exactly spec.page_mm(), the canvas flattened on white and placed full-bleed.

    TrimBox is the print area, BleedBox and MediaBox the page; the image is tagged sRGB and
    embedded losslessly: a PDF reader decodes exactly the flattened canvas's pixels.
    """
    flat = Image.new("RGB", canvas.size, "white")
    flat.paste(canvas, mask=canvas.getchannel("A") if canvas.mode == "RGBA" else None)
    png = io.BytesIO()
    flat.save(png, "PNG", compress_level=PNG_COMPRESS_LEVEL)
    page = PdfPage(
        png=png.getvalue(),
        pixels=canvas.size,
        size_pt=tuple(mm_to_points(value) for value in spec.page_mm()),
        bleed_pt=mm_to_points(spec.bleed_mm),
        icc_profile=srgb_icc_profile(),
        title="Luneo print file",
    )
    return single_image_pdf(page)


def render_print_png(art: Image.Image, spec: PrintSpec, text_layers: Iterable[TextLayer] = ()) -> bytes:
    return encode_print_png(compose_print(art, spec, text_layers)[0], spec)


def render_print_pdf(art: Image.Image, spec: PrintSpec, text_layers: Iterable[TextLayer] = ()) -> bytes:
    return encode_print_pdf(compose_print(art, spec, text_layers)[0], spec)
