"""Writes for the catalog. The API, the dashboard and the demo seed all go through these."""

import io
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from apps.brands.models import Brand
from apps.brands.services import brand_create
from apps.core.errors import ApplicationError
from apps.core.uploads import glb_clean, image_clean

from .errors import CatalogInvalid, InUse, NameTaken, PrintAreaInvalid, SkuTaken
from .models import Option, Product, Variant, View

MAX_POLYGON_POINTS = 64
PRODUCT_FIELDS = (
    "brand",
    "sku",
    "name",
    "name_translations",
    "description",
    "price",
    "currency",
    "status",
    "shape",
)
VARIANT_FIELDS = ("name", "name_translations", "sku_suffix", "attributes", "price_delta")
VIEW_FIELDS = (
    "variant",
    "name",
    "name_translations",
    "area_shape",
    "area_points",
    "width_mm",
    "height_mm",
    "dpi",
    "bleed_mm",
    "safe_mm",
    "blend_mode",
    "position",
)
OPTION_FIELDS = ("name", "name_translations", "price_delta")


def name_translations_clean(value):
    """Names by language as stored: keys as Django spells languages ("zh_Hans" → "zh-hans"), names
    stripped, empty ones left out (the default name applies). Anything else is left for the
    model's validator to refuse."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        return value
    cleaned = {}
    for key, name in value.items():
        key = str(key).strip().lower().replace("_", "-")
        name = name.strip() if isinstance(name, str) else name
        if name not in ("", None):
            cleaned[key] = name
    return cleaned


def _assign(instance: models.Model, fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise CatalogInvalid(details={"unknown_fields": unknown})
    for field, value in fields.items():
        if field == "name_translations":
            value = name_translations_clean(value)
        setattr(instance, field, value.strip() if isinstance(value, str) else value)


def _save(instance: models.Model, *, conflict: type[Exception], exclude: list[str] | None = None):
    """Validate field by field (400 with details), then save; a unique clash becomes `conflict` (409)."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise CatalogInvalid(details={"fields": exc.message_dict}) from exc
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise conflict() from exc
    return instance


# --- products -----------------------------------------------------------------------------


def _product_save(product: Product, base_model) -> Product:
    if base_model is not None:
        product.base_model = glb_clean(base_model)
    if product.shape == Product.Shape.CUSTOM_GLB and not product.base_model:
        raise CatalogInvalid(details={"fields": {"base_model": [_("Upload a .glb model for this shape.")]}})
    return _save(product, conflict=SkuTaken, exclude=["base_model"])


def product_create(*, sku: str, name: str, price, base_model=None, **fields) -> Product:
    """Create a product (draft unless `status` says otherwise). `base_model`: an uploaded .glb."""
    product = Product()
    _assign(product, {"sku": sku, "name": name, "price": price, **fields}, PRODUCT_FIELDS)
    return _product_save(product, base_model)


def product_update(*, product: Product, base_model=None, **fields) -> Product:
    _assign(product, fields, PRODUCT_FIELDS)
    return _product_save(product, base_model)


def _delete(instance: models.Model) -> None:
    try:
        with transaction.atomic():
            instance.delete()
    except ProtectedError as exc:
        raise InUse() from exc


def product_delete(*, product: Product) -> None:
    """Delete a product with its variants, views and options; InUse (409) once designs use it."""
    _delete(product)


# --- variants and options -------------------------------------------------------------------


def variant_create(*, product: Product, name: str, sku_suffix: str, **fields) -> Variant:
    variant = Variant(product=product)
    _assign(variant, {"name": name, "sku_suffix": sku_suffix, **fields}, VARIANT_FIELDS)
    return _variant_save(variant)


def variant_update(*, variant: Variant, **fields) -> Variant:
    _assign(variant, fields, VARIANT_FIELDS)
    return _variant_save(variant)


def _variant_save(variant: Variant) -> Variant:
    attributes = variant.attributes
    if not isinstance(attributes, dict) or not all(
        isinstance(v, str | int | float) for v in attributes.values()
    ):
        message = _('Attributes are names with simple values, e.g. {"colour": "red", "size": "M"}.')
        raise CatalogInvalid(details={"fields": {"attributes": [message]}})
    return _save(variant, conflict=NameTaken)


def variant_delete(*, variant: Variant) -> None:
    _delete(variant)


def option_create(*, product: Product, name: str, **fields) -> Option:
    option = Option(product=product)
    _assign(option, {"name": name, **fields}, OPTION_FIELDS)
    return _save(option, conflict=NameTaken)


def option_update(*, option: Option, **fields) -> Option:
    _assign(option, fields, OPTION_FIELDS)
    return _save(option, conflict=NameTaken)


def option_delete(*, option: Option) -> None:
    _delete(option)


def option_list_save(*, product: Product, rows: list[dict]) -> None:
    """Apply a list of option rows at once, all or nothing (the dashboard's options editor).

    Each row is `{"option": an Option of product or None for a new one, "delete": bool, "name",
    "price_delta"}`. Deletions go first, so a name may pass from a deleted option to another. A
    refused row raises its error with the row's index in `details["row"]`.
    """
    with transaction.atomic():
        for index, row in sorted(enumerate(rows), key=lambda pair: not pair[1]["delete"]):
            fields = {name: row[name] for name in OPTION_FIELDS if name in row}
            try:
                if row["option"] is not None and row["option"].product_id != product.pk:
                    raise CatalogInvalid(_("This option belongs to another product."))
                if row["delete"]:
                    option_delete(option=row["option"])
                elif row["option"] is None:
                    option_create(product=product, **fields)
                else:
                    option_update(option=row["option"], **fields)
            except ApplicationError as exc:
                exc.details["row"] = index
                raise


# --- views and print areas -------------------------------------------------------------------


def rect_points(*, x: float, y: float, width: float, height: float) -> list[list[float]]:
    """A rectangle's four corners, clockwise from the top left."""
    return [[x, y], [x + width, y], [x + width, y + height], [x, y + height]]


def print_area_validate(*, shape: str, points, width: int, height: int) -> list[list[float]]:
    """Check a print area against its mockup (`width` × `height` px); return its points as numbers.

    A rectangle is four corners of an axis-aligned box; a polygon 3 to 64 points. Every point
    must lie inside the image and the area must not be empty. Raises PrintAreaInvalid (422).
    """

    def invalid(message: str):
        return PrintAreaInvalid(message, details={"mockup_width": width, "mockup_height": height})

    if not isinstance(points, list) or not all(
        isinstance(p, list | tuple)
        and len(p) == 2
        and all(isinstance(c, int | float) and not isinstance(c, bool) for c in p)
        for p in points
    ):
        raise invalid(_("Give the print area as a list of [x, y] points in mockup pixels."))
    points = [[float(x), float(y)] for x, y in points]
    if shape == View.AreaShape.RECT:
        xs, ys = {p[0] for p in points}, {p[1] for p in points}
        if (
            len(points) != 4
            or len(xs) != 2
            or len(ys) != 2
            or {tuple(p) for p in points} != {(x, y) for x in xs for y in ys}
        ):
            raise invalid(_("A rectangle print area has four corners of an upright box."))
    elif not 3 <= len(points) <= MAX_POLYGON_POINTS:
        raise invalid(_("A polygon print area has 3 to %(max)d points.") % {"max": MAX_POLYGON_POINTS})
    if any(not (0 <= x <= width and 0 <= y <= height) for x, y in points):
        raise invalid(
            _("Every point of the print area must lie inside the %(w)d × %(h)d px mockup.")
            % {"w": width, "h": height}
        )
    if _area(points) <= 0:
        raise invalid(_("The print area is empty."))
    return [[int(x) if x.is_integer() else x, int(y) if y.is_integer() else y] for x, y in points]


def _area(points: list[list[float]]) -> float:
    """Shoelace formula: the polygon's area in px²."""
    pairs = zip(points, points[1:] + points[:1], strict=True)
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairs)) / 2


def view_create(*, product: Product, mockup, mask=None, **fields) -> View:
    """Add a side to a product: `mockup` (and `mask`) are uploaded images, checked and re-encoded."""
    view = View(product=product)
    _assign(view, fields, VIEW_FIELDS)
    return _view_save(view, mockup=mockup, mask=mask)


def view_update(*, view: View, mockup=None, mask=None, **fields) -> View:
    _assign(view, fields, VIEW_FIELDS)
    return _view_save(view, mockup=mockup, mask=mask)


def _view_save(view: View, *, mockup, mask) -> View:
    if view.variant_id is not None and view.variant.product_id != view.product_id:
        raise CatalogInvalid(details={"fields": {"variant": [_("This variant belongs to another product.")]}})
    if mockup is not None:
        clean = image_clean(mockup, name="mockup")
        view.mockup, view.mockup_width, view.mockup_height = clean.file, clean.width, clean.height
    if not view.mockup:
        raise CatalogInvalid(details={"fields": {"mockup": [_("Upload a mockup image.")]}})
    if mask is not None:
        view.mask = image_clean(mask, name="mask").file
    view.area_points = print_area_validate(
        shape=view.area_shape, points=view.area_points, width=view.mockup_width, height=view.mockup_height
    )
    return _save(view, conflict=NameTaken, exclude=["mockup", "mask", "area_points"])


def view_delete(*, view: View) -> None:
    _delete(view)


# --- demo catalog ---------------------------------------------------------------------------

DEMO_BRAND = "Luneo Demo"


def _demo_mockup(kind: str) -> ContentFile:
    """A simple product-shaped drawing (1000 × 800 px PNG), made at seed time."""
    image = Image.new("RGB", (1000, 800), "#EEF0F4")
    draw = ImageDraw.Draw(image)
    if kind == "poster":
        draw.rectangle([240, 90, 760, 710], fill="#C9CED8")  # shadow
        draw.rectangle([230, 80, 750, 700], fill="#FFFFFF", outline="#9AA1AE", width=4)
    else:
        draw.rounded_rectangle([640, 300, 800, 560], radius=70, outline="#D9DDE4", width=36)  # handle
        draw.rounded_rectangle([260, 180, 680, 700], radius=30, fill="#FFFFFF", outline="#9AA1AE", width=4)
        draw.ellipse([260, 150, 680, 220], fill="#F6F7F9", outline="#9AA1AE", width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return ContentFile(out.getvalue(), name=f"{kind}.png")


def catalog_seed_demo() -> Brand:
    """The demo brand and two products with print areas: a 250 × 200 mm poster and a mug. Idempotent."""
    brand = Brand.objects.filter(name=DEMO_BRAND).first() or brand_create(
        name=DEMO_BRAND,
        primary_color="#1F2937",
        secondary_color="#6366F1",
        allowed_origins=["https://shop.example"],
        blocked_words=["hate"],
    )
    if not Product.objects.filter(sku="POSTER-A").exists():
        poster = product_create(
            brand=brand,
            sku="POSTER-A",
            name="Art poster 25 × 20 cm",
            price=Decimal("24.00"),
            status=Product.Status.ACTIVE,
            shape=Product.Shape.FLAT,
            description="Matte 200 g/m² paper, printed in full colour.",
        )
        # 520 × 416 px on the mockup for 250 × 200 mm: the same 5:4 ratio.
        view_create(
            product=poster,
            mockup=_demo_mockup("poster"),
            name="front",
            area_shape=View.AreaShape.RECT,
            area_points=rect_points(x=230, y=182, width=520, height=416),
            width_mm=250,
            height_mm=200,
        )
        option_create(product=poster, name="Premium paper", price_delta=Decimal("5.00"))
    if not Product.objects.filter(sku="MUG-11").exists():
        mug = product_create(
            brand=brand,
            sku="MUG-11",
            name="Ceramic mug 11 oz",
            price=Decimal("14.90"),
            status=Product.Status.ACTIVE,
            shape=Product.Shape.MUG,
            description="White ceramic, dishwasher safe.",
        )
        view_create(
            product=mug,
            mockup=_demo_mockup("mug"),
            name="front",
            area_shape=View.AreaShape.RECT,
            area_points=rect_points(x=300, y=280, width=340, height=340),
            width_mm=90,
            height_mm=90,
            blend_mode=View.BlendMode.MULTIPLY,
        )
        variant_create(product=mug, name="Black", sku_suffix="BLK", attributes={"colour": "black"})
    return brand
