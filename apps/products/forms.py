"""Dashboard forms for the catalog. They parse; the services decide (and may still refuse)."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.hygiene import JSONDecoder, json_loads

from .models import Option, Product, Variant, View
from .services import rect_points


class ProductFilterForm(forms.Form):
    search = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Product.Status.choices]
    )


class ProductForm(forms.ModelForm):
    base_model_upload = forms.FileField(
        label=_("3D model (.glb)"), required=False, help_text=_("Only for the “Uploaded 3D model” shape.")
    )

    class Meta:
        model = Product
        fields = ["brand", "sku", "name", "description", "price", "currency", "status", "shape"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self):
        """The service validates the model (SKU clashes become a form error there)."""

    def cleaned_data_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class VariantForm(forms.ModelForm):
    attributes = forms.JSONField(
        decoder=JSONDecoder,
        label=_("Attributes"),
        required=False,
        initial=dict,
        help_text=_('e.g. {"colour": "red", "size": "M"}'),
    )

    class Meta:
        model = Variant
        fields = ["name", "sku_suffix", "attributes", "price_delta"]

    def _post_clean(self):
        pass

    def clean_attributes(self):
        return self.cleaned_data["attributes"] or {}


class OptionForm(forms.ModelForm):
    class Meta:
        model = Option
        fields = ["name", "price_delta"]

    def _post_clean(self):
        pass


class ViewForm(forms.ModelForm):
    """A view: mockup, print area (as x/y/width/height for a rectangle, or [x, y] points), print size."""

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
        self.fields["variant"].queryset = product.variants.all()
        self.fields["variant"].required = False
        view = self.instance
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
        return {name: data[name] for name in self.Meta.fields} | {"area_points": data["area_points"]}
