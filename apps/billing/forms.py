from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Plan, Subscription


class CheckoutForm(forms.Form):
    plan = forms.ModelChoiceField(
        queryset=Plan.objects.filter(self_serve=True),
        to_field_name="code",
        error_messages={"invalid_choice": _("Choose a plan that can be bought online.")},
    )
    interval = forms.ChoiceField(choices=Subscription.Interval.choices)
    currency = forms.ChoiceField(choices=[("eur", "EUR"), ("usd", "USD")])
