"""Dashboard forms for the catalog. They parse; the services decide (and may still refuse)."""

import json
from decimal import Decimal

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from apps.core.hygiene import json_loads, single_line

from .models import HEX_COLOUR, NAME_LANGUAGES, Option, Product, Variant, View
from .services import rect_points

MAX_ATTRIBUTES = 20  # rows of one variant
MAX_OPTIONS = 50  # rows of one product
# The form field of each language a name may be translated into (models.NAME_LANGUAGES).
NAME_FIELDS = {code: "name_" + code.replace("-", "_") for code in NAME_LANGUAGES}  # name_fr, name_zh_hans


def _name_field(label, max_length: int) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        validators=[single_line],
        help_text=_("Optional: the name shoppers reading this language see instead of the one above."),
    )


class TranslatedNameForm(forms.Form):
    """The name in French and in Chinese beside the default one; `name_translations()` as stored."""

    name_fr = _name_field(_("In French"), 200)
    name_zh_hans = _name_field(_("In Simplified Chinese"), 200)

    def translated_names_initial(self, translations: dict | None) -> None:
        for language, field in NAME_FIELDS.items():
            self.fields[field].initial = (translations or {}).get(language, "")

    def name_translations(self) -> dict[str, str]:
        data = self.cleaned_data
        return {language: data[field] for language, field in NAME_FIELDS.items() if data.get(field)}


class ProductFilterForm(forms.Form):
    search = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Product.Status.choices]
    )


class ProductForm(TranslatedNameForm, forms.ModelForm):
    base_model_upload = forms.FileField(
        label=_("3D model (.glb)"), required=False, help_text=_("Only for the “Uploaded 3D model” shape.")
    )

    field_order = ["brand", "sku", "name", "name_fr", "name_zh_hans"]

    class Meta:
        model = Product
        fields = ["brand", "sku", "name", "description", "price", "currency", "status", "shape"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.translated_names_initial(self.instance.name_translations)

    def _post_clean(self):
        """The service validates the model (SKU clashes become a form error there)."""

    def cleaned_data_for_service(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        return fields | {"name_translations": self.name_translations()}


class VariantForm(TranslatedNameForm, forms.ModelForm):
    """A variant's own fields; its attributes are the rows of an AttributeFormSet beside it."""

    name_fr = _name_field(_("In French"), 100)
    name_zh_hans = _name_field(_("In Simplified Chinese"), 100)

    class Meta:
        model = Variant
        fields = ["name", "sku_suffix", "price_delta"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.translated_names_initial(self.instance.name_translations)

    def _post_clean(self):
        pass

    def service_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        return fields | {"name_translations": self.name_translations()}


class AttributeForm(forms.Form):
    """One attribute of a variant: a name and a value, written as text or picked as a colour swatch."""

    TEXT, SWATCH = "text", "swatch"

    name = forms.CharField(label=_("Attribute"), max_length=50, required=False, validators=[single_line])
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[(TEXT, _("Text")), (SWATCH, _("Colour swatch"))], initial=TEXT
    )
    value = forms.CharField(label=_("Value"), max_length=100, required=False, validators=[single_line])
    colour = forms.CharField(
        label=_("Colour"),
        required=False,
        initial="#000000",
        validators=[RegexValidator(HEX_COLOUR, _("Pick a colour, written #RRGGBB."))],
        widget=forms.TextInput(attrs={"type": "color"}),
    )

    @classmethod
    def initial_for(cls, name: str, value) -> dict:
        """A stored attribute as a row: a #RRGGBB value is a swatch."""
        if isinstance(value, str) and HEX_COLOUR.match(value):
            return {"name": name, "kind": cls.SWATCH, "colour": value}
        return {"name": name, "kind": cls.TEXT, "value": str(value)}

    def clean(self):
        data = super().clean()
        name = data.get("name")
        value = data.get("colour") if data.get("kind") == self.SWATCH else data.get("value")
        if self.errors or not (name or value):
            return data
        if not name:
            self.add_error("name", _("Name this attribute, e.g. colour or size."))
        elif not value:
            self.add_error("value", _("Give this attribute a value."))
        else:
            data["attribute"] = (name, value)
        return data


class RowsFormSet(forms.BaseFormSet):
    """Rows edited as a table: each row's delete box is its “Remove” column."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Remove")


class BaseAttributeFormSet(RowsFormSet):
    """A variant's attributes as rows; `attributes()` gives them back as the API's {name: value}."""

    def __init__(self, *args, variant: Variant | None = None, **kwargs):
        self.stored = variant.attributes if variant is not None else {}
        initial = [AttributeForm.initial_for(name, value) for name, value in self.stored.items()]
        super().__init__(*args, initial=initial, **kwargs)

    def _rows(self):
        for form in self.forms:
            if not self._should_delete_form(form) and "attribute" in form.cleaned_data:
                yield form, *form.cleaned_data["attribute"]

    def clean(self):
        seen = set()
        for form, name, _value in self._rows():
            if name in seen:
                form.add_error("name", _("This attribute is already given above."))
            seen.add(name)

    def attributes(self) -> dict:
        """The rows as {name: value}; a stored number left as it was stays a number."""
        stored = self.stored
        return {
            name: stored[name] if name in stored and str(stored[name]) == value else value
            for _form, name, value in self._rows()
        }


AttributeFormSet = forms.formset_factory(
    AttributeForm,
    formset=BaseAttributeFormSet,
    extra=2,
    can_delete=True,
    max_num=MAX_ATTRIBUTES,
    validate_max=True,
)


class OptionForm(TranslatedNameForm):
    """One row of the options list: an existing option (hidden id) or a new one."""

    option = forms.ModelChoiceField(
        queryset=Option.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This option no longer exists: reload the page.")},
    )
    name = forms.CharField(label=_("Name"), max_length=100, required=False, validators=[single_line])
    name_fr = _name_field(_("In French"), 100)
    name_zh_hans = _name_field(_("In Simplified Chinese"), 100)
    price_delta = forms.DecimalField(
        label=_("Price difference"), max_digits=10, decimal_places=2, required=False, initial=Decimal(0)
    )

    field_order = ["option", "name", "name_fr", "name_zh_hans", "price_delta"]

    def __init__(self, *args, product: Product, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["option"].queryset = product.options.all()

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("name") and not data.get("DELETE"):
            self.add_error("name", _("Name this option, or tick Remove."))
        return data


class BaseOptionFormSet(RowsFormSet):
    """The product's options as rows; `changes()` gives what the service applies, row by row."""

    def __init__(self, *args, product: Product, **kwargs):
        initial = [
            {
                "option": option,
                "name": option.name,
                "price_delta": option.price_delta,
                **{field: option.name_translations.get(code, "") for code, field in NAME_FIELDS.items()},
            }
            for option in product.options.all()
        ]
        super().__init__(*args, initial=initial, form_kwargs={"product": product}, **kwargs)

    def clean(self):
        seen = set()
        for form in self.forms:
            name = form.cleaned_data.get("name")
            if self._should_delete_form(form) or not name:
                continue
            if name in seen:
                form.add_error("name", _("Another row already has this name."))
            seen.add(name)

    def changes(self) -> list[tuple[forms.Form, dict]]:
        """(form, row) for each row to apply: an option to delete, update or create."""
        found = []
        for form in self.forms:
            data = form.cleaned_data
            delete = self._should_delete_form(form)
            if not data or (delete and data.get("option") is None):
                continue  # a blank new row, or a new row removed before it was saved
            row = {"option": data["option"], "delete": delete}
            if not delete:
                row |= {
                    "name": data["name"],
                    "name_translations": form.name_translations(),
                    "price_delta": data["price_delta"] or Decimal(0),
                }
            found.append((form, row))
        return found


OptionFormSet = forms.formset_factory(
    OptionForm, formset=BaseOptionFormSet, extra=1, can_delete=True, max_num=MAX_OPTIONS, validate_max=True
)


class ViewForm(TranslatedNameForm, forms.ModelForm):
    """A view: mockup, print area (as x/y/width/height for a rectangle, or [x, y] points), print size."""

    name_fr = _name_field(_("In French"), 50)
    name_zh_hans = _name_field(_("In Simplified Chinese"), 50)
    mockup_upload = forms.FileField(
        label=_("Mockup image"), required=False, help_text=_("PNG, JPEG or WebP.")
    )
    mask_upload = forms.FileField(
        label=_("Mask image"), required=False, help_text=_("Optional: white where the artwork shows.")
    )
    rect_x = forms.IntegerField(label=_("Left (px)"), required=False, min_value=0)
    rect_y = forms.IntegerField(label=_("Top (px)"), required=False, min_value=0)
    rect_width = forms.IntegerField(label=_("Width (px)"), required=False, min_value=1)
    rect_height = forms.IntegerField(label=_("Height (px)"), required=False, min_value=1)
    points = forms.CharField(
        label=_("Polygon points"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For a polygon: [[x, y], …] in mockup pixels."),
    )

    class Meta:
        model = View
        fields = [
            "name",
            "variant",
            "area_shape",
            "width_mm",
            "height_mm",
            "dpi",
            "bleed_mm",
            "safe_mm",
            "blend_mode",
            "position",
        ]

    def __init__(self, *args, product: Product, **kwargs):
        super().__init__(*args, **kwargs)
        variant = self.fields["variant"]
        variant.queryset, variant.required = product.variants.all(), False
        variant.label, variant.empty_label = _("Variant"), _("None: the product's own mockup")
        variant.label_from_instance = lambda choice: choice.name  # the variant's name, not its SKU
        view = self.instance
        self.translated_names_initial(view.name_translations)
        if view.pk:
            self.fields["points"].initial = json.dumps(view.area_points)
            if view.area_shape == View.AreaShape.RECT:
                left, top, right, bottom = view.bbox
                for name, value in zip(
                    ("rect_x", "rect_y", "rect_width", "rect_height"),
                    (left, top, right - left, bottom - top),
                    strict=True,
                ):
                    self.fields[name].initial = value
        else:
            self.fields["mockup_upload"].required = True

    def _post_clean(self):
        pass

    def clean(self):
        data = super().clean()
        rect = [data.get(name) for name in ("rect_x", "rect_y", "rect_width", "rect_height")]
        if data.get("area_shape") == View.AreaShape.RECT and None not in rect:
            data["area_points"] = rect_points(x=rect[0], y=rect[1], width=rect[2], height=rect[3])
        elif data.get("points"):
            try:
                data["area_points"] = json_loads(data["points"])
            except ValueError:
                self.add_error("points", _("Give the points as JSON: [[x, y], …]."))
        else:
            self.add_error(None, _("Give the print area: left, top, width and height, or polygon points."))
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in self.Meta.fields} | {
            "area_points": data["area_points"],
            "name_translations": self.name_translations(),
        }
