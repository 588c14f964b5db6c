"""The period's figures as files: KPIs and orders as CSV, and a PDF report (ReportLab).

Text follows the active language; numbers and dates are written in its format in the PDF and
plainly (ISO dates, dot decimals) in the CSV, which spreadsheets and scripts read back.
"""

import io
from decimal import Decimal
from itertools import chain

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from apps.brands.fonts import DEFAULT_FONT, font_path
from apps.core.csv_export import csv_text
from apps.core.fonts import pdf_font
from apps.core.pdf import paragraph

from . import selectors
from .selectors import Period

KPI_LABELS = {
    "revenue": gettext_lazy("Revenue"),
    "orders": gettext_lazy("Orders"),
    "average_order": gettext_lazy("Average order value"),
    "active_customers": gettext_lazy("Active customers"),
    "designs": gettext_lazy("Designs created"),
    "conversion": gettext_lazy("Conversion (orders ÷ designs)"),
    "ai_cost": gettext_lazy("AI cost (USD)"),
}


def kpi_label(key: str) -> str:
    return str(KPI_LABELS[key])


# --- CSV ---------------------------------------------------------------------------------


def kpis_csv(period: Period) -> str:
    figures = selectors.kpis(period)
    money = {"revenue", "average_order"}
    rows = [["kpi", "label", "value", "previous", "change_percent", "currency", "start", "end"]]
    for key, kpi in figures["items"].items():
        currency = figures["currency"] if key in money else ("USD" if key == "ai_cost" else "")
        rows.append(
            [key, kpi_label(key), kpi.value, kpi.previous, kpi.change, currency]
            + [period.start.isoformat(), period.end.isoformat()]
        )
    return csv_text(rows)


ORDER_COLUMNS = [
    "number", "created_at", "status", "source", "customer_email", "customer_name", "items",
    "currency", "subtotal", "shipping_total", "total", "external_ref",
]  # fmt: skip


def orders_csv(period: Period) -> str:
    orders = selectors.orders_for_export(period).iterator()
    return csv_text(chain([ORDER_COLUMNS], map(_order_row, orders)))


def _order_row(order) -> list:
    return [
        order.reference,
        order.created_at.isoformat(),
        order.status,
        order.source,
        order.customer_email,
        order.customer_name,
        order.items_count or 0,
        order.currency,
        order.subtotal,
        order.shipping_total,
        order.total,
        order.external_ref,
    ]


# --- PDF ---------------------------------------------------------------------------------

MARGIN = 18 * mm
NUMBER_COLUMN = 30 * mm  # each table's columns after the first (figures, right-aligned)


def _fonts() -> tuple[str, str]:
    """(regular, bold): DejaVu Sans, embedded, with the bundled fallbacks for Chinese and the rest."""
    return pdf_font(font_path(DEFAULT_FONT)), pdf_font(font_path(DEFAULT_FONT, bold=True), bold=True)


def _number(value, decimals: int = 0) -> str:
    if value is None:
        return "—"
    return formats.number_format(value, decimals, use_l10n=True, force_grouping=True)


def _change(kpi) -> str:
    return "—" if kpi.change is None else f"{'+' if kpi.change > 0 else ''}{_number(kpi.change, 1)} %"


def report_title(workspace: str, period: Period) -> str:
    return _("%(workspace)s — report from %(start)s to %(end)s") % {
        "workspace": workspace,
        "start": formats.date_format(period.start, "SHORT_DATE_FORMAT"),
        "end": formats.date_format(period.end, "SHORT_DATE_FORMAT"),
    }


def report_pdf(*, workspace: str, period: Period) -> bytes:
    """KPIs against the previous period, revenue per day, top products and the funnel."""
    data = selectors.dashboard(period)
    regular, bold = _fonts()
    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        style.fontName = bold if style.name.startswith("Heading") or style.name == "Title" else regular
    title = report_title(workspace, period)
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out, pagesize=A4, title=title, author="Luneo", leftMargin=MARGIN, rightMargin=MARGIN
    )
    story = [paragraph(title, styles["Title"]), Spacer(1, 4 * mm)]
    story += _kpi_table(data["kpis"], regular, bold)
    story += [
        Spacer(1, 6 * mm),
        paragraph(_("Revenue per day"), styles["Heading2"]),
        _revenue_chart(data, regular),
    ]
    story += [Spacer(1, 6 * mm), paragraph(_("Top products"), styles["Heading2"])]
    story += _table(
        [[_("Product"), _("Units"), _("Revenue")]]
        + [[row["title"], _number(row["units"]), _number(row["revenue"], 2)] for row in data["top_products"]],
        regular,
        bold,
    )
    story += [Spacer(1, 6 * mm), paragraph(_("Design funnel (widget)"), styles["Heading2"])]
    story += _table(
        [[_("Style"), _("Prompts"), _("Previews"), _("Added to cart"), _("Orders")]]
        + [
            [row["label"] or _("All"), row["prompts"], row["previews"], row["carts"], row["orders"]]
            for row in data["funnel_by_style"]
        ],
        regular,
        bold,
    )
    document.build(story)
    return out.getvalue()


def _kpi_table(figures: dict, regular: str, bold: str) -> list:
    currency = figures["currency"]
    rows = [[_("Indicator"), _("This period"), _("Previous period"), _("Change")]]
    for key, kpi in figures["items"].items():
        decimals = 2 if key in ("revenue", "average_order", "ai_cost") else (1 if key == "conversion" else 0)
        label = f"{kpi_label(key)} ({currency})" if key in ("revenue", "average_order") else kpi_label(key)
        rows.append([label, _number(kpi.value, decimals), _number(kpi.previous, decimals), _change(kpi)])
    return _table(rows, regular, bold)


def _table(rows: list[list], regular: str, bold: str) -> list:
    """Cells as paragraphs (a product title may be in any script): header bold, figures right-aligned."""
    if len(rows) == 1:
        rows = [*rows, [_("Nothing in this period.")] + [""] * (len(rows[0]) - 1)]
    styles = {
        (header, figure): ParagraphStyle(
            f"cell-{header}-{figure}",
            fontName=bold if header else regular,
            fontSize=9,
            leading=11,
            alignment=TA_RIGHT if figure else TA_LEFT,
        )
        for header in (False, True)
        for figure in (False, True)
    }
    cells = [
        [paragraph(cell, styles[number == 0, column > 0]) for column, cell in enumerate(row)]
        for number, row in enumerate(rows)
    ]
    figures = len(rows[0]) - 1
    widths = [A4[0] - 2 * MARGIN - figures * NUMBER_COLUMN] + [NUMBER_COLUMN] * figures
    table = Table(cells, colWidths=widths, hAlign="LEFT", repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F3F4F8")]),
            ]
        )
    )
    return [table]


def _revenue_chart(data: dict, font: str) -> Drawing:
    values = [float(Decimal(value)) for value in data["series"]["revenue"]] or [0.0]
    drawing = Drawing(170 * mm, 55 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 8 * mm, 150 * mm, 42 * mm
    chart.data = [values]
    chart.bars[0].fillColor = colors.HexColor("#6366F1")
    chart.valueAxis.valueMin = 0
    chart.categoryAxis.categoryNames = [
        day[5:] if index % 7 == 0 else "" for index, day in enumerate(data["series"]["days"])
    ]
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 6
    chart.valueAxis.labels.fontSize = 7
    drawing.add(chart)
    return drawing
