"""Writes for designs: create, move through the state machine, retry, cancel, vary.

Every transition is saved under a row lock, checked against TRANSITIONS, and pushed after
commit to the design's group (`<schema>.design.<id>`) and the workspace's dashboard group.
"""

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.ai.providers import get_provider
from apps.ai.styles import DEFAULT_STYLE, STYLES
from apps.audit.services import audit_record
from apps.billing.entitlements import design_quota_consume
from apps.brands.fonts import DEFAULT_FONT, FONTS
from apps.core.errors import ValidationFailed
from apps.core.notifications import MESSAGE_TYPE, send_after_commit, workspace_group
from apps.core.uploads import image_clean
from apps.products.models import Product
from apps.webhooks.services import event_publish

from .errors import (
    MODERATION_SPEC,
    DesignNotCancellable,
    DesignNotEditable,
    DesignNotModeratable,
    DesignNotRetryable,
    DesignOrdered,
    EditRejected,
    FunnelStepInvalid,
    LayoutInvalid,
    PhotoNotAllowed,
    ProductInactive,
    ProductNotFound,
    PromptInvalid,
    ReasonRequired,
    ReportNoteInvalid,
    StyleInvalid,
    TextLayersInvalid,
    TextLayersNotAllowed,
    TransitionNotAllowed,
    VariantInvalid,
)
from .models import (
    OPERATOR_REJECTED,
    PROMPT_MAX_LENGTH,
    REPORT_NOTE_MAX_LENGTH,
    Design,
    DesignAsset,
    DesignCorrection,
    DesignReport,
    DesignReview,
    DesignSessionGrant,
)
from .payloads import DESIGN_EVENT, design_event, design_webhook_data
from .selectors import design_ordered
from .signals import design_finished, design_reprinted

TRANSITIONS: dict[str, set[str]] = {
    Design.Status.QUEUED: {Design.Status.MODERATING, Design.Status.CANCELLED, Design.Status.FAILED},
    Design.Status.MODERATING: {Design.Status.GENERATING, Design.Status.REJECTED, Design.Status.FAILED},
    Design.Status.GENERATING: {
        Design.Status.COMPOSITING,
        Design.Status.REJECTED,
        Design.Status.FAILED,
    },  # rejected: the provider refused the prompt
    Design.Status.COMPOSITING: {Design.Status.EXPORTING, Design.Status.FAILED},
    Design.Status.EXPORTING: {Design.Status.READY, Design.Status.FAILED},
    Design.Status.FAILED: {Design.Status.QUEUED},
    Design.Status.READY: {Design.Status.COMPOSITING},  # edited: drawn again from its artwork
    Design.Status.REJECTED: set(),
    Design.Status.CANCELLED: set(),
}
IN_PROGRESS = (
    Design.Status.QUEUED,
    Design.Status.MODERATING,
    Design.Status.GENERATING,
    Design.Status.COMPOSITING,
    Design.Status.EXPORTING,
)
# What an operator may do besides the pipeline's own moves (the operators' moderation console):
# approve a rejected design (it goes on to generation, or back to ready when it was drawn), reject
# any design that is not cancelled, with a reason, and retry a rejected or failed one from the start.
OPERATOR_TRANSITIONS: dict[str, set[str]] = {
    Design.Status.REJECTED: {
        Design.Status.GENERATING,
        Design.Status.READY,
        Design.Status.QUEUED,
        Design.Status.REJECTED,
    },
    Design.Status.FAILED: {Design.Status.QUEUED, Design.Status.REJECTED},
    Design.Status.READY: {Design.Status.REJECTED},
    **{status: {Design.Status.REJECTED} for status in IN_PROGRESS},
}
REASON_MAX_LENGTH = 500
# The step label and progress each status shows.
STEPS: dict[str, tuple[str, int]] = {
    Design.Status.QUEUED: ("queued", 0),
    Design.Status.MODERATING: ("moderate", 10),
    Design.Status.GENERATING: ("generate", 30),
    Design.Status.COMPOSITING: ("composite", 60),
    Design.Status.EXPORTING: ("export", 85),
    Design.Status.READY: ("done", 100),
}
TEXT_LAYERS_MAX = 5
EDITABLE_SPEC_VERSION = 2  # earlier specs drew the photo into the artwork: it cannot move
TEXT_MAX_LENGTH = 200
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


# Outbound webhook events (apps.webhooks) when a design ends: ready, or without print files.
WEBHOOK_EVENTS = {
    Design.Status.READY: "design.ready",
    Design.Status.FAILED: "design.failed",
    Design.Status.REJECTED: "design.failed",
}


def design_group(schema: str, design_id: str) -> str:
    """The Channels group of a design's sockets, by its id (`dsg_…`)."""
    return f"{schema}.design.{design_id}"


def design_notify(design: Design) -> None:
    """Push the design's state to its sockets and the workspace's, after commit."""
    schema = connection.schema_name
    event = design_event(design)
    send_after_commit(
        [
            (design_group(schema, design.public_id), {**event, "type": "design.status"}),  # DesignConsumer
            (workspace_group(schema), {"type": MESSAGE_TYPE, "event": DESIGN_EVENT, "payload": event}),
        ]
    )


# --- validation -----------------------------------------------------------------------------


def _product_check(product_id: int, variant_id: int | None):
    try:  # get(), not filter().first(): no ORDER BY to compile, ≈ 0.2 ms of CPU a create
        product = Product.objects.select_related("brand").get(pk=product_id)
    except Product.DoesNotExist:
        raise ProductNotFound(details={"product": product_id}) from None
    if product.status != Product.Status.ACTIVE:
        raise ProductInactive(details={"product": product_id, "status": product.status})
    variant = None
    if variant_id is not None:
        variant = product.variants.filter(pk=variant_id).first()
        if variant is None:
            raise VariantInvalid(details={"variant": variant_id})
    return product, variant


def _prompt_clean(prompt: str) -> str:
    prompt = (prompt or "").strip()
    if not 0 < len(prompt) <= PROMPT_MAX_LENGTH:
        raise PromptInvalid(details={"max_length": PROMPT_MAX_LENGTH, "length": len(prompt)})
    return prompt


def _style_clean(style: str) -> str:
    style = style or DEFAULT_STYLE
    if style not in STYLES:
        raise StyleInvalid(details={"style": style, "styles": sorted(STYLES)})
    return style


def _number(value, low: float, high: float, error=TextLayersInvalid) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise error(details={"value": value, "min": low, "max": high})
    return value


def _text_layer_clean(layer) -> dict:
    if not isinstance(layer, dict):
        raise TextLayersInvalid()
    text = layer.get("text")
    if not isinstance(text, str) or not 0 < len(text.strip()) <= TEXT_MAX_LENGTH:
        raise TextLayersInvalid(details={"text": _("1 to %d characters") % TEXT_MAX_LENGTH})
    font = layer.get("font") or DEFAULT_FONT
    if font not in FONTS:
        raise TextLayersInvalid(details={"font": font, "fonts": list(FONTS)})
    color = layer.get("color") or "#000000"
    if not isinstance(color, str) or not COLOR.match(color):
        raise TextLayersInvalid(details={"color": color})
    return {
        "text": text.strip(),
        "font": font,
        "color": color.lower(),
        "x": _number(layer.get("x", 0.5), 0, 1),
        "y": _number(layer.get("y", 0.85), 0, 1),
        "size": _number(layer.get("size", 0.08), 0.01, 1),
        "rotation": _number(layer.get("rotation", 0), -180, 180),
    }


def text_layers_clean(layers) -> list[dict]:
    """At most 5 `{text, font, color "#rrggbb", x, y, size, rotation}`; x, y (centre) and size
    (height) are fractions of the print area, rotation clockwise degrees."""
    if not isinstance(layers, list | tuple) or len(layers) > TEXT_LAYERS_MAX:
        raise TextLayersInvalid(details={"max_layers": TEXT_LAYERS_MAX})
    return [_text_layer_clean(layer) for layer in layers]


# Each layer's transform: its range and default (the artwork covers the page; the photo sits in
# the middle 60 %).
TRANSFORM_RANGES = {"x": (0, 1), "y": (0, 1), "scale": (0.05, 4), "rotation": (-180, 180)}
LAYOUT_DEFAULTS = {
    "artwork": {"x": 0.5, "y": 0.5, "scale": 1.0, "rotation": 0},
    "photo": {"x": 0.5, "y": 0.5, "scale": 0.6, "rotation": 0},
}


def layout_clean(layout) -> dict:
    """`{artwork, photo}`, each `{x, y, scale, rotation}` (missing parts take their defaults)."""
    if layout is None:
        layout = {}
    if not isinstance(layout, dict) or set(layout) - set(LAYOUT_DEFAULTS):
        raise LayoutInvalid(details={"layers": list(LAYOUT_DEFAULTS)})
    cleaned = {}
    for name, defaults in LAYOUT_DEFAULTS.items():
        given = layout.get(name) or {}
        if not isinstance(given, dict) or set(given) - set(TRANSFORM_RANGES):
            raise LayoutInvalid(details={"layer": name, "fields": list(TRANSFORM_RANGES)})
        cleaned[name] = {
            key: _number(given.get(key, defaults[key]), *TRANSFORM_RANGES[key], error=LayoutInvalid)
            for key in TRANSFORM_RANGES
        }
    return cleaned


def spec_layers(design: Design) -> list[dict]:
    """The spec's layers, bottom to top: the artwork, the photo (if any), the text layers."""
    layout = layout_clean(design.layout)
    return [
        {"type": "artwork", "asset": "artwork", "fit": "cover", **layout["artwork"]},
        *([{"type": "photo", "fit": "contain", **layout["photo"]}] if design.photo else []),
        *({"type": "text", **layer} for layer in design.text_layers),
    ]


def _brand_rules_check(product, *, text_layers: list, photo) -> None:
    brand = product.brand
    if brand is None:
        return
    if text_layers and not brand.allow_text_layers:
        raise TextLayersNotAllowed()
    if photo is not None and not brand.allow_photo_upload:
        raise PhotoNotAllowed()


def _photo_clean(photo):
    return image_clean(photo, name="photo").file


# --- services -----------------------------------------------------------------------------


def _seed() -> int:
    return secrets.randbelow(2**31)


def _queue_first_step(design: Design) -> None:
    from .tasks import design_moderate_task  # tasks → pipeline → services: imported when used

    transaction.on_commit(lambda: design_moderate_task.delay(design.pk))


@transaction.atomic
def design_create(
    *,
    product: int,
    prompt: str,
    variant: int | None = None,
    style: str = "",
    text_layers=(),
    layout=None,
    photo=None,
    created_by: int | None = None,
    api_key_prefix: str = "",
    shopper_session: str = "",
    parent: Design | None = None,
) -> Design:
    """Validate, save a `queued` design and queue the pipeline's first step after commit."""
    product_obj, variant_obj = _product_check(product, variant)
    prompt = _prompt_clean(prompt)
    style = _style_clean(style)
    layers = text_layers_clean(list(text_layers or []))
    _brand_rules_check(product_obj, text_layers=layers, photo=photo)
    design_quota_consume()
    design = Design(
        product=product_obj,
        variant=variant_obj,
        prompt=prompt,
        style=style,
        text_layers=layers,
        layout=layout_clean(layout),
        status=Design.Status.QUEUED,
        step=STEPS[Design.Status.QUEUED][0],
        seed=_seed(),
        parent=parent,
        created_by=created_by,
        api_key_prefix=api_key_prefix,
        shopper_session=shopper_session,
    )
    if photo is not None:
        design.photo = _photo_clean(photo)
    design.save()
    _queue_first_step(design)
    design_notify(design)
    return design


def design_transition(
    *,
    design: Design,
    status: str,
    step: str | None = None,
    progress: int | None = None,
    warnings: list[str] | None = None,
    error_code: str = "",
    error_message: str = "",
    operator: bool = False,
    **fields,
) -> Design:
    """Move `design` to `status` under a row lock; push the new state after commit.

    Raises TransitionNotAllowed when the saved status (not the caller's copy) does not allow
    it, e.g. a step finishing on a design cancelled meanwhile. `operator`: an operator's move
    (OPERATOR_TRANSITIONS allowed too).
    """
    with transaction.atomic():
        locked = Design.objects.select_for_update().get(pk=design.pk)
        allowed = TRANSITIONS[locked.status] | (
            OPERATOR_TRANSITIONS.get(locked.status, set()) if operator else set()
        )
        if status not in allowed:
            raise TransitionNotAllowed(details={"from": locked.status, "to": status})
        default_step, default_progress = STEPS.get(status, (status, locked.progress))
        locked.status = status
        locked.step = step if step is not None else default_step
        locked.progress = progress if progress is not None else default_progress
        if warnings is not None:
            locked.warnings = sorted(set(warnings))
        locked.error_code = error_code
        locked.error_message = error_message
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save()
        design_notify(locked)
        if status in WEBHOOK_EVENTS:
            event_publish(type=WEBHOOK_EVENTS[status], data=design_webhook_data(locked))
        if status == Design.Status.READY:
            design_finished.send(sender=Design, design=locked)
            _corrections_drawn(locked)
    return locked


def _corrections_drawn(design: Design) -> None:
    """A design whose corrections waited for its files is ready: they are marked reprinted and
    `design_reprinted` tells the orders holding it (their packs take the new print files)."""
    waiting = DesignCorrection.objects.filter(design=design, reprinted_at__isnull=True)
    if waiting.update(reprinted_at=timezone.now()):
        design_reprinted.send(sender=Design, design=design)


def design_fail(*, design: Design, code: str, message: str) -> Design:
    return design_transition(
        design=design, status=Design.Status.FAILED, error_code=code, error_message=message
    )


def design_retry(*, design: Design) -> Design:
    """A failed design starts again from the beginning (its assets are replaced as steps rerun)."""
    with transaction.atomic():
        if Design.objects.select_for_update().get(pk=design.pk).status != Design.Status.FAILED:
            raise DesignNotRetryable(details={"status": design.status})
        design = design_transition(design=design, status=Design.Status.QUEUED, warnings=[])
        _queue_first_step(design)
    return design


def designs_stalled_claim(*, limit: int = 100) -> list[tuple[int, str]]:
    """The `(id, status)` of designs left in a working status for DESIGN_STALL_SECONDS, their
    step's task lost (a worker cut off from Redis mid-step, a message lost with the broker).

    The stall outlasts any step's hard time limit, so no step of theirs can still be running.
    Their `updated_at` is moved to now: each is claimed once per stall period.
    """
    cutoff = timezone.now() - timedelta(seconds=settings.DESIGN_STALL_SECONDS)
    with transaction.atomic():
        stalled = list(
            Design.objects.select_for_update(skip_locked=True)
            .filter(status__in=IN_PROGRESS, updated_at__lt=cutoff)
            .order_by("updated_at")
            .values_list("pk", "status")[:limit]
        )
        Design.objects.filter(pk__in=[pk for pk, _status in stalled]).update(updated_at=timezone.now())
    return stalled


def design_cancel(*, design: Design) -> Design:
    """Only a design still waiting in the queue can be cancelled."""
    with transaction.atomic():
        current = Design.objects.select_for_update().get(pk=design.pk).status
        if current != Design.Status.QUEUED:
            raise DesignNotCancellable(details={"status": current})
        return design_transition(design=design, status=Design.Status.CANCELLED, step="cancelled")


FUNNEL_STEPS = {"preview_ready": ("preview_seen_at",), "add_to_cart": ("preview_seen_at", "added_to_cart_at")}


def design_funnel_mark(*, design: Design, step: str) -> None:
    """Record a step of the shopper's funnel, once (a later report keeps the first time).

    Adding to the cart implies the preview was seen. Only a ready design has either step.
    """
    if step not in FUNNEL_STEPS or design.status != Design.Status.READY:
        raise FunnelStepInvalid(details={"step": step, "status": design.status})
    now = timezone.now()
    for field in FUNNEL_STEPS[step]:
        Design.objects.filter(pk=design.pk, **{f"{field}__isnull": True}).update(**{field: now})


def design_session_grant(*, design: Design, shopper_session: str) -> None:
    """Let a widget session use `design` as its own: see it, order it, vary it (a reorder link)."""
    if design.shopper_session != shopper_session:
        DesignSessionGrant.objects.get_or_create(design=design, shopper_session=shopper_session)


@transaction.atomic
def design_variation(
    *, design: Design, created_by: int | None = None, api_key_prefix: str = "", shopper_session: str = ""
) -> Design:
    """A new design with the same inputs and a new seed; `parent` keeps the history."""
    variation = design_create(
        product=design.product_id,
        variant=design.variant_id,
        prompt=design.prompt,
        style=design.style,
        text_layers=design.text_layers,
        layout=design.layout,
        created_by=created_by,
        api_key_prefix=api_key_prefix,
        shopper_session=shopper_session,
        parent=design,
    )
    if design.photo:
        Design.objects.filter(pk=variation.pk).update(photo=design.photo.name)
        variation.photo = design.photo.name
    return variation


def _new_text_check(design: Design, layers: list[dict]) -> None:
    """Text the design did not have passes the brand's words and the provider's moderation now,
    before anything changes: a refused edit leaves the design as it was."""
    known = {layer["text"] for layer in design.text_layers}
    new = [layer["text"] for layer in layers if layer["text"] not in known]
    if not new:
        return
    brand = design.product.brand
    verdict = get_provider(design_id=design.pk).moderate_text(
        text="\n".join(new), blocked_words=list(brand.blocked_words) if brand is not None else []
    )
    if verdict.flagged:
        raise EditRejected()


def _editable_check(design: Design) -> None:
    """Only a ready design whose spec holds the artwork apart from the photo is drawn again."""
    if design.status != Design.Status.READY or design.spec.get("version", 0) < EDITABLE_SPEC_VERSION:
        raise DesignNotEditable(details={"status": design.status})


def _locked(design: Design) -> Design:
    return Design.objects.select_for_update(of=("self",)).select_related("product__brand").get(pk=design.pk)


@transaction.atomic
def design_edit(*, design: Design, layout=None, text_layers=None) -> Design:
    """Move, scale or turn the artwork and photo, change the text layers: the design's spec takes
    the edit and its previews and print files are drawn again from the same artwork (no new
    generation, no design counted). Only a ready design that no order holds can change."""
    locked = _locked(design)
    _editable_check(locked)
    if design_ordered(locked):
        raise DesignOrdered(details={"design": locked.public_id})
    if text_layers is not None:
        layers = text_layers_clean(list(text_layers))
        _brand_rules_check(locked.product, text_layers=layers, photo=None)
        _new_text_check(locked, layers)
        locked.text_layers = layers
    if layout is not None:
        locked.layout = layout_clean(layout)
    return _redraw(locked)


def _redraw(locked: Design) -> Design:
    """The locked design's spec takes its text layers and layout; its files are drawn again."""
    spec = {**locked.spec, "layers": spec_layers(locked)}
    design = design_transition(
        design=locked,
        status=Design.Status.COMPOSITING,
        text_layers=locked.text_layers,
        layout=locked.layout,
        spec=spec,
    )
    _queue_composite(design)
    return design


def _queue_composite(design: Design) -> None:
    from .tasks import design_composite_task  # tasks → pipeline → services: imported when used

    transaction.on_commit(lambda: design_composite_task.delay(design.pk))


# --- the brand's correction of a design's text (a typo on an ordered design) ----------------------

CORRECTIONS_MAX = TEXT_LAYERS_MAX


def _pair_ok(pair) -> bool:
    return (
        isinstance(pair, list | tuple)
        and len(pair) == 2
        and all(isinstance(text, str) and len(text) <= TEXT_MAX_LENGTH for text in pair)
        and bool(pair[0].strip())
        and pair[0] != pair[1]
    )


def replacements_clean(replacements) -> list[tuple[str, str]]:
    """1 to 5 (wrong, right) pairs of text: `wrong` 1 to 200 characters, `right` at most 200 and
    different from it."""
    if (
        not isinstance(replacements, list | tuple)
        or not 0 < len(replacements) <= CORRECTIONS_MAX
        or not all(_pair_ok(pair) for pair in replacements)
    ):
        problem = _(
            "Give 1 to %(max)d corrections, each a wrong text (1 to %(length)d characters) and its "
            "right text."
        )
        raise ValidationFailed(
            details={"replacements": [problem % {"max": CORRECTIONS_MAX, "length": TEXT_MAX_LENGTH}]}
        )
    return [(wrong, right) for wrong, right in replacements]


def text_layers_corrected(layers: list[dict], replacements) -> list[dict]:
    """`layers` with each (wrong → right) applied to their text, in order. ValidationFailed naming
    each wrong text that no layer holds (then nothing is applied): a correction says what it fixes.
    The result is not checked: `text_layers_clean` does that."""
    pairs = replacements_clean(replacements)
    missing = [wrong for wrong, _right in pairs if not any(wrong in layer["text"] for layer in layers)]
    if missing:
        message = _("“%(text)s” is not in the design's text.")
        raise ValidationFailed(details={"wrong": [message % {"text": wrong} for wrong in missing]})
    corrected = []
    for layer in layers:
        text = layer["text"]
        for wrong, right in pairs:
            text = text.replace(wrong, right)
        corrected.append({**layer, "text": text})
    return corrected


def design_correction_check(design: Design, replacements) -> list[dict]:
    """The text layers a correction would give the design, checked as an edit's text is (lengths,
    the brand's rules, moderation of the new text), without changing anything: what the copilot's
    card shows before the brand confirms."""
    _editable_check(design)
    layers = text_layers_clean(text_layers_corrected(design.text_layers, replacements))
    _brand_rules_check(design.product, text_layers=layers, photo=None)
    _new_text_check(design, layers)
    return layers


@transaction.atomic
def design_text_correct(*, design: Design, replacements, created_by: int | None = None) -> Design:
    """The brand corrects a ready design's text, even one an order holds (unlike `design_edit`, a
    shopper's): each (wrong → right) is applied to its text layers, checked like an edit's text;
    its previews and print files are drawn again from the same artwork (no new generation, no
    design counted). A DesignCorrection keeps the text before; once the files are drawn the
    design is ready again and the orders holding it rebuild their packs (`_corrections_drawn`)."""
    locked = _locked(design)
    layers = design_correction_check(locked, replacements)
    DesignCorrection.objects.create(
        design=locked,
        replacements=[list(pair) for pair in replacements_clean(replacements)],
        text_layers_before=locked.text_layers,
        text_layers_after=layers,
        created_by=created_by,
    )
    locked.text_layers = layers
    return _redraw(locked)


# --- moderation: the pipeline's refusals, operators' decisions, brands' reports ------------------


def design_flag(*, design: Design, code: str, message: str) -> Design:
    """The pipeline refused the design's input (its moderation, or the provider's content policy):
    rejected, with a `flagged` review the operators count and can overturn."""
    with transaction.atomic():
        design = design_transition(
            design=design,
            status=Design.Status.REJECTED,
            step="rejected",
            error_code=code,
            error_message=message,
        )
        DesignReview.objects.create(design=design, action=DesignReview.Action.FLAGGED, reason=message)
    return design


def _moderated(design: Design, *, action: str, before: str, reason: str = "", actor: int | None) -> None:
    """An operator's decision: its review, the design's open reports resolved, the audit entry."""
    DesignReview.objects.create(design=design, action=action, reason=reason, actor=actor)
    DesignReport.objects.filter(design=design, resolved_at__isnull=True).update(resolved_at=timezone.now())
    changes = {"status": [before, design.status], "moderation": [None, action]}
    if reason:
        changes["error_message"] = [None, reason]
    audit_record(instance=design, action="update", changes=changes)


def _drawn(design: Design) -> bool:
    """The design's print files were made (it was ready before an operator rejected it)."""
    return bool(design.spec.get("views")) and design.assets.filter(kind=DesignAsset.Kind.PRINT_PNG).exists()


def _spec_unflagged(design: Design) -> dict:
    return {name: value for name, value in design.spec.items() if name != MODERATION_SPEC}


def design_approve(*, design: Design, actor: int | None = None) -> Design:
    """An operator overturns a rejection: a design whose print files exist is ready again, any
    other goes on to generation, its moderation skipped."""
    from .tasks import design_generate_task  # tasks → pipeline → services: imported when used

    with transaction.atomic():
        locked = Design.objects.select_for_update().get(pk=design.pk)
        before = locked.status
        if before != Design.Status.REJECTED:
            raise DesignNotModeratable(details={"status": before})
        status = Design.Status.READY if _drawn(locked) else Design.Status.GENERATING
        design = design_transition(design=locked, status=status, operator=True, spec=_spec_unflagged(locked))
        if status == Design.Status.GENERATING:
            transaction.on_commit(lambda: design_generate_task.delay(design.pk))
        _moderated(design, action=DesignReview.Action.APPROVED, before=before, actor=actor)
    return design


def reason_clean(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason or len(reason) > REASON_MAX_LENGTH:
        raise ReasonRequired()
    return reason


def design_reject(*, design: Design, reason: str, actor: int | None = None) -> Design:
    """An operator rejects the design with `reason`: its error (code `operator_rejected`) says it
    to the shopper in the widget and to the brand on the dashboard, in the API and webhooks."""
    reason = reason_clean(reason)
    with transaction.atomic():
        before = Design.objects.select_for_update().get(pk=design.pk).status
        if before == Design.Status.CANCELLED:
            raise DesignNotModeratable(details={"status": before})
        design = design_transition(
            design=design,
            status=Design.Status.REJECTED,
            step="rejected",
            operator=True,
            error_code=OPERATOR_REJECTED,
            error_message=reason,
        )
        _moderated(design, action=DesignReview.Action.REJECTED, before=before, reason=reason, actor=actor)
    return design


def design_moderation_retry(*, design: Design, actor: int | None = None) -> Design:
    """An operator starts a rejected or failed design again from the beginning, moderation
    included (e.g. after the brand changed its blocked words)."""
    with transaction.atomic():
        locked = Design.objects.select_for_update().get(pk=design.pk)
        before = locked.status
        if before not in (Design.Status.REJECTED, Design.Status.FAILED):
            raise DesignNotModeratable(details={"status": before})
        design = design_transition(
            design=locked,
            status=Design.Status.QUEUED,
            operator=True,
            warnings=[],
            spec=_spec_unflagged(locked),
        )
        _queue_first_step(design)
        _moderated(design, action=DesignReview.Action.RETRIED, before=before, actor=actor)
    return design


def design_report(*, design: Design, note: str, created_by: int | None = None) -> DesignReport:
    """A brand member reports the design to Luneo's operators, saying what is wrong."""
    note = (note or "").strip()
    if not note or len(note) > REPORT_NOTE_MAX_LENGTH:
        raise ReportNoteInvalid()
    return DesignReport.objects.create(design=design, note=note, created_by=created_by)
