"""Safe uploads: check the real type, cap bytes and pixels, re-encode images before storing them.

Every app stores user images through `image_clean` (and 3D models through `glb_clean`): the
bytes a person sends are never stored as they are. Pillow only *warns* about a decompression
bomb below twice its own pixel limit; here that warning is an error, and the pixel cap
(`UPLOAD_MAX_PIXELS`) is checked from the header before any pixel is decoded.
"""

import io
import uuid
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from apps.core.errors import ApplicationError

ACCEPTED_FORMATS = ("PNG", "JPEG", "WEBP", "GIF")
GLB_MAGIC = b"glTF"
JPEG_QUALITY = 90


class UploadTooLarge(ApplicationError):
    code = "upload_too_large"
    status = 413
    message = _("The file is too large.")


class UploadInvalid(ApplicationError):
    code = "upload_invalid"
    status = 422
    message = _("The file is not a valid image. Send a PNG, JPEG, WebP or GIF image.")


@dataclass(frozen=True)
class CleanImage:
    """A re-encoded image, ready to assign to a FileField."""

    file: ContentFile
    width: int
    height: int
    format: str  # "PNG" or "JPEG"


@deconstructible
class RandomPath:
    """`upload_to` that ignores the sender's file name: `<prefix>/<uuid>.<ext>`."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self, instance, filename: str) -> str:
        suffix = PurePosixPath(filename).suffix.lower()
        return f"{self.prefix}/{uuid.uuid4().hex}{suffix}"

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomPath) and other.prefix == self.prefix


def read_capped(upload, *, max_bytes: int | None = None) -> bytes:
    """The upload's bytes, or UploadTooLarge as soon as they exceed the cap (never read past it)."""
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise UploadTooLarge(details={"max_bytes": max_bytes, "bytes": size})
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadTooLarge(details={"max_bytes": max_bytes})
    return data


def _open(data: bytes) -> Image.Image:
    """Open and fully decode, refusing bombs, unknown types and truncated files."""
    max_pixels = settings.UPLOAD_MAX_PIXELS
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                raise UploadInvalid(details={"format": image.format, "accepted": list(ACCEPTED_FORMATS)})
            width, height = image.size
            if width * height > max_pixels:
                raise UploadTooLarge(
                    _("The image has too many pixels."),
                    details={"max_pixels": max_pixels, "pixels": width * height},
                )
            image.load()
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise UploadTooLarge(
                _("The image has too many pixels."), details={"max_pixels": max_pixels}
            ) from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise UploadInvalid() from exc
    return image


def _normalised(image: Image.Image) -> Image.Image:
    """Upright (EXIF orientation applied), first frame, in L, RGB or RGBA."""
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if has_alpha:
        return image.convert("RGBA")
    if image.mode in ("L", "1", "I;16", "I"):
        return image.convert("L")
    return image.convert("RGB")


def image_clean(upload, *, name: str = "image") -> CleanImage:
    """Check an uploaded image and re-encode it: PNG if it has transparency or was lossless, else JPEG.

    Raises UploadTooLarge (413) over UPLOAD_MAX_BYTES or UPLOAD_MAX_PIXELS (bombs included),
    UploadInvalid (422) when it is not a PNG, JPEG, WebP or GIF image.
    """
    image = _open(read_capped(upload))
    lossy_source = image.format in ("JPEG", "WEBP")
    image = _normalised(image)
    out = io.BytesIO()
    if image.mode == "RGBA" or not lossy_source:
        image.save(out, format="PNG", optimize=False)
        fmt, ext = "PNG", "png"
    else:
        image.save(out, format="JPEG", quality=JPEG_QUALITY)
        fmt, ext = "JPEG", "jpg"
    return CleanImage(
        file=ContentFile(out.getvalue(), name=f"{name}.{ext}"),
        width=image.width,
        height=image.height,
        format=fmt,
    )


def glb_clean(upload, *, name: str = "model") -> ContentFile:
    """A binary glTF (`.glb`) upload: size-capped, and it must start with the glTF magic bytes."""
    data = read_capped(upload)
    if len(data) < 12 or data[:4] != GLB_MAGIC:
        raise UploadInvalid(_("The file is not a binary glTF (.glb) model."))
    return ContentFile(data, name=f"{name}.glb")
