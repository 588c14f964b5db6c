from django import forms
from django.utils.translation import gettext_lazy as _

from apps.ai.styles import DEFAULT_STYLE, STYLE_CHOICES
from apps.brands.fonts import FONT_CHOICES
from apps.products.models import Product, Variant

from .models import PROMPT_MAX_LENGTH, Design

# Which field shows a service error, by its code.
ERROR_FIELDS = {
    "product_not_found": "product",
    "product_inactive": "product",
    "variant_invalid": "variant",
    "prompt_invalid": "prompt",
    "style_invalid": "style",
    "text_layers_invalid": "text",
    "text_layers_not_allowed": "text",
    "photo_not_allowed": "photo",
    "upload_invalid": "photo",
    "upload_too_large": "photo",
}


class DesignForm(forms.Form):
    product = forms.ModelChoiceField(
        label=_("Product"), queryset=Product.objects.filter(status=Product.Status.ACTIVE).order_by("name")
    )
    variant = forms.ModelChoiceField(
        label=_("Variant"),
        queryset=Variant.objects.select_related("product"),
        required=False,
        help_text=_("Optional: a variant of the chosen product."),
    )
    prompt = forms.CharField(
        label=_("Prompt"),
        max_length=PROMPT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Describe the artwork, e.g. “a fox in a snowy forest at dawn”."),
    )
    style = forms.ChoiceField(label=_("Style"), choices=STYLE_CHOICES, initial=DEFAULT_STYLE)
    text = forms.CharField(
        label=_("Text"), max_length=200, required=False, help_text=_("Optional text printed on the design.")
    )
    text_color = forms.RegexField(
        label=_("Text colour"),
        regex=r"^#[0-9a-fA-F]{6}$",
        initial="#111111",
        required=False,
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    text_font = forms.ChoiceField(label=_("Font"), required=False)
    photo = forms.FileField(label=_("Photo"), required=False, help_text=_("Optional: PNG, JPEG or WebP."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text_font"].choices = FONT_CHOICES

    def text_layers(self) -> list[dict]:
        data = self.cleaned_data
        if not data.get("text"):
            return []
        layer = {"text": data["text"], "color": data.get("text_color") or "#111111"}
        if data.get("text_font"):
            layer["font"] = data["text_font"]
        return [layer]


class DesignFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *Design.Status.choices], required=False
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
