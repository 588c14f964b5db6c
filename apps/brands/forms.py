"""Dashboard form for a brand: lists are typed one per line; the service checks the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.errors import ApplicationError

from .models import Brand
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

    class Meta:
        model = Brand
        fields = list(BRAND_FIELDS)
        widgets = {
            "primary_color": forms.TextInput(attrs={"type": "color"}),
            "secondary_color": forms.TextInput(attrs={"type": "color"}),
        }

    def _post_clean(self):
        """The service validates and saves (a taken name becomes a form error there)."""

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
