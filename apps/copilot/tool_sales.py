"""Sales tools: KPIs, revenue per day, top products, orders and what blocks them, failed designs and
the design funnel — the dashboard home's and the Orders and Designs pages' own selectors — and
what sold best on the connected Shopify shop, read from Shopify's own API (apps/integrations)."""

from dataclasses import asdict
from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.analytics import selectors as analytics
from apps.billing.entitlements import feature_require
from apps.billing.models import Feature
from apps.core.markdown import md_escape
from apps.designs.models import Design
from apps.designs.selectors import design_list, design_thumbs
from apps.designs.signing import asset_url
from apps.integrations.errors import CredentialsInvalid, IntegrationNotFound, ShopUnreachable
from apps.integrations.models import Integration
from apps.integrations.selectors import integration_is_live
from apps.integrations.shop_stats import ShopSales, shopify_sales
from apps.orders.models import Order
from apps.orders.selectors import order_blockers, order_status_counts

from .tools import (
    PERIOD_ARGUMENTS,
    Source,
    ToolResult,
    analytics_source,
    figure,
    nullable,
    params,
    period_data,
    period_of,
    period_text,
    shown,
    tool,
)

KPI_LABELS = {
    "revenue": gettext_lazy("Revenue"),
    "orders": gettext_lazy("Orders"),
    "average_order": gettext_lazy("Average order"),
    "active_customers": gettext_lazy("Active customers (last 90 days)"),
    "designs": gettext_lazy("Designs"),
    "conversion": gettext_lazy("Conversion (orders per design)"),
    "ai_cost": gettext_lazy("AI cost"),
}
FAILED_SHOWN = 10
FUNNEL_ROWS_SHOWN = 10
BLOCKED_SHOWN = 10
TEXT_SHOWN = 200


def _unit(key: str, currency: str) -> str:
    return {
        "revenue": f" {currency}",
        "average_order": f" {currency}",
        "conversion": " %",
        "ai_cost": " USD",
    }.get(key, "")


def _change(change: str | None) -> str:
    if change is None:
        return _("no comparison")
    return f"{'' if change.startswith('-') else '+'}{change} %"


@tool(
    "kpis",
    label=gettext_lazy("Key figures"),
    description="The dashboard's key figures for a period and the previous period of the same length: "
    "revenue and average order (in the main currency), orders, active customers (90 days), designs, "
    "conversion (orders per design, %), AI cost (USD), each with its change in percent. Cancelled and "
    "refunded orders do not count.",
    parameters=params(**PERIOD_ARGUMENTS),
)
def kpis(arguments: dict) -> ToolResult:
    key, period = period_of(arguments)
    figures = analytics.kpis(period)
    currency = figures["currency"]
    items = {
        name: {"value": figure(kpi.value), "previous": figure(kpi.previous), "change": figure(kpi.change)}
        for name, kpi in figures["items"].items()
    }
    data = {
        "period": period_data(key, period),
        "currency": currency,
        "other_revenue": {code: figure(amount) for code, amount in figures["other_revenue"].items()},
        "kpis": items,
    }
    sources = [analytics_source(key, period)]
    when = period_text(data["period"])
    if (
        all(not kpi.value and not kpi.previous for kpi in figures["items"].values())
        and not data["other_revenue"]
    ):
        return ToolResult(
            data,
            _("No orders, designs or AI costs from %(when)s, nor in the period before.") % {"when": when},
            sources,
            empty=True,
        )
    lines = [
        _("**Key figures, %(when)s** (against the previous %(days)d days):")
        % {"when": when, "days": period.days}
    ]
    for name, item in items.items():
        unit = _unit(name, currency)
        value = shown(item["value"]) + (unit if item["value"] is not None else "")
        previous = shown(item["previous"]) + (unit if item["previous"] is not None else "")
        lines.append(
            _("- %(label)s: %(value)s (before: %(previous)s, %(change)s)")
            % {
                "label": KPI_LABELS[name],
                "value": value,
                "previous": previous,
                "change": _change(item["change"]),
            }
        )
    for code, amount in data["other_revenue"].items():
        lines.append(
            _("- Revenue in %(currency)s as well: %(amount)s") % {"currency": code, "amount": amount}
        )
    return ToolResult(data, "\n".join(lines), sources)


def _main_currency(period) -> str:
    """The currency the dashboard draws revenue in for `period` (its KPIs' currency)."""
    return analytics.main_currency(analytics.totals(period).revenue)


@tool(
    "revenue_series",
    label=gettext_lazy("Revenue per day"),
    description="Revenue (in the period's main currency) and orders (all currencies) for every day of a "
    "period, with the totals and the best day, as the dashboard's timeline chart.",
    parameters=params(**PERIOD_ARGUMENTS),
)
def revenue_series(arguments: dict) -> ToolResult:
    key, period = period_of(arguments)
    feature_require(Feature.ANALYTICS)
    currency = _main_currency(period)
    series = analytics.series(period, currency)
    days = [
        {"day": day, "revenue": revenue, "orders": orders}
        for day, revenue, orders in zip(series["days"], series["revenue"], series["orders"], strict=True)
    ]
    total_revenue = sum((Decimal(day["revenue"]) for day in days), Decimal("0.00"))
    data = {
        "period": period_data(key, period),
        "currency": currency,
        "days": days,
        "total_revenue": str(total_revenue),
        "total_orders": sum(day["orders"] for day in days),
    }
    sources = [analytics_source(key, period)]
    when = period_text(data["period"])
    if not data["total_orders"] and not total_revenue:
        return ToolResult(data, _("No orders from %(when)s.") % {"when": when}, sources, empty=True)
    best = max(days, key=lambda day: (Decimal(day["revenue"]), day["orders"]))
    data["best_day"] = best
    summary = [
        _("**Revenue per day, %(when)s**: %(revenue)s %(currency)s in all, %(orders)d orders.")
        % {
            "when": when,
            "revenue": data["total_revenue"],
            "currency": currency,
            "orders": data["total_orders"],
        },
        _("Best day: %(day)s, %(revenue)s %(currency)s from %(orders)d orders.")
        % {"day": best["day"], "revenue": best["revenue"], "currency": currency, "orders": best["orders"]},
    ]
    return ToolResult(data, "\n\n".join(summary), sources)


@tool(
    "top_products",
    label=gettext_lazy("Top products"),
    description="The period's best-selling products (at most 5, by units sold, then revenue in the main "
    "currency), as the dashboard's top products table: SKU, title, units, revenue.",
    parameters=params(**PERIOD_ARGUMENTS),
)
def top_products(arguments: dict) -> ToolResult:
    key, period = period_of(arguments)
    feature_require(Feature.ANALYTICS)
    currency = _main_currency(period)
    rows = [
        {"sku": row["sku"], "title": row["title"], "units": row["units"], "revenue": figure(row["revenue"])}
        for row in analytics.top_products(period, currency)
    ]
    data = {"period": period_data(key, period), "currency": currency, "products": rows}
    sources = [analytics_source(key, period)]
    when = period_text(data["period"])
    if not rows:
        return ToolResult(data, _("No products sold from %(when)s.") % {"when": when}, sources, empty=True)
    lines = [
        _("**Top products, %(when)s:**") % {"when": when},
        "",
        "| # | "
        + " | ".join([_("Product"), _("Units"), _("Revenue (%(currency)s)") % {"currency": currency}])
        + " |",
        "|---|---|---|---|",
    ]
    for rank, row in enumerate(rows, start=1):
        name = md_escape(row["title"] or row["sku"] or "—")
        lines.append(f"| {rank} | {name} | {row['units']} | {row['revenue']} |")
    return ToolResult(data, "\n".join(lines), sources)


@tool(
    "shop_sales",
    label=gettext_lazy("Sales by channel"),
    description="For a period: orders, revenue (main currency) and orders holding a design made with "
    "Luneo, per sales channel (widget, API, Shopify, WooCommerce: the orders the shops sent to Luneo); "
    "with `shop`, that shop's best-selling products too.",
    parameters=params(
        **PERIOD_ARGUMENTS,
        shop=nullable({"type": "string", "enum": [Order.Source.SHOPIFY, Order.Source.WOOCOMMERCE]}),
    ),
)
def shop_sales(arguments: dict) -> ToolResult:
    key, period = period_of(arguments)
    feature_require(Feature.ANALYTICS)
    currency, shop = _main_currency(period), arguments.get("shop")
    channels = [
        {**row, "revenue": figure(row["revenue"])} for row in analytics.sales_by_source(period, currency)
    ]
    products = [
        {"sku": row["sku"], "title": row["title"], "units": row["units"], "revenue": figure(row["revenue"])}
        for row in (analytics.top_products(period, currency, source=shop) if shop else [])
    ]
    data = {"period": period_data(key, period), "currency": currency, "channels": channels}
    data |= {"shop": shop, "shop_products": products}
    sources = [Source(_("Orders"), reverse("dashboard:orders:list")), analytics_source(key, period)]
    when = period_text(data["period"])
    if not channels:
        return ToolResult(data, _("No orders from %(when)s.") % {"when": when}, sources, empty=True)
    labels = dict(Order.Source.choices)
    lines = [_("**Sales by channel, %(when)s:**") % {"when": when}]
    lines += [
        _("- %(channel)s: %(orders)d orders, %(revenue)s %(currency)s, %(designed)d with a Luneo design")
        % {
            "channel": labels.get(row["source"], row["source"]),
            "orders": row["orders"],
            "revenue": row["revenue"],
            "currency": currency,
            "designed": row["with_designs"],
        }
        for row in channels
    ]
    if shop:
        lines.append("")
        if products:
            lines.append(_("Best sellers on %(shop)s:") % {"shop": labels[shop]})
            lines += [
                f"- {md_escape(p['title'] or p['sku'])}: {p['units']} × ({p['revenue']} {currency})"
                for p in products
            ]
        else:
            lines.append(_("No products sold on %(shop)s in this period.") % {"shop": labels[shop]})
    return ToolResult(data, "\n".join(lines), sources)


SHOPIFY_HISTORY_DAYS = 60  # what Shopify lists to an app without the read_all_orders scope


@tool(
    "shop_best_sellers",
    label=gettext_lazy("Best sellers on Shopify"),
    description="What sold best on the connected Shopify shop in a period, read from Shopify's own Admin "
    "API (every order of the shop, not only those sent to Luneo): orders and revenue (the shop's "
    "currency, cancelled orders left out), units sold and how many carried a Luneo design, and the 10 "
    "best-selling products (units, revenue, units with a Luneo design). Shopify only, not WooCommerce.",
    parameters=params(**PERIOD_ARGUMENTS),
)
def shop_best_sellers(arguments: dict) -> ToolResult:
    key, period = period_of(arguments)
    feature_require(Feature.INTEGRATIONS)
    data = {"period": period_data(key, period), "shop": Integration.Kind.SHOPIFY.value}
    sources = [Source(_("Integrations"), reverse("dashboard:integrations:list"))]
    try:
        sales = shopify_sales(start=period.start, end=period.end)
    except IntegrationNotFound:
        return _shopify_not_connected(data, sources)
    except (CredentialsInvalid, ShopUnreachable) as error:
        return _shopify_failed(data, sources, error)
    data |= {"connected": True, **_sales_data(sales)}
    if not data["orders"]:
        when = period_text(data["period"])
        return ToolResult(
            data, _("No orders on Shopify from %(when)s.") % {"when": when}, sources, empty=True
        )
    return ToolResult(data, _best_sellers_summary(data, period.start), sources)


def _sales_data(sales: ShopSales) -> dict:
    """The figures as `data` holds them: amounts as text."""
    products = [{**asdict(row), "revenue": figure(row.revenue)} for row in sales.products]
    return {**asdict(sales), "revenue": figure(sales.revenue), "products": products}


def _shopify_not_connected(data: dict, sources: list[Source]) -> ToolResult:
    woocommerce = integration_is_live(kind=Integration.Kind.WOOCOMMERCE)
    data |= {"connected": False, "woocommerce_connected": woocommerce}
    lines = [
        _(
            "No Shopify shop is connected to this workspace: connect one under Settings → Integrations "
            "to see what sells best on it."
        )
    ]
    if woocommerce:
        lines.append(
            _(
                "Only WooCommerce is connected, and best sellers are read from Shopify only: ask for "
                "sales by channel to see the orders WooCommerce sent to Luneo."
            )
        )
    return ToolResult(data, "\n\n".join(lines), sources, empty=True)


def _shopify_failed(
    data: dict, sources: list[Source], error: CredentialsInvalid | ShopUnreachable
) -> ToolResult:
    """What Shopify's refusal or failure means, as the answer (never a 500)."""
    data |= {"connected": True, "error": error.code}
    lines = [_("Shopify's figures could not be read: %(reason)s") % {"reason": error.message}]
    if isinstance(error, CredentialsInvalid):
        lines.append(
            _(
                "The Shopify app needs the `read_orders` scope as well as `read_products`: check its "
                "access token and scopes, then connect the shop again under Settings → Integrations."
            )
        )
    return ToolResult(data, "\n\n".join(lines), sources, empty=True)


def _best_sellers_summary(data: dict, start: date) -> str:
    currency = data["currency"]
    lines = [
        _("**Shopify, %(when)s**: %(orders)d orders, %(revenue)s %(currency)s (cancelled orders left out).")
        % {
            "when": period_text(data["period"]),
            "orders": data["orders"],
            "revenue": data["revenue"],
            "currency": currency,
        }
    ]
    if data["units"]:
        lines.append(
            _("Of the %(units)d units sold, %(designed)d (%(rate)s %%) carried a Luneo design.")
            % {
                "units": data["units"],
                "designed": data["designed_units"],
                "rate": _rate(data["designed_units"], data["units"]),
            }
        )
    if data["truncated"]:
        lines.append(
            _("Shopify has more orders in this period: these figures cover the first %(count)d orders only.")
            % {"count": data["orders"] + data["cancelled"]}
        )
    if start < timezone.now().date() - timedelta(days=SHOPIFY_HISTORY_DAYS):
        lines.append(
            _(
                "Shopify lists orders older than %(days)d days only to apps with the `read_all_orders` "
                "scope: without it, older orders are missing."
            )
            % {"days": SHOPIFY_HISTORY_DAYS}
        )
    return "\n\n".join([*lines, _best_sellers_table(data["products"], currency)])


def _best_sellers_table(products: list[dict], currency: str) -> str:
    header = [
        _("Product"),
        _("SKU"),
        _("Units"),
        _("With a Luneo design"),
        _("Revenue (%(currency)s)") % {"currency": currency},
    ]
    lines = ["| # | " + " | ".join(header) + " |", "|---|---|---|---|---|---|"]
    for rank, row in enumerate(products, start=1):
        name, sku = md_escape(row["title"] or row["sku"] or "—"), md_escape(row["sku"] or "—")
        lines.append(
            f"| {rank} | {name} | {sku} | {row['units']} | {row['designed_units']} | {row['revenue']} |"
        )
    return "\n".join(lines)


BLOCKER_LABELS = {
    "awaiting_payment": gettext_lazy("order requests awaiting payment"),
    "unpaid": gettext_lazy("other orders not paid yet"),
    "pack_failed": gettext_lazy("paid orders whose production pack failed"),
    "pack_not_built": gettext_lazy("paid orders whose production pack was never built"),
}


@tool(
    "orders_by_status",
    label=gettext_lazy("Orders by status"),
    description="How many orders the workspace has in each status (pending, paid, in production, shipped, "
    "delivered, cancelled, refunded), as the Orders page counts them, and what holds up open orders: "
    "order requests awaiting payment, other unpaid orders, production packs failed or never built, "
    f"with the {BLOCKED_SHOWN} most recent blocked orders.",
    parameters=params(),
)
def orders_by_status(arguments: dict) -> ToolResult:
    counts = order_status_counts()
    blockers = order_blockers(limit=BLOCKED_SHOWN)
    data = {
        "total": sum(counts.values()),
        "by_status": {status: counts.get(status, 0) for status in Order.Status.values},
        "blocked": blockers["counts"],
        "blocked_orders": [
            {
                "reference": order.reference,
                "number": order.number,
                "status": order.status,
                "blocker": order.blocker,
                "pack_error": order.pack_error[:TEXT_SHOWN],
                "created_at": figure(order.created_at),
            }
            for order in blockers["orders"]
        ],
    }
    orders_url = reverse("dashboard:orders:list")
    sources = [Source(_("Orders"), orders_url)]
    if not data["total"]:
        return ToolResult(data, _("No orders yet."), sources, empty=True)
    lines = [_("**Orders by status** (%(total)d in all):") % {"total": data["total"]}]
    lines += [
        f"- {label}: {data['by_status'][status]}"
        for status, label in Order.Status.choices
        if data["by_status"][status]
    ]
    if any(data["blocked"].values()):
        lines += ["", _("**What holds up open orders:**")]
        lines += [f"- {BLOCKER_LABELS[name]}: {count}" for name, count in data["blocked"].items() if count]
        lines += ["", _("Most recent blocked orders:")]
        for order in data["blocked_orders"]:
            reason = BLOCKER_LABELS[order["blocker"]]
            error = f" ({md_escape(order['pack_error'])})" if order["pack_error"] else ""
            lines.append(f"- {order['reference']}: {reason}{error}")
        if data["blocked"]["awaiting_payment"]:
            sources.append(Source(_("Orders awaiting payment"), f"{orders_url}?payment=awaiting"))
    else:
        lines += ["", _("No open order is held up.")]
    return ToolResult(data, "\n".join(lines), sources)


@tool(
    "failed_designs",
    label=gettext_lazy("Failed designs"),
    description="Designs that failed (an error in the pipeline) or were rejected (moderation) in a period: "
    f"the counts, and the {FAILED_SHOWN} most recent with their reason, prompt, product and a signed "
    "thumbnail link when one exists.",
    parameters=params(**PERIOD_ARGUMENTS),
)
def failed_designs(arguments: dict) -> ToolResult:
    key, period = period_of(arguments)
    low, high = period.bounds()
    statuses = analytics.designs_by_status(period)
    failed = (Design.Status.FAILED, Design.Status.REJECTED)
    designs = list(
        design_list()
        .filter(status__in=failed, created_at__gte=low, created_at__lt=high)
        .order_by("-created_at", "-pk")[:FAILED_SHOWN]
    )
    thumbs = design_thumbs([design.pk for design in designs])
    data = {
        "period": period_data(key, period),
        "failed": statuses.get(Design.Status.FAILED, 0),
        "rejected": statuses.get(Design.Status.REJECTED, 0),
        "designs": [
            {
                "id": design.public_id,
                "status": design.status,
                "reason_code": design.error_code,
                "reason": design.error_message[:TEXT_SHOWN],
                "prompt": design.prompt[:TEXT_SHOWN],
                "product": design.product.name,
                "created_at": figure(design.created_at),
                "thumbnail_url": asset_url(thumbs[design.pk]) if design.pk in thumbs else None,
            }
            for design in designs
        ],
    }
    designs_url = reverse("dashboard:designs")
    sources = [
        Source(_("Failed designs"), f"{designs_url}?status=failed"),
        Source(_("Rejected designs"), f"{designs_url}?status=rejected"),
    ]
    when = period_text(data["period"])
    if not data["failed"] and not data["rejected"]:
        return ToolResult(
            data, _("No failed or rejected designs from %(when)s.") % {"when": when}, sources, empty=True
        )
    lines = [
        _("**From %(when)s: %(failed)d failed and %(rejected)d rejected designs.** The most recent:")
        % {"when": when, "failed": data["failed"], "rejected": data["rejected"]}
    ]
    for row in data["designs"]:
        reason = md_escape(row["reason"] or row["reason_code"] or _("no reason recorded"))
        lines.append(
            _("- %(id)s (%(status)s, %(product)s): %(reason)s — “%(prompt)s”")
            % {
                "id": row["id"],
                "status": Design.Status(row["status"]).label,
                "product": md_escape(row["product"]),
                "reason": reason,
                "prompt": md_escape(row["prompt"]),
            }
        )
    shown_designs = [row["id"] for row in data["designs"] if row["thumbnail_url"]]
    return ToolResult(data, "\n".join(lines), sources, designs=shown_designs)


STEPS = ("prompts", "previews", "carts", "orders")
STEP_LABELS = {
    "prompts": gettext_lazy("Prompts"),
    "previews": gettext_lazy("Preview ready"),
    "carts": gettext_lazy("Added to cart"),
    "orders": gettext_lazy("Ordered"),
}


def _rate(part: int, whole: int) -> str | None:
    return str((Decimal(100) * part / whole).quantize(Decimal("0.1"))) if whole else None


@tool(
    "design_funnel",
    label=gettext_lazy("Design funnel"),
    description="The shoppers' funnel for designs made in the widget during a period: prompts → preview "
    "ready → added to cart → ordered, in total and per style or per product (`by`, style when null), "
    "with the rate of each step against prompts.",
    parameters=params(
        **PERIOD_ARGUMENTS,
        by=nullable(
            {"type": "string", "enum": ["style", "product"], "description": "Group rows by style or product."}
        ),
    ),
)
def design_funnel(arguments: dict) -> ToolResult:
    key, period = period_of(arguments)
    feature_require(Feature.ANALYTICS)
    by = arguments["by"] or "style"
    total, *rows = analytics.funnel(period, by)
    counts = {step: total[step] for step in STEPS}
    data = {
        "period": period_data(key, period),
        "by": by,
        "total": counts,
        "rates": {step: _rate(counts[step], counts["prompts"]) for step in STEPS[1:]},
        "rows": [
            {"label": row["label"], **{step: row[step] for step in STEPS}} for row in rows[:FUNNEL_ROWS_SHOWN]
        ],
    }
    sources = [analytics_source(key, period)]
    when = period_text(data["period"])
    if not counts["prompts"]:
        return ToolResult(
            data, _("No designs made in the widget from %(when)s.") % {"when": when}, sources, empty=True
        )
    steps = " → ".join(f"{STEP_LABELS[step]} {counts[step]}" for step in STEPS)
    lines = [_("**Design funnel, %(when)s:** %(steps)s.") % {"when": when, "steps": steps}]
    lines.append(
        _(
            "Of the prompts, %(previews)s %% reached a preview, %(carts)s %% the cart "
            "and %(orders)s %% an order."
        )
        % {name: data["rates"][name] for name in STEPS[1:]}
    )
    group = _("By style") if by == "style" else _("By product")
    lines += ["", f"**{group}:**"]
    for row in data["rows"]:
        label = md_escape(row["label"] or _("No style"))
        lines.append(f"- {label}: " + " → ".join(str(row[step]) for step in STEPS))
    return ToolResult(data, "\n".join(lines), sources)
