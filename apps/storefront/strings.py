"""The widget's interface text, translated on the server and sent with its configuration."""

from django.utils.translation import gettext_lazy as _

STRINGS = {
    "title": _("Personalize it"),
    "loading": _("Loading…"),
    "prompt_label": _("Describe your design"),
    "prompt_placeholder": _("e.g. a fox in the snow, in soft watercolour"),
    "style_label": _("Style"),
    "style_none": _("Any style"),
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
    "loading_3d": _("Loading the 3D view…"),
    "close": _("Close"),
    "zoom_in": _("Zoom in"),
    "zoom_out": _("Zoom out"),
    "preview_alt": _("Preview of %(view)s"),
    "views_label": _("Views"),
    "variant_label": _("Variant"),
    "options_label": _("Options"),
    "quantity_label": _("Quantity"),
    "quantity_invalid": _("Enter a whole number from 1 to %(max)s."),
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
    "country": _("Country"),
    "pay": _("Continue to payment"),
    "request_order": _("Send order request"),
    "redirecting": _("Taking you to the secure payment page…"),
    "order_request": _(
        "Order request %(number)s received, awaiting payment: the shop will contact you to arrange it."
    ),
    "payment_done": _("Payment received: order %(number)s is confirmed. Thank you!"),
    "payment_pending": _("Order %(number)s is awaiting payment."),
    "added_to_cart": _("Added to your cart."),
    "view_cart": _("View cart"),
    "unavailable": _("Personalization unavailable"),
    "network_error": _("Cannot reach the personalizer. Check your connection."),
    "offline_label": _("Preview made by the offline generator"),
    "required": _("This field is required."),
    "powered_by": _("Personalized with Luneo"),
}


def strings() -> dict[str, str]:
    """Every string in the active language."""
    return {key: str(value) for key, value in STRINGS.items()}
