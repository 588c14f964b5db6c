"""The page a design prints: its artwork, the shopper's photo and text layers, each where the
shopper put it. Previews and print files both draw it, at their own size, so what the shopper
arranged on the product is what prints.
"""

from dataclasses import dataclass, field

from PIL import Image

from .spec import TextLayer, Transform
from .text import render_text_layers, safe_place

PHOTO_DEFAULT = Transform(scale=0.6)
WHOLE_PAGE = (0.0, 0.0, 1.0, 1.0)


@dataclass(frozen=True)
class Composition:
    """What goes on the page, bottom to top: artwork, photo, text layers."""

    art: Image.Image
    artwork: Transform = field(default_factory=Transform)
    photo: Image.Image | None = None
    photo_at: Transform = PHOTO_DEFAULT
    texts: tuple[TextLayer, ...] = ()


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


def compose(composition: Composition, size: tuple[int, int], safe=WHOLE_PAGE) -> Image.Image:
    """The page (RGBA, `size`); the photo and text stay within `safe` (fractions of the page)."""
    page = _artwork_layer(composition.art, composition.artwork, size)
    if composition.photo is not None:
        photo = _photo_image(composition.photo, composition.photo_at, size)
        page.alpha_composite(*safe_place(photo, (composition.photo_at.x, composition.photo_at.y), size, safe))
    return render_text_layers(page, composition.texts, safe=safe)


def _rotated(image: Image.Image, rotation: float) -> Image.Image:
    """Turned clockwise by `rotation` degrees, grown to hold every corner (transparent around)."""
    if not rotation:
        return image
    return image.rotate(-rotation, Image.Resampling.BICUBIC, expand=True)


def _artwork_layer(art: Image.Image, transform: Transform, size) -> Image.Image:
    """The artwork covering the page at scale 1; scaled, moved and turned by `transform`."""
    if transform.is_identity():
        return cover_resize(art, size)
    width, height = size
    scaled = cover_resize(
        art, (max(1, round(width * transform.scale)), max(1, round(height * transform.scale)))
    )
    turned = _rotated(scaled, transform.rotation)
    page = Image.new("RGBA", size, (0, 0, 0, 0))
    page.paste(
        turned,
        (round(transform.x * width - turned.width / 2), round(transform.y * height - turned.height / 2)),
    )
    return page


def _photo_image(photo: Image.Image, transform: Transform, size) -> Image.Image:
    """The photo contained in `scale` of the page, turned."""
    width, height = size
    image = photo.convert("RGBA")
    box = (max(1, round(width * transform.scale)), max(1, round(height * transform.scale)))
    ratio = min(box[0] / image.width, box[1] / image.height)
    image = image.resize(
        (max(1, round(image.width * ratio)), max(1, round(image.height * ratio))), Image.Resampling.LANCZOS
    )
    return _rotated(image, transform.rotation)
