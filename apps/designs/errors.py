from django.utils.translation import gettext_lazy as _

from apps.ai.moderation import moderation_message
from apps.core.errors import ApplicationError, Conflict, NotFound

# The key of a rejected design's `spec` that lists what moderation found ([{"code", "word"?}]).
MODERATION_SPEC = "moderation"


class ProductNotFound(NotFound):
    code = "product_not_found"
    message = _("This product does not exist in the workspace.")


class ProductInactive(Conflict):
    code = "product_inactive"
    message = _("This product is not active: activate it before designing on it.")


class DesignInvalid(ApplicationError):
    status = 422


class PromptInvalid(DesignInvalid):
    code = "prompt_invalid"
    message = _("The prompt must contain between 1 and 1000 characters.")


class VariantInvalid(DesignInvalid):
    code = "variant_invalid"
    message = _("This variant does not belong to the product.")


class StyleInvalid(DesignInvalid):
    code = "style_invalid"
    message = _("Unknown style.")


class TextLayersInvalid(DesignInvalid):
    code = "text_layers_invalid"
    message = _("Text layers must be a list of {text, font, color, x, y, size}.")


class TextLayersNotAllowed(DesignInvalid):
    code = "text_layers_not_allowed"
    message = _("This brand does not allow text on designs.")


class PhotoNotAllowed(DesignInvalid):
    code = "photo_not_allowed"
    message = _("This brand does not allow photo uploads.")


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"
    message = _("The design cannot move to this status from its current one.")


class DesignNotModeratable(Conflict):
    code = "design_not_moderatable"
    message = _("An operator cannot do this to the design in its current status.")


class ReasonRequired(DesignInvalid):
    code = "reason_required"
    message = _("Give the reason the shopper and the brand will read (at most 500 characters).")


class ReportNoteInvalid(DesignInvalid):
    code = "report_note_invalid"
    message = _("Say what is wrong with this design (at most 1000 characters).")


class DesignNotRetryable(Conflict):
    code = "design_not_retryable"
    message = _("Only a failed design can be retried.")


class FunnelStepInvalid(ApplicationError):
    code = "funnel_step_invalid"
    status = 422
    message = _("Send `preview_ready` or `add_to_cart`, once the design is ready.")


class DesignNotCancellable(Conflict):
    code = "design_not_cancellable"
    message = _("Only a queued design can be cancelled.")


class LayoutInvalid(DesignInvalid):
    code = "layout_invalid"
    message = _(
        "The layout must be {artwork, photo}, each {x, y, scale, rotation}: x and y from 0 to 1, "
        "scale from 0.05 to 4, rotation from -180 to 180."
    )


class DesignNotEditable(Conflict):
    code = "design_not_editable"
    message = _("Only a ready design can be edited: wait until it is ready.")


class DesignOrdered(Conflict):
    code = "design_ordered"
    message = _(
        "This design is in an order, so its print files cannot change: make a variation to change it."
    )


class EditRejected(DesignInvalid):
    code = "moderation_rejected"
    message = _("This text is not allowed on this product. Change it and try again.")


# Reasons stored in the language the worker ran in, said again in the reader's.
PUBLIC_MESSAGES = {
    "content_policy": _("The AI service refused this request. Try another description."),
    "provider_unavailable": _("The AI provider is unavailable for now; try again later."),
    "step_timeout": _("A step took too long. Retry the design."),
    "internal_error": _("An unexpected error stopped the design."),
}


def design_error_public(*, code: str, message: str, spec: dict | None) -> dict | None:
    """A design's error as shoppers and API callers read it, in the active language.

    A refusal never repeats what moderation found (the stored `message` names the blocked word,
    for the brand's staff and operators): it says why in words of the shopper's language.
    """
    if not code:
        return None
    if code == "moderation_rejected":
        message = moderation_message((spec or {}).get(MODERATION_SPEC) or [])
    elif code in PUBLIC_MESSAGES:
        message = str(PUBLIC_MESSAGES[code])
    return {"code": code, "message": message}
