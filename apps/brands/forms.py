"""Dashboard form for a brand: lists are typed one per line; the service checks the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.errors import ApplicationError

from .models import Brand
from .selectors import brand_stripe_key_hint, brand_stripe_webhook_url
from .services import BRAND_FIELDS


def add_service_errors(form: forms.Form, exc: ApplicationError) -> None:
    """Show a service's refusal on the form: on the fields it names, else above the form."""
    fields = exc.details.get("fields") or {}
    for field, messages in fields.items():
        form.add_error(field if field in form.fields else None, messages)
    if not fields:
        form.add_error(None, exc.message)


class LinesField(forms.CharField):
    """A list typed one item per line (commas also separate)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value) -> list[str]:
        text = super().to_python(value) or ""
        return [item.strip() for line in text.splitlines() for item in line.split(",") if item.strip()]


class BrandForm(forms.ModelForm):
    logo_upload = forms.FileField(label=_("Logo"), required=False, help_text=_("PNG, JPEG or WebP."))
    allowed_origins = LinesField(
        label=_("Allowed origins"),
        required=False,
        help_text=_("The websites where your widget may run, one per line, e.g. https://shop.example"),
    )
    blocked_words = LinesField(
        label=_("Blocked words"), required=False, help_text=_("Prompts containing these are refused.")
    )

    # The widget's own checkout, for shops without a cart: shown in a fieldset of its own
    # (brands/partials/checkout_fields.html), after the brand's other fields.
    stripe_secret_key = forms.CharField(
        label=_("Stripe secret key"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_(
            "A secret or restricted key (Checkout Sessions: write) of the brand's own Stripe account. "
            "Shoppers then pay on Stripe Checkout; without a key, orders arrive as requests awaiting "
            "payment. Stored encrypted; leave empty to keep the current key."
        ),
    )
    stripe_key_remove = forms.BooleanField(label=_("Remove the Stripe key"), required=False)

    class Meta:
        model = Brand
        fields = list(BRAND_FIELDS)
        widgets = {
            "primary_color": forms.TextInput(attrs={"type": "color"}),
            "secondary_color": forms.TextInput(attrs={"type": "color"}),
            "country": forms.TextInput(attrs={"maxlength": 2, "size": 2, "autocomplete": "off"}),
        }

    CHECKOUT_FIELDS = ("country", "stripe_secret_key", "stripe_key_remove")

    def _post_clean(self):
        """The service validates and saves (a taken name becomes a form error there)."""

    def visible_fields(self):
        """The brand's own fields; the checkout's are shown apart (`checkout_fields`)."""
        return [field for field in super().visible_fields() if field.name not in self.CHECKOUT_FIELDS]

    def checkout_fields(self):
        return [self[name] for name in self.CHECKOUT_FIELDS]

    def stripe_key_hint(self) -> str:
        return brand_stripe_key_hint(brand=self.instance) if self.instance.pk else ""

    def stripe_webhook_url(self) -> str:
        return brand_stripe_webhook_url()

    def service_fields(self) -> dict:
        """BRAND_FIELDS, and the Stripe key to set ("" removes it, None keeps it)."""
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        key = self.cleaned_data["stripe_secret_key"]
        fields["stripe_secret_key"] = "" if self.cleaned_data["stripe_key_remove"] else (key or None)
        return fields
