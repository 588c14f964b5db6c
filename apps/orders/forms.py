from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Order


class OrderFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *Order.Status.choices], required=False
    )
    source = forms.ChoiceField(
        label=_("Source"), choices=[("", _("All sources")), *Order.Source.choices], required=False
    )
    payment = forms.ChoiceField(
        label=_("Payment"),
        choices=[("", _("Any payment")), ("awaiting", _("Awaiting payment"))],
        required=False,
    )
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("LU-000123, email or name")}),
    )

    def filters(self) -> dict:
        """Keyword arguments for `selectors.order_list` (none when the form is invalid)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "status": data["status"],
            "source": data["source"],
            "search": data["q"],
            "awaiting_payment": data["payment"] == "awaiting",
        }


class OrderTransitionForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Order.Status.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
