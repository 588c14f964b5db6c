"""Forms of the e-mail template pages: search, create, and the block editor.

The editor posts its blocks as flat fields, `b-<n>-<field>` (`b-<n>-items-<m>-ref|url` for a
products block's rows) with `b-count`, so it works as a plain form without JavaScript; buttons
named `action` add (`add-<kind>`), move (`up-<n>`, `down-<n>`) or delete (`delete-<n>`) a block,
or save (`save`).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .blocks import BLOCKS, BLOCKS_MAX, PRODUCTS_MAX, block_new, blocks_clean
from .templates_services import NAME_MAX, PREHEADER_MAX, SUBJECT_MAX

LANGUAGE_CHOICES = [("en", _("English")), ("fr", _("French")), ("zh-hans", _("Simplified Chinese"))]


class TemplateSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("Template name")}),
    )


class TemplateCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    default_language = forms.ChoiceField(label=_("Default language"), choices=LANGUAGE_CHOICES, initial="en")
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX, required=False)


def _field(data, name: str) -> str:
    return data.get(name, "")


def blocks_from_data(data) -> list[dict]:
    """The blocks as posted (raw text, unchecked). At most one block past the limit is read, so
    a form with too many says so without reading thousands."""
    try:
        count = int(data.get("b-count", 0))
    except (TypeError, ValueError):
        count = 0
    blocks = []
    for n in range(max(0, min(count, BLOCKS_MAX + 1))):
        kind = BLOCKS.get(data.get(f"b-{n}-kind"))
        if kind is None:
            blocks.append({"kind": data.get(f"b-{n}-kind", "")})
            continue
        block = {"kind": kind.name}
        for field in kind.fields:
            if field.type == "products":
                rows = []
                for m in range(PRODUCTS_MAX + 1):
                    ref = _field(data, f"b-{n}-items-{m}-ref")
                    url = _field(data, f"b-{n}-items-{m}-url")
                    if ref or url.strip():
                        rows.append({"ref": ref, "url": url})
                block[field.name] = rows
            else:
                block[field.name] = _field(data, f"b-{n}-{field.name}")
        blocks.append(block)
    return blocks


def blocks_act(blocks: list[dict], action: str) -> list[dict]:
    """The blocks after an editor button: `add-<kind>`, `up-<n>`, `down-<n>`, `delete-<n>`."""
    verb, _sep, argument = action.partition("-")
    blocks = list(blocks)
    if verb == "add" and argument in BLOCKS and len(blocks) < BLOCKS_MAX:
        return [*blocks, block_new(argument)]
    if not argument.isdigit() or int(argument) >= len(blocks):
        return blocks
    n = int(argument)
    if verb == "delete":
        del blocks[n]
    elif verb == "up" and n > 0:
        blocks[n - 1], blocks[n] = blocks[n], blocks[n - 1]
    elif verb == "down" and n < len(blocks) - 1:
        blocks[n + 1], blocks[n] = blocks[n], blocks[n + 1]
    return blocks


class TemplateEditForm(forms.Form):
    """One language's version of a template, and the template's name and default language."""

    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    default_language = forms.ChoiceField(label=_("Default language"), choices=LANGUAGE_CHOICES)
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX)
    preheader = forms.CharField(
        label=_("Preheader"),
        max_length=PREHEADER_MAX,
        required=False,
        help_text=_("The line shown after the subject in most inboxes."),
    )

    def __init__(self, *args, blocks: list[dict] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.blocks = blocks_from_data(self.data) if self.is_bound and blocks is None else (blocks or [])
        help_merge = _(
            "Merge fields: {{ first_name }}, {{ last_name }}, {{ email }}, {{ city }}, {{ brand }}; with a "
            'fallback: {{ first_name | "there" }}.'
        )
        self.fields["subject"].help_text = help_merge

    def clean(self):
        data = super().clean()
        try:
            data["blocks"] = blocks_clean(self.blocks)
        except ValidationError as error:
            for message in error.messages:
                self.add_error(None, message)
        return data

    def version(self) -> dict:
        data = self.cleaned_data
        return {"subject": data["subject"], "preheader": data["preheader"], "blocks": data["blocks"]}


def block_rows(blocks: list[dict], *, product_choices: list[tuple[str, str]]) -> list[dict]:
    """What the editor shows of each block: its kind and an input per field, with the values as
    posted or saved."""
    rows = []
    for n, block in enumerate(blocks):
        kind = BLOCKS.get(block.get("kind"))
        if kind is None:
            rows.append({"n": n, "kind": block.get("kind", ""), "label": _("Unknown block"), "fields": []})
            continue
        fields = []
        for field in kind.fields:
            value = block.get(field.name, "")
            entry = {
                "name": f"b-{n}-{field.name}",
                "id": f"id_b-{n}-{field.name}",
                "label": field.label,
                "type": field.type,
                "required": field.required,
                "max_length": field.max_length,
                "value": "" if value is None else value,
            }
            if field.type == "products":
                items = value if isinstance(value, list) else []
                shown = [*items, {"ref": "", "url": ""}][:PRODUCTS_MAX]
                entry["rows"] = [
                    {"m": m, "ref": str(item.get("ref", "")), "url": str(item.get("url", ""))}
                    for m, item in enumerate(shown)
                    if isinstance(item, dict)
                ]
                entry["choices"] = product_choices
            if field.type == "product":
                entry["choices"] = [choice for choice in product_choices if choice[0].startswith("product:")]
            fields.append(entry)
        rows.append(
            {"n": n, "kind": kind.name, "label": kind.label, "dynamic": kind.dynamic, "fields": fields}
        )
    return rows
