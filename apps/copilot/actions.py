"""What the copilot may do, never on its own: each action is proposed as a card (a PendingAction)
and runs only when its owner confirms it, with their role checked again at that moment, through
the owning app's services (whose writes the audit log records).

An action's arguments are checked when it is proposed (a strict schema, the same checks as the
tools') and its card says, in the person's language, exactly what will happen.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.campaigns.services import audience_save, campaign_draft_make
from apps.core.errors import ApplicationError, ValidationFailed
from apps.core.markdown import md_escape
from apps.crm.models.scores import Segment
from apps.designs.errors import DesignNotRetryable
from apps.designs.models import Design, DesignAsset
from apps.designs.selectors import design_list, design_thumb_urls
from apps.designs.services import design_correction_check, design_retry, design_text_correct
from apps.designs.signing import correction_preview_url
from apps.orders.pack import order_pack_request
from apps.orders.selectors import order_get, order_number_parse
from apps.planner.services import scenario_create
from apps.tenants.models import Role

from .models import PendingAction
from .tools import arguments_check, params

RETRY_DAYS = 7
RETRY_MAX = 50
TEXT = {"type": "string"}


@dataclass(frozen=True)
class Done:
    text: str  # Markdown: what was done
    url: str = ""  # where to see it


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    description: str  # English, for the model
    parameters: dict  # strict JSON schema
    describe: Callable[[dict], str]  # the card: what confirming will do
    run: Callable[[dict, int | None], Done]
    role: str = Role.EDITOR
    # Images the card shows while it waits ([{"label", "url"}]): signed links made each time the
    # card is shown (never stored: they expire). Raising ApplicationError shows none.
    images: Callable[[dict], list[dict]] | None = None


# --- the actions ---------------------------------------------------------------------------------


def _campaign_describe(arguments: dict) -> str:
    return _(
        "Create a **draft** campaign for the “%(segment)s” segment about: %(topic)s. Nothing is sent."
    ) % {
        "segment": Segment(arguments["segment"]).label,
        "topic": md_escape(arguments["topic"]),
    }


def _campaign_run(arguments: dict, user_id: int | None) -> Done:
    segment, topic = Segment(arguments["segment"]), arguments["topic"][:200]
    name = f"{segment.label} — {topic}"[:120]
    audience = audience_save(name=name, rules={"segments": [segment.value]}, user_id=user_id)
    campaign = campaign_draft_make(name=name, audience=audience, heading=topic, text=topic, user_id=user_id)
    done = _("Draft campaign **%(name)s** created: review it before sending.") % {"name": md_escape(name)}
    return Done(done, reverse("dashboard:campaigns:detail", args=[campaign.pk]))


def _scenario_describe(arguments: dict) -> str:
    return _("Create the marketing scenario **%(name)s** (theme: %(theme)s).") % {
        "name": md_escape(arguments["name"]),
        "theme": md_escape(arguments["theme"] or "—"),
    }


def _scenario_run(arguments: dict, user_id: int | None) -> Done:
    scenario = scenario_create(name=arguments["name"], theme=arguments["theme"] or "", user_id=user_id)
    done = _("Scenario **%(name)s** created.") % {"name": md_escape(scenario.name)}
    return Done(done, reverse("dashboard:planner:detail", args=[scenario.pk]))


def _failed_recently():
    since = timezone.now() - timedelta(days=RETRY_DAYS)
    return design_list(status=Design.Status.FAILED, created_after=since).order_by("-created_at")[:RETRY_MAX]


def _retry_describe(arguments: dict) -> str:
    count = len(_failed_recently())
    return _("Retry the %(count)d designs that failed in the last %(days)d days (at most %(max)d).") % {
        "count": count,
        "days": RETRY_DAYS,
        "max": RETRY_MAX,
    }


def _retry_run(arguments: dict, user_id: int | None) -> Done:
    retried = 0
    for design in _failed_recently():
        try:
            design_retry(design=design)
        except DesignNotRetryable:  # it changed since: retried by someone else, or cancelled
            continue
        retried += 1
    done = _("%(count)d failed designs are queued again.") % {"count": retried}
    return Done(done, reverse("dashboard:designs") + "?status=queued")


REPORTS = {"kpis": "dashboard:analytics:export-kpis", "orders": "dashboard:analytics:export-orders"}
REPORTS["report"] = "dashboard:analytics:export-report"
PERIODS = {"7d": 7, "30d": 30, "90d": 90}


def _report_describe(arguments: dict) -> str:
    return _("Export the %(kind)s report for the last %(days)d days.") % {
        "kind": {"kpis": _("key figures (CSV)"), "orders": _("orders (CSV)"), "report": _("summary (PDF)")}[
            arguments["kind"]
        ],
        "days": PERIODS[arguments["period"]],
    }


def _report_run(arguments: dict, user_id: int | None) -> Done:
    url = f"{reverse(REPORTS[arguments['kind']])}?period={PERIODS[arguments['period']]}"
    return Done(_("Your report is ready: download it with the link below."), url)


def _pack_order(arguments: dict):
    order = order_get(number=order_number_parse(arguments["order"]) or 0)
    if order is None:
        raise ValidationFailed(details={"order": [_("No order has this number.")]})
    return order


def _pack_describe(arguments: dict) -> str:
    return _("Build (again) the production pack of order %(order)s: print files and summary, as a zip.") % {
        "order": md_escape(_pack_order(arguments).reference)
    }


def _pack_run(arguments: dict, user_id: int | None) -> Done:
    order = order_pack_request(order=_pack_order(arguments))
    done = _("The production pack of order %(order)s is being built.") % {"order": md_escape(order.reference)}
    return Done(done, reverse("dashboard:orders:detail", args=[order.number]))


ACTIONS = {
    action.name: action
    for action in (
        Action(
            "create_campaign_draft",
            gettext_lazy("Create a campaign draft"),
            "Propose a draft e-mail campaign for one RFM segment about a topic (never sent without review).",
            params(segment={"type": "string", "enum": list(Segment.values)}, topic={**TEXT}),
            _campaign_describe,
            _campaign_run,
        ),
        Action(
            "create_scenario",
            gettext_lazy("Create a marketing scenario"),
            "Propose a new marketing scenario (a plan to build in the marketing planner).",
            params(name={**TEXT}, theme={"type": ["string", "null"]}),
            _scenario_describe,
            _scenario_run,
        ),
        Action(
            "retry_failed_designs",
            gettext_lazy("Retry failed designs"),
            f"Propose to retry the designs that failed in the last {RETRY_DAYS} days.",
            params(),
            _retry_describe,
            _retry_run,
        ),
        Action(
            "export_report",
            gettext_lazy("Export a report"),
            "Propose a report to download: key figures or orders (CSV), or a summary (PDF), for a period.",
            params(
                kind={"type": "string", "enum": list(REPORTS)},
                period={"type": "string", "enum": list(PERIODS)},
            ),
            _report_describe,
            _report_run,
            role=Role.VIEWER,
        ),
        Action(
            "build_production_pack",
            gettext_lazy("Build a production pack"),
            "Propose to build (again) the production pack (print files and summary) of one order, by number.",
            params(order={**TEXT}),
            _pack_describe,
            _pack_run,
        ),
    )
}


def action_images(action: PendingAction) -> list[dict]:
    """The images a proposed action's card shows now (none once it is decided, or when what they
    show is gone)."""
    definition = ACTIONS.get(action.kind)
    if action.status != PendingAction.Status.PROPOSED or definition is None or definition.images is None:
        return []
    try:
        return definition.images(action.arguments)
    except ApplicationError:
        return []


def action_check(name: str, arguments: dict) -> Action:
    """The action `name` with `arguments` checked against its schema (ValidationFailed if not)."""
    action = ACTIONS.get(name)
    if action is None:
        raise ValidationFailed(details={"action": [_("Unknown action.")]})
    arguments_check(action.parameters, arguments)
    return action


# --- connectors: Notion (apps/copilot/connectors) -------------------------------------------------


def _notion_describe(arguments: dict) -> str:
    from .connectors.services import export_title, notion_parent

    parent = notion_parent()  # NotConnected: no card
    return _("Create the Notion page **%(title)s** under the page %(parent)s.") % {
        "title": md_escape(export_title(what=arguments["what"], pk=arguments["id"])),
        "parent": f"`{parent}`",
    }


def _notion_run(arguments: dict, user_id: int | None) -> Done:
    from .connectors.services import notion_export

    page = notion_export(what=arguments["what"], pk=arguments["id"], user_id=user_id)
    return Done(_("Notion page **%(title)s** created.") % {"title": md_escape(page["title"])}, page["url"])


ACTIONS["export_to_notion"] = Action(
    "export_to_notion",
    gettext_lazy("Export to Notion"),
    "Propose to export one of the person's copilot conversations, or a marketing scenario's current plan, "
    "as a new Notion page under the workspace's default Notion page.",
    params(what={"type": "string", "enum": ["conversation", "plan"]}, id={"type": "integer"}),
    _notion_describe,
    _notion_run,
)


# --- connectors: WhatsApp design proof (apps/copilot/connectors/proofs.py) -----------------------


def _proof_describe(arguments: dict) -> str:
    from .connectors.proofs import proof_prepare
    from .connectors.whatsapp import phone_mask

    proof = proof_prepare(order=arguments["order"])  # refused: no card, the answer says why
    designs = "; ".join(
        f"{md_escape(title)} — “{md_escape(prompt[:80])}”" if prompt else md_escape(title)
        for title, prompt in proof.designs
    )
    return _(
        "Send the proof of order **%(order)s** to %(name)s (%(phone)s) on WhatsApp with the approved "
        "template design_proof, with a link to the preview of the design: %(designs)s. Their answer "
        "(yes or no) is recorded on the order."
    ) % {
        "order": md_escape(proof.order.reference),
        "name": md_escape(proof.customer.first_name or proof.order.customer_name),
        "phone": phone_mask(proof.customer.phone),
        "designs": designs,
    }


def _proof_run(arguments: dict, user_id: int | None) -> Done:
    from .connectors.proofs import proof_prepare, proof_send

    proof = proof_prepare(order=arguments["order"])  # checked again: things may have changed
    proof_send(proof=proof)
    done = _(
        "The proof of order %(order)s is sent on WhatsApp: the customer's answer will show on the order."
    )
    return Done(
        done % {"order": md_escape(proof.order.reference)},
        reverse("dashboard:orders:detail", args=[proof.order.number]),
    )


ACTIONS["send_design_proof"] = Action(
    "send_design_proof",
    gettext_lazy("Send a design proof on WhatsApp"),
    "Propose to send the customer of one order (by number) a proof of their order's design on WhatsApp, "
    "with a link to its preview; their yes or no is recorded on the order.",
    params(order={**TEXT}),
    _proof_describe,
    _proof_run,
)


# --- confirmed reprint: a typo on an ordered design -----------------------------------------------


def _reprint_target(arguments: dict) -> tuple:
    """The order and its (first) design whose text holds `wrong`; ValidationFailed otherwise."""
    order, wrong = _pack_order(arguments), arguments["wrong"]
    for item in order.items.all():
        if item.design_id and any(wrong in layer["text"] for layer in item.design.text_layers):
            return order, item.design
    message = _("No design of order %(order)s has the text “%(text)s”.")
    raise ValidationFailed(details={"wrong": [message % {"order": order.reference, "text": wrong}]})


def _replacements(arguments: dict) -> list[tuple[str, str]]:
    return [(arguments["wrong"], arguments["right"])]


def _reprint_describe(arguments: dict) -> str:
    order, design = _reprint_target(arguments)
    design_correction_check(design, _replacements(arguments))  # refused (rules, moderation): no card
    return _(
        "Correct the text of design %(design)s in order **%(order)s**: “%(wrong)s” becomes “%(right)s”. "
        "Its previews and print files are drawn again from the same artwork, then the order's "
        "production pack is rebuilt with them."
    ) % {
        "design": f"`{design.public_id}`",
        "order": md_escape(order.reference),
        "wrong": md_escape(arguments["wrong"]),
        "right": md_escape(arguments["right"]),
    }


def _reprint_images(arguments: dict) -> list[dict]:
    """Before: the design's current preview (if it has one); after: the same side drawn with the
    correction when the card is shown."""
    _order, design = _reprint_target(arguments)
    images = [
        {"label": _("Before"), "url": url}
        for url in design_thumb_urls([design.public_id], DesignAsset.Kind.PREVIEW_JPG).values()
    ]
    return [*images, {"label": _("After"), "url": correction_preview_url(design, _replacements(arguments))}]


def _reprint_run(arguments: dict, user_id: int | None) -> Done:
    order, design = _reprint_target(arguments)  # checked again: the design may have changed
    design_text_correct(design=design, replacements=_replacements(arguments), created_by=user_id)
    done = _(
        "Design %(design)s of order %(order)s is being drawn again with “%(right)s”; the order's "
        "production pack is rebuilt as soon as its new print files are ready."
    )
    return Done(
        done
        % {
            "design": f"`{design.public_id}`",
            "order": md_escape(order.reference),
            "right": md_escape(arguments["right"]),
        },
        reverse("dashboard:orders:detail", args=[order.number]),
    )


ACTIONS["reprint_corrected_design"] = Action(
    "reprint_corrected_design",
    gettext_lazy("Correct a design's text and reprint it"),
    "Propose to correct a typo in the text of an ordered design (the order by number; `wrong` is the "
    "text as it is on the design, `right` what it should say), then redraw its print files and rebuild "
    "the order's production pack. The card shows the design before and after.",
    params(order={**TEXT}, wrong={**TEXT}, right={**TEXT}),
    _reprint_describe,
    _reprint_run,
    images=_reprint_images,
)
