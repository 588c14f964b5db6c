"""The production pack: one zip for the print shop, built by `tasks.order_pack_build_task`.

    items/<n>-<sku>/<view>.png|.pdf   each item's print files, per view of its design
    order.json                        the order as the API and the webhooks show it
    order.pdf                         a printable summary: number, customer, address, items, totals

`order_pack_request` marks the pack `building` and queues the task (an order moved to paid asks
for it: `services.order_transition`); the task builds the zip in a temporary file and ends `ready`
or `failed` (with the reason), never `building`. Asking again rebuilds it (a rebuilt pack replaces
the previous one and its download links). A ready pack publishes `pack.ready` to the webhooks. The
outcome is saved only if the pack is still `building`: of two builds of one request (a task
queued twice), the first to finish is kept and the other is dropped, published once.
"""

import io
import json
import logging
import re
import tempfile
import zipfile
from pathlib import PurePosixPath

from django.core.files import File
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from apps.brands.fonts import font_path
from apps.core.fonts import font_chain, text_fonts
from apps.designs.models import DesignAsset
from apps.webhooks.services import event_publish

from .models import Order, OrderItem
from .payloads import order_event_data, pack_event_data

logger = logging.getLogger(__name__)
PRINT_KINDS = (DesignAsset.Kind.PRINT_PNG, DesignAsset.Kind.PRINT_PDF)
UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def order_pack_request(*, order: Order) -> Order:
    """Mark the pack `building` and queue its (re)build after commit."""
    from .tasks import order_pack_build_task

    order.pack_status, order.pack_error = Order.PackStatus.BUILDING, ""
    order.save(update_fields=["pack_status", "pack_error", "updated_at"])
    transaction.on_commit(lambda: order_pack_build_task.delay(order.pk))
    return order


def order_pack_build(*, order: Order) -> Order:
    """Build the zip and store it on the order: `ready` (and `pack.ready` published), or `failed`
    with the reason."""
    previous = order.pack.name
    try:
        with tempfile.TemporaryFile() as archive:
            pack_write(order, archive)
            archive.seek(0)
            order.pack.save(f"{order.reference}.zip", File(archive), save=False)
    except OSError as exc:  # a print file went missing: say so, a rebuild may fix it
        logger.warning("order %s: production pack failed: %s", order.pk, exc)
        return _pack_failed(
            order, _("A print file is missing or unreadable. Check the designs, then rebuild.")
        )
    except Exception:
        # A bug, not the data: the pack must not stay "building" forever.
        logger.exception("order %s: production pack crashed", order.pk)
        _pack_failed(order, _("An unexpected error stopped the build. Rebuild the pack."))
        raise
    with transaction.atomic():
        if not _still_building(order):  # another build of this request finished first
            order.pack.storage.delete(order.pack.name)
            order.refresh_from_db()
            return order
        order.pack_status, order.pack_error, order.pack_built_at = Order.PackStatus.READY, "", timezone.now()
        order.save(update_fields=["pack", "pack_status", "pack_error", "pack_built_at", "updated_at"])
        event_publish(type="pack.ready", data=pack_event_data(order))
    if previous and previous != order.pack.name:
        order.pack.storage.delete(previous)
    return order


def _still_building(order: Order) -> bool:
    """Lock the order's row (until the caller's transaction ends); True if its pack is `building`."""
    return (
        Order.objects.select_for_update().filter(pk=order.pk, pack_status=Order.PackStatus.BUILDING).exists()
    )


@transaction.atomic
def _pack_failed(order: Order, reason: str) -> Order:
    if not _still_building(order):  # another build of this request finished first: it stands
        order.refresh_from_db()
        return order
    order.pack_status, order.pack_error = Order.PackStatus.FAILED, reason
    order.save(update_fields=["pack_status", "pack_error", "updated_at"])
    return order


def pack_write(order: Order, target) -> None:
    """Write the pack's zip into the binary file `target`."""
    items = list(order.items.select_related("design", "product"))
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for number, item in enumerate(items, start=1):
            for name, asset in _print_files(item):
                with asset.file.open("rb") as file:
                    archive.writestr(f"{_item_folder(number, item)}/{name}", file.read())
        archive.writestr("order.json", json.dumps(order_event_data(order), indent=2, ensure_ascii=False))
        archive.writestr("order.pdf", summary_pdf(order, items))


def _item_folder(number: int, item: OrderItem) -> str:
    return f"items/{number}-{_safe(item.sku or 'item')}"


def _safe(name: str) -> str:
    return UNSAFE.sub("_", name).strip("._") or "file"


def _print_files(item: OrderItem) -> list[tuple[str, DesignAsset]]:
    """(`<view>.<ext>`, asset) for each print file of the item's design."""
    if item.design_id is None:
        return []
    assets = item.design.assets.filter(kind__in=PRINT_KINDS).select_related("view")
    return [
        (f"{_safe(asset.view.name)}{PurePosixPath(asset.file.name).suffix}", asset)
        for asset in assets.order_by("view__position", "view_id", "kind")
        if asset.view_id
    ]


# --- the PDF summary (A4 pages drawn with Pillow) ---------------------------------------------

PAGE = (1240, 1754)  # A4 at 150 DPI
MARGIN = 100
COLUMNS = (MARGIN, 760, 960, PAGE[0] - MARGIN)  # item's left edge; quantity, unit price, total's right edges
ITEM_WIDTH = COLUMNS[1] - MARGIN - 100


class _Pages:
    """Lines of text going down A4 pages; a new page when one is full.

    In the brand's font, with the bundled fallbacks for what it lacks (a Chinese address, say).
    """

    def __init__(self, font_key: str):
        self.fonts = {
            (size, bold): text_fonts(font_chain(font_path(font_key, bold=bold), bold=bold), size)
            for size in (22, 26, 40)
            for bold in (False, True)
        }
        self.pages: list[Image.Image] = []
        self._new_page()

    def _new_page(self) -> None:
        self.pages.append(Image.new("RGB", PAGE, "white"))
        self.draw = ImageDraw.Draw(self.pages[-1])
        self.y = MARGIN

    def text(
        self, text: str, *, x: int = MARGIN, size: int = 22, bold: bool = False, right=False, width=None
    ):
        font = self.fonts[size, bold]
        text = _fit(text, font, width or (x - MARGIN if right else PAGE[0] - MARGIN - x))
        font.draw(self.draw, (x, self.y), text, fill="black", anchor="ra" if right else "la")

    def down(self, height: int) -> None:
        self.y += height
        if self.y > PAGE[1] - MARGIN - height:
            self._new_page()

    def line(self, text: str = "", **options) -> None:
        self.text(text, **options)
        self.down(int(options.get("size", 22) * 1.5))

    def rule(self) -> None:
        self.draw.line((MARGIN, self.y, PAGE[0] - MARGIN, self.y), fill="#999999", width=2)
        self.down(14)


def _fit(text: str, font, width: int) -> str:
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _address_lines(address: dict) -> list[str]:
    city = " ".join(filter(None, [address.get("postal_code"), address.get("city")]))
    parts = ["name", "line1", "line2", None, "region", "country", "phone"]
    return [
        city if part is None else address.get(part, "") for part in parts if part is None or address.get(part)
    ]


def _item_row(pages: _Pages, item: OrderItem, currency: str) -> None:
    pages.text(item.title, width=ITEM_WIDTH)
    pages.text(str(item.quantity), x=COLUMNS[1], right=True)
    pages.text(money(item.unit_price, currency), x=COLUMNS[2], right=True)
    pages.text(money(item.total, currency), x=COLUMNS[3], right=True)
    pages.down(30)
    details = [item.sku, *(option["name"] for option in item.options)]
    if item.design_id:
        details.append(item.design.public_id)
    pages.line(" · ".join(filter(None, details)), width=ITEM_WIDTH)


def summary_pages(order: Order, items: list[OrderItem]) -> list[Image.Image]:
    pages = _Pages(order.brand.font if order.brand else "")
    pages.line(_("Order %(number)s") % {"number": order.reference}, size=40, bold=True)
    created = formats.date_format(timezone.localtime(order.created_at), "DATETIME_FORMAT")
    pages.line(f"{created} · {order.get_status_display()} · {order.get_source_display()}")
    if order.external_ref:
        pages.line(_("External reference: %(ref)s") % {"ref": order.external_ref})
    pages.down(20)
    pages.line(_("Customer"), size=26, bold=True)
    for text in filter(None, [order.customer_name, order.customer_email, order.customer_phone]):
        pages.line(text)
    pages.down(20)
    pages.line(_("Ship to"), size=26, bold=True)
    for text in _address_lines(order.shipping_address):
        pages.line(text)
    pages.down(20)
    for x, title in zip(COLUMNS, [_("Item"), _("Qty"), _("Unit price"), _("Total")], strict=True):
        pages.text(title, x=x, bold=True, right=x != MARGIN)
    pages.down(34)
    pages.rule()
    for item in items:
        _item_row(pages, item, order.currency)
    pages.rule()
    totals = [
        (_("Subtotal"), order.subtotal),
        (_("Shipping"), order.shipping_total),
        (_("Total"), order.total),
    ]
    for label, amount in totals:
        pages.text(label, x=COLUMNS[2], right=True, bold=label == totals[-1][0])
        pages.line(money(amount, order.currency), x=COLUMNS[3], right=True, bold=label == totals[-1][0])
    if order.note:
        pages.down(20)
        pages.line(_("Note"), size=26, bold=True)
        pages.line(order.note.replace("\n", " "))
    return pages.pages


def summary_pdf(order: Order, items: list[OrderItem]) -> bytes:
    """The summary as a PDF (one page, more for long orders)."""
    pages = summary_pages(order, items)
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=150)
    return out.getvalue()


def money(amount, currency: str) -> str:
    return f"{formats.number_format(amount, 2)} {currency}"
