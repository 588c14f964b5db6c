import zoneinfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.crm.forms import LAST_PURCHASE_CHOICES
from apps.crm.models.scores import Segment

from .models import Audience, Campaign, Recipient, Template

LANGUAGE_CHOICES = [("en", "English"), ("fr", "Français"), ("zh-hans", "简体中文")]
TIME_ZONES = sorted(zoneinfo.available_timezones())


class AudienceForm(forms.Form):
    """An audience's name and rules; `rules()` gives them as `services.rules_clean` expects."""

    name = forms.CharField(label=_("Name"), max_length=120)
    segments = forms.MultipleChoiceField(
        label=_("RFM segments"), choices=Segment.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    last_purchase = forms.ChoiceField(label=_("Last purchase"), choices=LAST_PURCHASE_CHOICES, required=False)
    items = forms.MultipleChoiceField(label=_("Bought one of these products"), required=False)
    families = forms.MultipleChoiceField(label=_("Bought in one of these families"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Language"), choices=LANGUAGE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    countries = forms.CharField(
        label=_("Countries"),
        required=False,
        max_length=300,
        help_text=_("Two-letter codes separated by commas, e.g. FR, BE."),
    )
    abandoned_design = forms.BooleanField(label=_("Left a design unordered"), required=False)

    def __init__(self, *args, catalog_items=(), families=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(str(item.pk), str(item)) for item in catalog_items]
        self.fields["families"].choices = [(family, family) for family in families]

    @staticmethod
    def initial_from(audience: Audience) -> dict:
        rules = audience.rules
        return {
            "name": audience.name,
            **{
                name: [str(value) for value in rules.get(name, [])]
                for name in ("segments", "items", "families")
            },
            "languages": rules.get("languages", []),
            "last_purchase": rules.get("last_purchase", ""),
            "countries": ", ".join(rules.get("countries", [])),
            "abandoned_design": rules.get("abandoned_design", False),
        }

    def clean_countries(self) -> list[str]:
        codes = [code.strip().upper() for code in self.cleaned_data["countries"].split(",") if code.strip()]
        bad = [code for code in codes if len(code) != 2 or not code.isalpha()]
        if bad:
            raise forms.ValidationError(_("Not a two-letter country code: %s.") % ", ".join(bad))
        return codes

    def rules(self) -> dict:
        data = self.cleaned_data
        return {
            name: data.get(name) or [] for name in ("segments", "items", "families", "languages", "countries")
        } | {
            "last_purchase": data.get("last_purchase", ""),
            "abandoned_design": bool(data.get("abandoned_design")),
        }


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["name", "audience", "template", "attribution_days", "track_opens"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].queryset = Audience.objects.all()
        self.fields["template"].queryset = Template.objects.all()
        self.fields["attribution_days"].help_text = _(
            "Orders within this many days of a click count as the campaign's."
        )


class StartForm(forms.Form):
    when = forms.ChoiceField(
        label=_("When"),
        choices=[("now", _("Send now")), ("later", _("Schedule"))],
        widget=forms.RadioSelect,
        initial="now",
    )
    at = forms.DateTimeField(
        label=_("Date and time"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=[(zone, zone) for zone in TIME_ZONES], initial=settings.TIME_ZONE
    )

    def clean(self):
        data = super().clean()
        if data.get("when") == "later":
            if not data.get("at"):
                self.add_error("at", _("Choose when to send it."))
            elif data.get("time_zone"):
                data["at"] = data["at"].replace(tzinfo=zoneinfo.ZoneInfo(data["time_zone"]))
        return data

    def send_at(self):
        return self.cleaned_data["at"] if self.cleaned_data.get("when") == "later" else None


class CampaignFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Campaign.Status.choices], required=False
    )


class RecipientFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Recipient.Status.choices], required=False
    )


class SendingSettingsForm(forms.Form):
    brevo_api_key = forms.CharField(
        label=_("Brevo API key"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Your own Brevo account's key. Stored encrypted; leave empty to keep the saved one."),
    )
    remove_key = forms.BooleanField(label=_("Remove the saved key"), required=False)
    from_email = forms.EmailField(
        label=_("Sender address"),
        required=False,
        help_text=_("An address of a domain your Brevo account has verified. Empty: Luneo's."),
    )
    rate_per_minute = forms.IntegerField(
        label=_("Messages per minute"),
        required=False,
        min_value=1,
        max_value=100_000,
        help_text=_("How fast your campaigns send. Empty: the platform's rate."),
    )


class AutomationForm(forms.Form):
    """An automation's set-up: its template, its delay (its unit is the kind's), on or off."""

    template = forms.ModelChoiceField(label=_("Template"), queryset=Template.objects.order_by("name", "pk"))
    enabled = forms.BooleanField(label=_("On"), required=False)

    def __init__(self, *args, spec, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delay"] = forms.IntegerField(
            label=spec.delay_label, min_value=1, max_value=spec.delay_max, initial=spec.delay_default
        )
