"""Dashboard forms for webhooks. They parse; the services decide (and may still refuse)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.hygiene import single_line

from .models import EventType, WebhookDelivery
from .services import DESCRIPTION_MAX_LENGTH

# Which form field shows a service error, by its code.
ERROR_FIELDS = {
    "webhook_url_invalid": "url",
    "webhook_url_forbidden": "url",
    "webhook_events_invalid": "events",
    "webhook_description_invalid": "description",
}


class EndpointForm(forms.Form):
    url = forms.URLField(
        label=_("Endpoint URL"),
        max_length=2000,
        assume_scheme="https",
        help_text=_(
            "Where Luneo sends a POST request for each event, e.g. https://example.com/luneo/webhooks"
        ),
    )
    events = forms.MultipleChoiceField(
        label=_("Events to send"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("Description"), max_length=DESCRIPTION_MAX_LENGTH, required=False, validators=[single_line]
    )


class DeliveryFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *WebhookDelivery.Status.choices]
    )
