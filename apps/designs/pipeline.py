"""The pipeline's steps: moderate → generate → composite → export, each a function of a design.

Each step does its work outside any transaction (provider calls and rendering are slow), writes
its files with `asset_save` (one row per design, view and kind: a rerun replaces them), then
moves the design on and queues the next step in one transaction. Tasks (tasks.py) call them.
"""

import io
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from PIL import Image

from apps.ai.providers import GeneratedImage, get_provider
from apps.products.models import Product, View

from .errors import MODERATION_SPEC
from .models import Design, DesignAsset
from .rendering import (
    SHAPES,
    Composition,
    Placement,
    PrintSpec,
    TextLayer,
    Transform,
    compose_print,
    encode_jpeg,
    encode_preview,
    encode_print_pdf,
    encode_print_png,
    render_glb,
    render_preview,
)
from .selectors import view_print_spec
from .services import design_transition, spec_layers, text_layers_clean, text_layers_corrected

logger = logging.getLogger(__name__)
K = DesignAsset.Kind
SPEC_VERSION = 2  # 2: the artwork and the photo are layers, each with its transform
CONTENT_TYPES = {
    K.ARTWORK: "image/png",
    K.PRINT_PNG: "image/png",
    K.PRINT_PDF: "application/pdf",
    K.PREVIEW_JPG: "image/jpeg",
    K.PREVIEW_WEBP: "image/webp",
    K.THUMB: "image/png",
    K.GLB: "model/gltf-binary",
    K.ELSEWHERE: "image/jpeg",
}
FILE_NAMES = {
    K.ARTWORK: "artwork.png",
    K.PRINT_PNG: "print.png",
    K.PRINT_PDF: "print.pdf",
    K.PREVIEW_JPG: "preview.jpg",
    K.PREVIEW_WEBP: "preview.webp",
    K.THUMB: "thumb.png",
    K.GLB: "model.glb",
    K.ELSEWHERE: "preview.jpg",
}
ELSEWHERE_PX = 600  # the longest side of a design shown on another product (e-mails show 180 px)
CORRECTED_PX = 600  # the longest side of a correction's "after" preview (the copilot's card)


class Rejected(Exception):
    """Moderation refused the design's input; `reasons` say why."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__("; ".join(reasons))


class RenderFailed(Exception):
    """The product's own files (mockup, mask) cannot be rendered: not worth retrying."""

    code = "render_failed"


# --- views and specs ------------------------------------------------------------------------


def design_views(design: Design) -> list[View]:
    """The product's views, each replaced by the variant's own mockup of that side if it has one."""
    views = list(design.product.views.filter(variant__isnull=True))
    if design.variant_id is None:
        return views
    own = {view.name: view for view in design.variant.views.all()}
    merged = [own.pop(view.name, view) for view in views]
    return merged + list(own.values())


def artwork_size(views: list[View]) -> tuple[int, int]:
    """At the first view's page aspect, as large as the largest print canvas, capped."""
    specs = [view_print_spec(view) for view in views]
    aspect = specs[0].aspect()
    needed = max(max(spec.canvas_px()) for spec in specs)
    longest = min(needed, settings.DESIGN_ARTWORK_MAX_PX)
    if aspect >= 1:
        return longest, max(1, round(longest / aspect))
    return max(1, round(longest * aspect)), longest


def design_spec(design: Design, views: list[View], *, generated: GeneratedImage, size) -> dict:
    """The vendor-neutral record: enough to render the print files again for another printer.

    `label` is what the provider says its artwork is (the offline one: "offline preview"): the
    previews show it, the print files never do.
    """
    return {
        "version": SPEC_VERSION,
        "parameters": {
            "prompt": design.prompt,
            "style": design.style,
            "seed": design.seed,
            "provider": generated.provider,
            "model": generated.model,
            "label": generated.meta.get("label", ""),
            "artwork_px": list(size),
        },
        "layers": spec_layers(design),
        "views": [
            {
                "id": view.pk,
                "name": view.name,
                "print": {
                    "width_mm": float(view.width_mm),
                    "height_mm": float(view.height_mm),
                    "dpi": view.dpi,
                    "bleed_mm": float(view.bleed_mm),
                    "safe_mm": float(view.safe_mm),
                },
                "placement": {"points": view.area_points, "blend_mode": view.blend_mode},
            }
            for view in views
        ],
    }


def _transform(layer: dict) -> Transform:
    """A spec layer's transform (a spec of version 1 has none: the defaults)."""
    return Transform(**{name: layer[name] for name in ("x", "y", "scale", "rotation") if name in layer})


def design_composition(design: Design, text_layers: list[dict] | None = None) -> Composition:
    """The page as the design's spec lays it out: its artwork, photo and text layers (or
    `text_layers` instead of its own: a correction's preview, before anything changes)."""
    layers = design.spec["layers"]
    by_type = {layer["type"]: layer for layer in layers}
    if text_layers is None:
        text_layers = [layer for layer in layers if layer["type"] == "text"]
    texts = tuple(
        TextLayer(**{name: value for name, value in layer.items() if name != "type"}) for layer in text_layers
    )
    photo = by_type.get("photo")
    return Composition(
        art=_open(design.assets.get(view=None, kind=K.ARTWORK).file),
        artwork=_transform(by_type["artwork"]),
        photo=_open(design.photo) if photo and design.photo else None,
        photo_at=_transform(photo) if photo else Transform(),
        texts=texts,
    )


# --- files ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssetFile:
    kind: str
    data: bytes
    width: int | None = None
    height: int | None = None
    dpi: int | None = None


def asset_save(design: Design, view: View | None, file: AssetFile) -> DesignAsset:
    """Store `file` as the design's (view, kind) asset, replacing (and deleting) a previous one."""
    previous = DesignAsset.objects.filter(design=design, view=view, kind=file.kind).first()
    content = ContentFile(file.data, name=FILE_NAMES[file.kind])
    fields = {
        "content_type": CONTENT_TYPES[file.kind],
        "width": file.width,
        "height": file.height,
        "dpi": file.dpi,
        "bytes": len(file.data),
        "created_at": timezone.now(),  # when this file was made, also when it replaces one
    }
    asset, _created = DesignAsset.objects.update_or_create(
        design=design, view=view, kind=file.kind, defaults={**fields, "file": content}
    )
    if previous is not None and previous.file.name != asset.file.name:
        previous.file.storage.delete(previous.file.name)
    return asset


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _open(field) -> Image.Image:
    """A stored image (mockup, mask, artwork, photo), fully decoded."""
    try:
        with field.open("rb") as file:
            image = Image.open(io.BytesIO(file.read()))
            image.load()
    except (OSError, SyntaxError, ValueError) as exc:
        raise RenderFailed(f"Cannot read {field.name or 'a missing file'}: {exc}") from exc
    return image


# --- steps ----------------------------------------------------------------------------------


def _advance(design: Design, status: str, queue_next, **fields) -> Design:
    """Move on and queue the next step when (and only if) the move commits."""
    with transaction.atomic():
        design = design_transition(design=design, status=status, **fields)
        if queue_next is not None:
            transaction.on_commit(lambda: queue_next(design.pk))
    return design


def _brand_blocked_words(design: Design) -> list[str]:
    brand = design.product.brand
    return list(brand.blocked_words) if brand is not None else []


def step_moderate(design: Design, queue_next) -> Design:
    """Provider text moderation (prompt and text layers, with the brand's blocked words), then the photo."""
    if design.status == Design.Status.QUEUED:
        design = design_transition(design=design, status=Design.Status.MODERATING)
    provider = get_provider(design_id=design.pk)
    text = "\n".join([design.prompt, *(layer["text"] for layer in design.text_layers)])
    verdicts = [provider.moderate_text(text=text, blocked_words=_brand_blocked_words(design))]
    if design.photo:
        verdicts.append(provider.moderate_image(image=_open(design.photo)))
    flagged = [verdict for verdict in verdicts if verdict.flagged]
    if flagged:
        # What was found, as codes: the shopper is told why in their language, without the word
        # (errors.design_error_public); the brand's staff and operators see the word.
        findings = [finding.as_dict() for verdict in flagged for finding in verdict.findings]
        Design.objects.filter(pk=design.pk).update(spec={**design.spec, MODERATION_SPEC: findings})
        raise Rejected([reason for verdict in flagged for reason in verdict.reasons] or [gettext("flagged")])
    return _advance(design, Design.Status.GENERATING, queue_next)


def step_generate(design: Design, queue_next) -> Design:
    """Artwork at the first view's page aspect; records the design's vendor-neutral spec."""
    views = design_views(design)
    if not views:
        raise RenderFailed("The product has no view to print on.")
    width, height = artwork_size(views)
    provider = get_provider(design_id=design.pk)
    generated = provider.generate_image(
        prompt=design.prompt, style=design.style, width=width, height=height, seed=design.seed
    )
    art = generated.image.convert("RGBA")
    asset_save(design, None, AssetFile(K.ARTWORK, _png(art), art.width, art.height))
    spec = design_spec(design, views, generated=generated, size=art.size)
    return _advance(design, Design.Status.COMPOSITING, queue_next, provider=generated.provider, spec=spec)


def _preview(view: View, composition: Composition, badge: str, max_px: int = 1600) -> Image.Image:
    mask = _open(view.mask) if view.mask else None
    try:
        placement = Placement(points=tuple(map(tuple, view.area_points)), blend_mode=view.blend_mode)
        safe = view_print_spec(view).safe_box()
        return render_preview(
            _open(view.mockup), composition, placement, mask, safe=safe, badge=badge, max_px=max_px
        )
    except ValueError as exc:
        raise RenderFailed(f"View {view.name}: {exc}") from exc


def step_composite(design: Design, queue_next) -> Design:
    """Each view's mockup with the artwork in its print area: JPEG, WebP and a thumbnail.

    The artwork's label (the spec's, e.g. "offline preview") is written on each preview.
    """
    composition = design_composition(design)
    badge = design.spec["parameters"].get("label", "")
    for view in design_views(design):
        image = _preview(view, composition, badge)
        encoded = encode_preview(image)
        thumb = Image.open(io.BytesIO(encoded["thumb.png"]))
        asset_save(design, view, AssetFile(K.PREVIEW_JPG, encoded["preview.jpg"], image.width, image.height))
        asset_save(
            design, view, AssetFile(K.PREVIEW_WEBP, encoded["preview.webp"], image.width, image.height)
        )
        asset_save(design, view, AssetFile(K.THUMB, encoded["thumb.png"], thumb.width, thumb.height))
    return _advance(design, Design.Status.EXPORTING, queue_next)


def _glb(design: Design, texture: Image.Image, spec: PrintSpec) -> bytes:
    """The product's shape with the first view's print on it (an uploaded model shows as flat)."""
    shape = design.product.shape if design.product.shape in SHAPES else Product.Shape.FLAT
    return render_glb(shape, texture, (spec.width_mm, spec.height_mm))


def step_export(design: Design, queue_next=None) -> Design:
    """Print PNG and PDF per view at its physical size and DPI, then the 3D model; ready.

    Each view's canvas (artwork and text layers) is composed once and encoded in both formats;
    the first view's canvas is the model's texture.
    """
    composition = design_composition(design)
    warnings = set()
    first_texture = first_spec = None
    for view in design_views(design):
        spec = view_print_spec(view)
        canvas, facts = compose_print(composition, spec)
        if facts["low_dpi"]:
            warnings.add("low_dpi")
        width, height = canvas.size
        for kind, encode in ((K.PRINT_PNG, encode_print_png), (K.PRINT_PDF, encode_print_pdf)):
            asset_save(design, view, AssetFile(kind, encode(canvas, spec), width, height, spec.dpi))
        if first_texture is None:
            first_texture, first_spec = canvas, spec
    asset_save(design, None, AssetFile(K.GLB, _glb(design, first_texture, first_spec)))
    return _advance(design, Design.Status.READY, queue_next, warnings=sorted(warnings))


# --- the design on another product ----------------------------------------------------------


def design_preview_elsewhere(design: Design, product: Product) -> DesignAsset | None:
    """A ready design's page on another product's first side: rendered once (a JPEG of at most
    ELSEWHERE_PX), then read from its asset until that side changes. None when the design is not
    ready or the product has no side to show it on; RenderFailed when the product's files cannot
    be read."""
    if design.status != Design.Status.READY:
        return None
    view = product.views.filter(variant__isnull=True).order_by("position", "pk").first()
    if view is None:
        return None
    kept = DesignAsset.objects.filter(design=design, view=view, kind=K.ELSEWHERE).first()
    if kept is not None and kept.created_at >= view.updated_at:
        return kept
    badge = design.spec["parameters"].get("label", "")
    image = _preview(view, design_composition(design), badge, max_px=ELSEWHERE_PX)
    return asset_save(design, view, AssetFile(K.ELSEWHERE, encode_jpeg(image), image.width, image.height))


# --- a correction's "after" -----------------------------------------------------------------


def design_side_preview(design: Design, text_layers: list[dict] | None = None) -> bytes:
    """A ready design's first side, a PNG of at most CORRECTED_PX drawn now from its artwork with
    its text layers or `text_layers` (nothing stored); RenderFailed when it cannot be drawn."""
    views = design_views(design)
    if not views or design.status != Design.Status.READY:
        raise RenderFailed("The design is not ready, or has no side to preview.")
    badge = design.spec["parameters"].get("label", "")
    return _png(_preview(views[0], design_composition(design, text_layers), badge, max_px=CORRECTED_PX))


def design_preview_corrected(design: Design, replacements) -> bytes:
    """`design_side_preview` with `replacements` (wrong → right) applied to its text: a correction's
    "after", before anything changes. ValidationFailed when a wrong text is not in the design."""
    return design_side_preview(
        design, text_layers_clean(text_layers_corrected(design.text_layers, replacements))
    )
