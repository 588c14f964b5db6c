"""Rendering library: artwork -> print files, mockup previews, thumbnails and a textured 3D model.

Pure functions on Pillow images and value objects; no Django models, safe to call from any worker.
Bad input (unknown font, colour, blend mode or shape, impossible sizes) raises ValueError.

Per view, render the print canvas once and encode it in each format:

    spec = PrintSpec(width_mm=250, height_mm=200, dpi=300, bleed_mm=3)
    page = Composition(artwork, Transform(x=0.6, scale=0.8, rotation=10), photo, Transform(), text_layers)
    canvas, facts = compose_print(page, spec)     # facts["low_dpi"] -> warning
    png, pdf = encode_print_png(canvas, spec), encode_print_pdf(canvas, spec)
    glb = render_glb("mug", canvas, (spec.width_mm, spec.height_mm))
    preview = render_preview(mockup, page, Placement(points, "multiply"), mask, safe=spec.safe_box(),
                             badge="offline preview")  # a badge is for previews, never print files
    files = encode_preview(preview)  # preview.jpg, preview.webp, thumb.png

(render_print_png / render_print_pdf do compose + encode in one call each.)
"""

from .compose import PHOTO_DEFAULT, Composition, compose
from .model3d import SHAPES, render_glb
from .preview import encode_jpeg, encode_preview, render_preview
from .printfiles import (
    compose_print,
    encode_print_pdf,
    encode_print_png,
    print_facts,
    render_print_pdf,
    render_print_png,
)
from .spec import BLEND_MODES, Placement, PrintSpec, TextLayer, Transform
from .text import render_text_layers

__all__ = [
    "BLEND_MODES",
    "PHOTO_DEFAULT",
    "SHAPES",
    "Composition",
    "Placement",
    "PrintSpec",
    "TextLayer",
    "Transform",
    "compose",
    "compose_print",
    "encode_jpeg",
    "encode_preview",
    "encode_print_pdf",
    "encode_print_png",
    "print_facts",
    "render_glb",
    "render_preview",
    "render_print_pdf",
    "render_print_png",
    "render_text_layers",
]
