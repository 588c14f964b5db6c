from django import forms
from django.utils.translation import gettext_lazy as _

from apps.ai.styles import STYLE_CHOICES

from .models.scores import Segment

LAST_PURCHASE_CHOICES = [
    ("", _("Any time")),
    ("30", _("In the last 30 days")),
    ("90", _("In the last 90 days")),
    ("365", _("In the last year")),
    ("older", _("More than a year ago")),
    ("never", _("Never")),
]
CONSENT_CHOICES = [("yes", _("Yes")), ("no", _("No")), ("unknown", _("Unknown"))]
SORT_CHOICES = [
    ("name", _("Name")),
    ("-last_purchase", _("Last purchase, latest first")),
    ("last_purchase", _("Last purchase, oldest first")),
    ("-monetary", _("Spent, most first")),
    ("-created", _("Newest customers first")),
]


class CustomerFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("Name, e-mail or client code")}),
    )
    segment = forms.ChoiceField(
        label=_("Segment"), choices=[("", _("All segments")), *Segment.choices], required=False
    )
    last_purchase = forms.ChoiceField(label=_("Last purchase"), choices=LAST_PURCHASE_CHOICES, required=False)
    bought = forms.ChoiceField(label=_("Bought"), required=False)
    consent = forms.ChoiceField(
        label=_("E-mail consent"), choices=[("", _("Any consent")), *CONSENT_CHOICES], required=False
    )
    style = forms.ChoiceField(
        label=_("Design style"), choices=[("", _("Any style")), *STYLE_CHOICES], required=False
    )
    word = forms.CharField(
        label=_("Design word"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("lighthouse, sea…")}),
    )
    abandoned = forms.BooleanField(label=_("Left a design unordered"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args, catalog_items=(), products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bought"].choices = [
            ("", _("Any product")),
            (_("Your catalogue"), [(f"item:{item.pk}", str(item)) for item in catalog_items]),
            (_("Luneo products"), [(f"product:{product.pk}", product.name) for product in products]),
        ]

    def filters(self) -> dict:
        """Keyword arguments for `selectors.customer_list`, from the fields that are valid (an
        invalid one is shown with its error and filters nothing)."""
        self.is_valid()
        data = self.cleaned_data
        kind, _sep, pk = (data.get("bought") or "").partition(":")
        return {
            "search": data.get("q", ""),
            "segment": data.get("segment", ""),
            "last_purchase": data.get("last_purchase", ""),
            "item": int(pk) if kind == "item" else None,
            "product": int(pk) if kind == "product" else None,
            "consent": data.get("consent", ""),
            "style": data.get("style", ""),
            "word": data.get("word", ""),
            "abandoned": bool(data.get("abandoned")),
            "sort": data.get("sort") or "name",
        }


class ConsentForm(forms.Form):
    consent = forms.ChoiceField(
        label=_("E-mail marketing consent"), choices=CONSENT_CHOICES, widget=forms.RadioSelect
    )

    def consent_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data["consent"])
