"""Upload safety: real type sniffed, bytes and pixels capped, bombs refused, images re-encoded."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.core.uploads import UploadInvalid, UploadTooLarge, glb_clean, image_clean
from tests.support.factories.products import image_upload


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` × `height` pixels (a decompression bomb's shape)."""
    out = io.BytesIO()
    Image.new("L", (1, 1)).save(out, format="PNG")
    data = bytearray(out.getvalue())
    ihdr = bytes(data[12:16]) + struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(ihdr))
    return bytes(data)


def test_a_png_with_transparency_is_re_encoded_as_png_keeping_its_size():
    upload = image_upload(120, 80, mode="RGBA")

    clean = image_clean(upload)

    assert (clean.format, clean.width, clean.height) == ("PNG", 120, 80)
    reopened = Image.open(io.BytesIO(clean.file.read()))
    assert reopened.format == "PNG"
    assert reopened.mode == "RGBA"


def test_a_jpeg_is_re_encoded_as_jpeg_without_its_metadata():
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010E] = "secret description"
    Image.new("RGB", (64, 48), "red").save(out, format="JPEG", exif=exif)
    upload = SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")

    clean = image_clean(upload)

    assert clean.format == "JPEG"
    assert clean.file.name.endswith(".jpg")
    assert b"secret description" not in clean.file.read()


def test_a_file_that_is_not_an_image_is_422_upload_invalid_whatever_its_name():
    upload = SimpleUploadedFile(
        "cat.png", b"<html><script>alert(1)</script></html>", content_type="image/png"
    )

    with pytest.raises(UploadInvalid) as caught:
        image_clean(upload)

    assert (caught.value.status, caught.value.code) == (422, "upload_invalid")


def test_a_truncated_image_is_422():
    data = image_upload(200, 200).read()
    upload = SimpleUploadedFile("cut.png", data[: len(data) // 2])

    with pytest.raises(UploadInvalid):
        image_clean(upload)


def test_an_image_format_outside_the_accepted_ones_is_422():
    upload = image_upload(20, 20, fmt="BMP")

    with pytest.raises(UploadInvalid) as caught:
        image_clean(upload)

    assert caught.value.details["format"] == "BMP"


def test_more_bytes_than_the_cap_is_413_upload_too_large(settings):
    settings.UPLOAD_MAX_BYTES = 1000
    upload = SimpleUploadedFile("big.png", b"x" * 1001)

    with pytest.raises(UploadTooLarge) as caught:
        image_clean(upload)

    assert (caught.value.status, caught.value.code) == (413, "upload_too_large")
    assert caught.value.details["max_bytes"] == 1000


def test_more_pixels_than_the_cap_is_413(settings):
    settings.UPLOAD_MAX_PIXELS = 100 * 100

    with pytest.raises(UploadTooLarge) as caught:
        image_clean(image_upload(101, 100))

    assert caught.value.details == {"max_pixels": 10000, "pixels": 10100}


def test_a_decompression_bomb_is_refused_from_its_header_without_decoding_it():
    upload = SimpleUploadedFile("bomb.png", _png_claiming(100_000, 100_000))

    with pytest.raises(UploadTooLarge) as caught:
        image_clean(upload)

    assert caught.value.details["max_pixels"] == 40_000_000


def test_pillows_bomb_warning_is_an_error(settings, monkeypatch):
    # Given a pixel cap above Pillow's own limit, and an image just over Pillow's limit (a warning)
    settings.UPLOAD_MAX_PIXELS = 10**9
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)

    with pytest.raises(UploadTooLarge):
        image_clean(image_upload(40, 40))


def test_a_glb_must_start_with_the_gltf_magic():
    good = SimpleUploadedFile("m.glb", b"glTF" + struct.pack("<II", 2, 12))
    bad = SimpleUploadedFile("m.glb", b"PK\x03\x04 not a model")

    assert glb_clean(good).read().startswith(b"glTF")
    with pytest.raises(UploadInvalid):
        glb_clean(bad)
