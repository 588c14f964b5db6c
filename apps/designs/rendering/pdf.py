"""A minimal PDF writer for print files: one page, one full-bleed lossless image, print boxes, sRGB.

Pillow's PDF writer sets only the MediaBox and the DeviceRGB colour space, and stores RGB images as
JPEG; a print shop also wants the TrimBox (where to cut) and BleedBox, an ICC-tagged image, and
the exact pixels. The image is a PNG's own compressed data (Flate with PNG predictors, which PDF
reads as they are). No dates: same input, same bytes.
"""

import struct
from dataclasses import dataclass

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class PdfPage:
    png: bytes  # 8-bit RGB, not interlaced (as Pillow writes it)
    pixels: tuple[int, int]
    size_pt: tuple[float, float]  # the page (trim + bleed)
    bleed_pt: float
    icc_profile: bytes
    title: str


def single_image_pdf(page: PdfPage) -> bytes:
    width, height = page.size_pt
    bleed = page.bleed_pt
    content = f"q {_num(width)} 0 0 {_num(height)} 0 0 cm /Art Do Q".encode()
    page_box, trim_box = _box(0, 0, width, height), _box(bleed, bleed, width - bleed, height - bleed)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            f"<< /Type /Page /Parent 2 0 R /MediaBox {page_box} /BleedBox {page_box} /TrimBox {trim_box}"
            " /Resources << /XObject << /Art 4 0 R >> >> /Contents 6 0 R >>"
        ).encode(),
        _stream(
            f"/Type /XObject /Subtype /Image /Width {page.pixels[0]} /Height {page.pixels[1]}"
            " /ColorSpace [/ICCBased 5 0 R] /BitsPerComponent 8 /Filter /FlateDecode"
            f" /DecodeParms << /Predictor 15 /Colors 3 /BitsPerComponent 8 /Columns {page.pixels[0]} >>",
            _png_image_data(page.png),
        ),
        _stream("/N 3 /Alternate /DeviceRGB", page.icc_profile),
        _stream("", content),
        f"<< /Title {_text(page.title)} /Producer (Luneo) >>".encode(),
    ]
    return _document(objects)


def _png_image_data(png: bytes) -> bytes:
    """The zlib stream of an 8-bit RGB, non-interlaced PNG: its IDAT chunks, joined."""
    if not png.startswith(PNG_SIGNATURE):
        raise ValueError("Not a PNG.")
    data, position = bytearray(), len(PNG_SIGNATURE)
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position : position + 8])
        body = png[position + 8 : position + 8 + length]
        if kind == b"IHDR" and (body[8], body[9], body[12]) != (8, 2, 0):
            raise ValueError("The PNG is not 8-bit RGB without interlacing.")
        if kind == b"IDAT":
            data += body
        position += 12 + length  # length, type, data, CRC
    return bytes(data)


def _document(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.6\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _stream(entries: str, data: bytes) -> bytes:
    return f"<< {entries} /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"


def _box(left: float, bottom: float, right: float, top: float) -> str:
    return "[" + " ".join(_num(value) for value in (left, bottom, right, top)) + "]"


def _num(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _text(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return f"({escaped.encode('ascii', 'replace').decode()})"
