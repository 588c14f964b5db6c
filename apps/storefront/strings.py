"""The widget's interface text, translated on the server and sent with its configuration."""

from django.utils.translation import gettext_lazy as _

STRINGS = {
    "title": _("Personalize it"),
    "prompt_label": _("Describe your design"),
    "prompt_placeholder": _("e.g. a fox in the snow, in soft watercolour"),
    "style_label": _("Style"),
    "text_label": _("Add text"),
    "photo_label": _("Add a photo"),
    "generate": _("Create my design"),
    "generating": _("Creating your design…"),
    "step_queued": _("Waiting for a free designer…"),
    "step_moderate": _("Checking your request…"),
    "step_generate": _("Drawing your artwork…"),
    "step_composite": _("Placing it on the product…"),
    "step_export": _("Preparing print files…"),
    "step_done": _("Your design is ready."),
    "rejected": _("This request cannot be printed. Try another description."),
    "failed": _("Something went wrong while creating your design."),
    "retry": _("Try again"),
    "view_3d": _("View in 3D"),
    "view_ar": _("View in your space"),
    "close": _("Close"),
    "zoom_in": _("Zoom in"),
    "zoom_out": _("Zoom out"),
    "views_label": _("Views"),
    "variant_label": _("Variant"),
    "options_label": _("Options"),
    "quantity_label": _("Quantity"),
    "price_label": _("Price"),
    "add_to_cart": _("Add to cart"),
    "checkout_title": _("Your details"),
    "email": _("Email"),
    "name": _("Full name"),
    "phone": _("Phone (optional)"),
    "line1": _("Address"),
    "line2": _("Address line 2 (optional)"),
    "city": _("City"),
    "postal_code": _("Postal code"),
    "region": _("Region (optional)"),
    "country": _("Country (two letters, e.g. FR)"),
    "place_order": _("Place order"),
    "order_placed": _("Order %(number)s placed. Thank you!"),
    "origin_not_allowed": _("This shop is not allowed to show the personalizer."),
    "network_error": _("Cannot reach the personalizer. Check your connection."),
    "offline_label": _("Preview made by the offline generator"),
    "required": _("This field is required."),
    "powered_by": _("Personalized with Luneo"),
}


def strings() -> dict[str, str]:
    """Every string in the active language."""
    return {key: str(value) for key, value in STRINGS.items()}
