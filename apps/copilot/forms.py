from django import forms
from django.utils.translation import gettext_lazy as _

from .services import RETENTION_DAYS_MAX


class AskForm(forms.Form):
    text = forms.CharField(
        label=_("Ask the copilot"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("How did we do last week?")}),
    )
    page = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search conversations"), required=False, max_length=200)


class CopilotSettingsForm(forms.Form):
    retention_days = forms.IntegerField(
        label=_("Keep conversations for (days)"),
        min_value=1,
        max_value=RETENTION_DAYS_MAX,
        help_text=_("Conversations nobody has touched for longer are deleted every night."),
    )
