"""Customer tools: RFM segments, at-risk customers, one customer's 360 view, campaigns and data
health — the Customers, Campaigns and Data health pages' own selectors."""

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.campaigns.selectors import campaign_list, campaign_progress, campaign_revenue
from apps.core.markdown import md_escape
from apps.crm.etl.selectors import import_list
from apps.crm.health import health_metrics
from apps.crm.models.scores import Segment
from apps.crm.scoring.customers import customer_list as customer_find
from apps.crm.scoring.customers import segment_summary
from apps.crm.selectors import customer_360 as customer_view
from apps.crm.selectors import customer_list

from .tools import Source, ToolResult, figure, nullable, params, shown, tool

AT_RISK_SHOWN = 20
AT_RISK_SEGMENTS = ["at_risk", "cant_lose", "about_to_sleep", "need_attention", "hibernating"]
ORDERS_SHOWN = 5
RECOMMENDATIONS_SHOWN = 5
CAMPAIGNS_SHOWN = 5
IMPORTS_SHOWN = 5
CONSENT = {True: "yes", False: "no", None: "unknown"}
CONSENT_LABELS = {
    "yes": gettext_lazy("given"),
    "no": gettext_lazy("refused"),
    "unknown": gettext_lazy("unknown"),
}


def _customers_url(**query) -> str:
    suffix = "&".join(f"{key}={value}" for key, value in query.items())
    return reverse("dashboard:crm:customers") + (f"?{suffix}" if suffix else "")


@tool(
    "segments",
    label=gettext_lazy("Customer segments"),
    description="Every RFM segment of the customer base as of the last score refresh: customers, share of "
    "the base, their net purchases (monetary) and mean days since their last purchase; plus how many "
    "customers left a finished design unordered.",
    parameters=params(),
)
def segments(arguments: dict) -> ToolResult:
    summary = segment_summary()
    data = {
        "as_of": figure(summary["as_of"]),
        "customers": summary["customers"],
        "design_abandoned": summary["design_abandoned"],
        "segments": [
            {
                "segment": row["segment"],
                "label": row["label"],
                "customers": row["customers"],
                "share": row["share"],
                "monetary": str(row["monetary"]),
                "recency_days": round(row["recency_days"], 1) if row["recency_days"] is not None else None,
            }
            for row in summary["results"]
        ],
    }
    sources = [Source(_("Customers"), _customers_url())]
    if not data["customers"]:
        return ToolResult(data, _("No customer has an RFM segment yet."), sources, empty=True)
    lines = [
        _("**Segments as of %(as_of)s** (%(customers)d customers scored):")
        % {"as_of": shown(data["as_of"]), "customers": data["customers"]},
        "",
        "| "
        + " | ".join([_("Segment"), _("Customers"), _("Net purchases"), _("Mean days since last purchase")])
        + " |",
        "|---|---|---|---|",
    ]
    for row in data["segments"]:
        if row["customers"]:
            lines.append(
                f"| {row['label']} | {row['customers']} | {row['monetary']} | {shown(row['recency_days'])} |"
            )
    if data["design_abandoned"]:
        lines += [
            "",
            _("%(count)d customers left a finished design unordered.") % {"count": data["design_abandoned"]},
        ]
    return ToolResult(data, "\n".join(lines), sources)


@tool(
    "at_risk_customers",
    label=gettext_lazy("At-risk customers"),
    description="Customers of an RFM segment at risk of leaving (at_risk when null), most valuable "
    f"first, at most {AT_RISK_SHOWN}: name and e-mail as the Customers page shows them, net purchases, "
    "days since their last purchase, last purchase date and e-mail consent; with the segment's total count.",
    parameters=params(
        segment=nullable({"type": "string", "enum": AT_RISK_SEGMENTS, "description": "The RFM segment."}),
    ),
)
def at_risk_customers(arguments: dict) -> ToolResult:
    segment = arguments["segment"] or "at_risk"
    customers = customer_list(segment=segment, sort="-monetary")
    rows = list(customers[:AT_RISK_SHOWN])
    data = {
        "segment": segment,
        "label": str(Segment(segment).label),
        "count": customers.count() if len(rows) == AT_RISK_SHOWN else len(rows),
        "customers": [
            {
                "id": customer.pk,
                "name": str(customer),
                "email": customer.email,
                "monetary": figure(customer.score.monetary),
                "recency_days": customer.score.recency_days,
                "last_purchase": figure(customer.last_purchase),
                "consent": CONSENT[customer.marketing_consent],
            }
            for customer in rows
        ],
    }
    sources = [
        Source(
            _("Customers: %(segment)s") % {"segment": data["label"]},
            _customers_url(segment=segment, sort="-monetary"),
        )
    ]
    if not rows:
        return ToolResult(
            data,
            _("No customers in the segment %(segment)s.") % {"segment": data["label"]},
            sources,
            empty=True,
        )
    lines = [
        _("**%(segment)s: %(count)d customers**, most valuable first:")
        % {"segment": data["label"], "count": data["count"]}
    ]
    for row in data["customers"]:
        lines.append(
            _("- %(name)s (%(email)s): %(monetary)s net, last purchase %(last)s (%(days)s days ago)")
            % {
                "name": md_escape(row["name"]),
                "email": md_escape(row["email"] or "—"),
                "monetary": row["monetary"],
                "last": shown(row["last_purchase"]),
                "days": shown(row["recency_days"]),
            }
        )
    return ToolResult(data, "\n".join(lines), sources)


def _customer_find(text: str):
    """The customer `text` names: an id (`12`, `#12`), an e-mail (normalised), or a client code."""
    text = text.strip()
    if text.lstrip("#").isdigit() and len(text) < 12:
        found = customer_find().filter(pk=int(text.lstrip("#"))).first()
        if found is not None:
            return found
    if "@" in text:
        return customer_find(email=text).order_by("pk").first()
    return customer_find(external_id=text).order_by("pk").first() if text else None


@tool(
    "customer_360",
    label=gettext_lazy("Customer profile"),
    description="One customer, found by id, e-mail or client code: identity, RFM segment and scores, e-mail "
    "consent, Luneo orders (count, totals per currency, the latest), ERP sales (documents, returns, net "
    "total), abandoned designs, what their designs say they like, and product recommendations with "
    "their reason.",
    parameters=params(
        customer={
            "type": "string",
            "maxLength": 254,
            "description": "The customer's id, e-mail or client code.",
        }
    ),
)
def customer_360(arguments: dict) -> ToolResult:
    asked = arguments["customer"]
    found = _customer_find(asked)
    view = customer_view(customer_id=found.pk) if found is not None else None
    if view is None:
        data = {"customer": None, "asked": asked[:254]}
        return ToolResult(
            data,
            _("No customer matches “%(customer)s”.") % {"customer": md_escape(asked[:254])},
            [Source(_("Customers"), _customers_url())],
            empty=True,
        )
    customer = view.customer
    score = getattr(customer, "score", None)
    totals: dict[str, Decimal] = {}
    for order in view.orders:
        totals[order.currency] = totals.get(order.currency, Decimal(0)) + order.total
    data = {
        "customer": {
            "id": customer.pk,
            "name": str(customer),
            "email": customer.email,
            "client_code": customer.external_id,
            "city": customer.city,
            "country": customer.country,
            "consent": CONSENT[customer.marketing_consent],
        },
        "segment": score.segment if score else None,
        "segment_label": str(Segment(score.segment).label) if score and score.segment else None,
        "rfm": (
            {
                "recency_days": score.recency_days,
                "frequency": score.frequency,
                "monetary": figure(score.monetary),
                "p_alive": score.p_alive,
                "expected_purchases": score.expected_purchases,
            }
            if score
            else None
        ),
        "orders": {
            "count": len(view.orders),
            "totals": {currency: figure(amount) for currency, amount in sorted(totals.items())},
            "latest": [
                {
                    "reference": order.reference,
                    "status": order.status,
                    "total": figure(order.total),
                    "currency": order.currency,
                    "created_at": figure(order.created_at),
                }
                for order in view.orders[:ORDERS_SHOWN]
            ],
        },
        "sales": {
            "documents": view.sales_count,
            "returns": view.returns_count,
            "net_total": figure(view.net_total),
        },
        "designs_ordered": len(view.designs),
        "designs_abandoned": len(view.abandoned),
        "likes": list(view.affinity.likes),
        "recommendations": [
            {"item": str(recommendation.item), "kind": recommendation.kind, "reason": reason}
            for recommendation, reason in view.recommendations[:RECOMMENDATIONS_SHOWN]
        ],
    }
    sources = [Source(_("Customer"), reverse("dashboard:crm:detail", args=[customer.pk]))]
    who = data["customer"]
    lines = [
        f"**{md_escape(who['name'])}** ({md_escape(who['email'] or '—')})",
        _("- Segment: %(segment)s") % {"segment": data["segment_label"] or _("not scored")},
        _("- E-mail consent: %(consent)s") % {"consent": CONSENT_LABELS[who["consent"]]},
        _("- Luneo orders: %(count)d") % {"count": data["orders"]["count"]}
        + "".join(f", {amount} {currency}" for currency, amount in data["orders"]["totals"].items()),
        _("- ERP sales: %(documents)d documents, %(returns)d returns, %(net)s net")
        % {
            "documents": data["sales"]["documents"],
            "returns": data["sales"]["returns"],
            "net": data["sales"]["net_total"],
        },
    ]
    if data["designs_abandoned"]:
        lines.append(_("- Finished designs left unordered: %(count)d") % {"count": data["designs_abandoned"]})
    if data["likes"]:
        lines.append(
            _("- Likes: %(likes)s") % {"likes": ", ".join(md_escape(like) for like in data["likes"])}
        )
    if data["recommendations"]:
        lines.append(_("- Recommended:"))
        lines += [
            f"  - {md_escape(row['item'])}: {md_escape(row['reason'])}" for row in data["recommendations"]
        ]
    return ToolResult(data, "\n".join(lines), sources)


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@tool(
    "campaign_stats",
    label=gettext_lazy("Campaign results"),
    description=f"The {CAMPAIGNS_SHOWN} most recent e-mail campaigns (automations aside): status, "
    "recipients, sent, delivered, opened, clicked, bounced, unsubscribed, open and click rates (of sent), "
    "and the orders and revenue attributed to them (orders within the attribution window after a click).",
    parameters=params(),
)
def campaign_stats(arguments: dict) -> ToolResult:
    rows = []
    for campaign in campaign_list()[:CAMPAIGNS_SHOWN]:
        progress, revenue = campaign_progress(campaign), campaign_revenue(campaign)
        funnel = progress.funnel
        rows.append(
            {
                "id": campaign.pk,
                "name": campaign.name,
                "status": campaign.status,
                "created_at": figure(campaign.created_at),
                "recipients": progress.total,
                **funnel,
                "open_rate": _rate(funnel["opened"], funnel["sent"]),
                "click_rate": _rate(funnel["clicked"], funnel["sent"]),
                "orders": revenue.orders,
                "revenue": {
                    currency: figure(amount) for currency, amount in sorted(revenue.by_currency.items())
                },
            }
        )
    data = {"campaigns": rows}
    sources = [Source(_("Campaigns"), reverse("dashboard:campaigns:list"))]
    if not rows:
        return ToolResult(data, _("No campaigns yet."), sources, empty=True)
    lines = [_("**The latest campaigns:**")]
    for row in rows:
        sources.append(Source(row["name"], reverse("dashboard:campaigns:detail", args=[row["id"]])))
        money = ", ".join(f"{amount} {currency}" for currency, amount in row["revenue"].items()) or "0"
        lines.append(
            _(
                "- %(name)s (%(status)s): %(sent)d sent of %(recipients)d, %(opened)d opened, %(clicked)d "
                "clicked, %(orders)d orders for %(revenue)s"
            )
            % {**row, "name": md_escape(row["name"]), "revenue": money}
        )
    return ToolResult(data, "\n".join(lines), sources)


@tool(
    "data_health",
    label=gettext_lazy("Data health"),
    description=f"The customer base's data health as the Data health page shows it (customers, completeness "
    "of each field in %, shared e-mails, similar names, customers without sales, products never sold, "
    f"margins above price, future dates) and the {IMPORTS_SHOWN} latest imports with their counts.",
    parameters=params(),
)
def data_health(arguments: dict) -> ToolResult:
    metrics = health_metrics()
    imports = [
        {
            "id": str(run.uuid),
            "file": run.original_name,
            "kind": run.kind,
            "status": run.status,
            "created_at": figure(run.created_at),
            "rows_read": run.rows_read,
            "created": run.created,
            "updated": run.updated,
            "unchanged": run.unchanged,
            "rejected": run.rejected,
            "error": run.error[:200],
        }
        for run in import_list()[:IMPORTS_SHOWN]
    ]
    data = {**metrics, "imports": imports}
    sources = [
        Source(_("Data health"), reverse("dashboard:crm_imports:health")),
        Source(_("Imports"), reverse("dashboard:crm_imports:list")),
    ]
    if not metrics["customers"] and not imports:
        return ToolResult(data, _("No customers and no imports yet."), sources, empty=True)
    lines = [
        _("**Data health:** %(customers)d customers.") % {"customers": metrics["customers"]},
        _("- Completeness: %(fields)s")
        % {"fields": ", ".join(f"{name} {percent} %" for name, percent in metrics["completeness"].items())},
        _("- Shared e-mails: %(count)d") % {"count": metrics["duplicate_emails"]},
        _("- Similar names: %(count)d") % {"count": metrics["similar_names"]},
        _("- Customers without sales: %(count)d") % {"count": metrics["customers_without_sales"]},
        _("- Products never sold: %(count)d") % {"count": metrics["products_never_sold"]},
        _("- Margin above price: %(count)d") % {"count": metrics["margin_above_price"]},
        _("- Future dates: %(count)d") % {"count": metrics["future_dates"]},
    ]
    if imports:
        lines += ["", _("**Latest imports:**")]
        lines += [
            _(
                "- %(file)s (%(status)s, %(created_at)s): %(rows_read)d rows, %(created)d created, "
                "%(updated)d updated, %(rejected)d rejected"
            )
            % {**row, "file": md_escape(row["file"])}
            for row in imports
        ]
    return ToolResult(data, "\n".join(lines), sources)
