from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .selectors import Period

MAX_DAYS = 366
PRESETS = {"7": 7, "30": 30, "90": 90}
DEFAULT = "30"


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        choices=[
            ("7", _("Last 7 days")),
            ("30", _("Last 30 days")),
            ("90", _("Last 90 days")),
            ("custom", _("Custom")),
        ],
        required=False,
        initial=DEFAULT,
    )
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data=None, **kwargs):
        """A missing or unknown period reads as the default, so the menu shows the period the page shows."""
        if data is not None and data.get("period") not in (*PRESETS, "custom"):
            data = data.copy()
            data["period"] = DEFAULT
        super().__init__(data, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("period") != "custom":
            return data
        start, end, today = data.get("start"), data.get("end"), timezone.now().date()
        if not start or not end:
            raise forms.ValidationError(_("Choose both dates of the custom period."))
        if start > end:
            raise forms.ValidationError(_("The period must start before it ends."))
        if end > today:
            raise forms.ValidationError(_("The period cannot end after today."))
        if (end - start).days + 1 > MAX_DAYS:
            raise forms.ValidationError(_("Choose a period of at most %(days)d days.") % {"days": MAX_DAYS})
        return data

    def chosen(self) -> Period:
        """The period asked for; the last 30 days when none (or an invalid one) was."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("period") == "custom":
            return Period(data["start"], data["end"])
        return Period.last(PRESETS[data.get("period") or DEFAULT])

    def query(self) -> str:
        """The query string that asks for the chosen period again (for exports and live refresh)."""
        period = self.chosen()
        if self.is_valid() and self.cleaned_data.get("period") == "custom":
            return f"period=custom&start={period.start}&end={period.end}"
        return f"period={period.days}"
