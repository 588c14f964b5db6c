"""The blocks an e-mail template is made of, and their validation.

A block is a dict `{"kind": <kind>, <field>: <value>, ...}`; `BLOCKS` describes each kind's fields
(the editor builds its inputs from it, `blocks_clean` checks them). Static blocks hold what the
brand wrote; `products` lists chosen Luneo products or catalogue items; `recommendations` and
`rebuy_design` are dynamic: filled for each recipient when the message is rendered (the
recipient's designs drawn on the block's product when it names one).
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

BLOCKS_MAX = 40
PRODUCTS_MAX = 6  # cards in a products block
COUNT_MAX = 6  # recommendations or designs in a dynamic block
URL_MAX = 2000
FORBIDDEN = re.compile("[\x00\ud800-\udfff]")  # NUL, and halves of surrogate pairs
REF = re.compile(r"^(product|item):([1-9][0-9]{0,17})$")


@dataclass(frozen=True)
class Field:
    """One field of a block: `type` is "text" (one line), "textarea", "url", "count", "products"
    (chosen products or items, each with its link) or "product" (one Luneo product, or "")."""

    name: str
    label: str
    type: str = "text"
    required: bool = False
    max_length: int = 200


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    fields: tuple[Field, ...] = ()
    dynamic: bool = False


BLOCKS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("heading", _("Heading"), (Field("text", _("Heading"), required=True),)),
        Kind("text", _("Text"), (Field("text", _("Text"), "textarea", required=True, max_length=5000),)),
        Kind(
            "image",
            _("Image"),
            (
                Field("src", _("Image address"), "url", required=True, max_length=URL_MAX),
                Field("alt", _("Description (for screen readers)")),
                Field("url", _("Link"), "url", max_length=URL_MAX),
            ),
        ),
        Kind(
            "button",
            _("Button"),
            (
                Field("label", _("Label"), required=True, max_length=80),
                Field("url", _("Link"), "url", required=True, max_length=URL_MAX),
            ),
        ),
        Kind(
            "products",
            _("Products"),
            (Field("title", _("Title")), Field("items", _("Products"), "products", required=True)),
        ),
        Kind("divider", _("Divider")),
        Kind(
            "recommendations",
            _("Recommendations"),
            (
                Field("title", _("Title")),
                Field("count", _("How many"), "count"),
                Field("url", _("Link of the products (your shop)"), "url", required=True, max_length=URL_MAX),
            ),
            dynamic=True,
        ),
        Kind(
            "rebuy_design",
            _("Their designs"),
            (
                Field("title", _("Title")),
                Field("text", _("Text"), "textarea", max_length=1000),
                Field("count", _("How many"), "count"),
                Field("product", _("Show them on"), "product"),
                Field("label", _("Button label"), required=True, max_length=80),
                Field("url", _("Button link"), "url", required=True, max_length=URL_MAX),
            ),
            dynamic=True,
        ),
    )
}


def block_new(kind: str) -> dict:
    """An empty block of `kind`, as the editor adds it."""
    block = {"kind": kind}
    for field in BLOCKS[kind].fields:
        block[field.name] = {"count": 3, "products": []}.get(field.type, "")
    return block


MERGE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|\s*\"([^\"{}]*)\"\s*)?\}\}")
MERGE_FIELDS = ("first_name", "last_name", "email", "city", "brand")


def merge_fields_problem(text: str) -> str | None:
    """What is wrong with the merge fields of `text` (an unknown field, a `{{` that is not a merge
    field), or None: caught when the template is saved, not when it is sent."""
    for match in MERGE.finditer(text):
        if match.group(1).lower() not in MERGE_FIELDS:
            return _("unknown merge field %(field)s; use one of: %(known)s.") % {
                "field": match.group(0),
                "known": ", ".join(f"{{{{ {name} }}}}" for name in MERGE_FIELDS),
            }
    if "{{" in MERGE.sub("", text) or "}}" in MERGE.sub("", text):
        return _('a merge field is not closed or not written {{ name }} or {{ name | "fallback" }}.')
    return None


def _text(value, field: Field, errors: list) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.append(_("%(field)s must be text.") % {"field": field.label})
        return ""
    if FORBIDDEN.search(value):
        errors.append(
            _("%(field)s may not contain NUL characters or unpaired surrogates.") % {"field": field.label}
        )
        return ""
    value = value.strip()
    if field.type != "textarea":
        value = " ".join(value.split())  # one line
    if len(value) > field.max_length:
        errors.append(
            _("%(field)s is too long: at most %(max)d characters (it has %(length)d).")
            % {"field": field.label, "max": field.max_length, "length": len(value)}
        )
        return ""
    if field.required and not value:
        errors.append(_("%(field)s is required.") % {"field": field.label})
    problem = merge_fields_problem(value)
    if problem:
        errors.append(f"{field.label}: {problem}")
    return value


def url_check(value: str) -> bool:
    """Whether `value` is an absolute http(s) link with a host (no javascript:, data:, mailto:…)."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not any(c.isspace() for c in value)


def _url(value, field: Field, errors: list) -> str:
    value = _text(value, field, errors)
    if value and not url_check(value):
        errors.append(
            _("%(field)s must be a web address starting with http:// or https://.") % {"field": field.label}
        )
        return ""
    return value


def _count(value, field: Field, errors: list) -> int:
    try:
        count = int(value)
    except (TypeError, ValueError):
        count = 0
    if isinstance(value, bool) or not 1 <= count <= COUNT_MAX:
        errors.append(
            _("%(field)s must be a number from 1 to %(max)d.") % {"field": field.label, "max": COUNT_MAX}
        )
        return 1
    return count


def _products(value, field: Field, errors: list) -> list[dict]:
    if not isinstance(value, list):
        errors.append(_("%(field)s must be a list.") % {"field": field.label})
        return []
    if len(value) > PRODUCTS_MAX:
        errors.append(_("A products block shows at most %(max)d products.") % {"max": PRODUCTS_MAX})
        return []
    items = []
    for n, entry in enumerate(value, start=1):
        entry = entry if isinstance(entry, dict) else {}
        ref = entry.get("ref")
        if not isinstance(ref, str) or not REF.match(ref):
            errors.append(_("Choose product %(n)d from the list.") % {"n": n})
            continue
        link = Field("url", _("Link of product %(n)d") % {"n": n}, "url", required=True, max_length=URL_MAX)
        url = _url(entry.get("url", ""), link, errors)
        items.append({"ref": ref, "url": url})
    if field.required and not items and not errors:
        errors.append(_("Choose at least one product."))
    return items


def _product(value, field: Field, errors: list) -> str:
    if value in (None, ""):
        return ""
    match = REF.match(value) if isinstance(value, str) else None
    if match is None or match.group(1) != "product":
        errors.append(_("Choose %(field)s from the list.") % {"field": field.label})
        return ""
    return value


CLEANERS = {
    "text": _text,
    "textarea": _text,
    "url": _url,
    "count": _count,
    "products": _products,
    "product": _product,
}


def blocks_clean(blocks) -> list[dict]:
    """The blocks, checked and normalised (text trimmed, unknown keys dropped), or ValidationError
    listing every problem as "Block <n> (<kind>): <message>"."""
    if not isinstance(blocks, list):
        raise ValidationError(_("The blocks must be a list."), code="blocks_not_list")
    if len(blocks) > BLOCKS_MAX:
        raise ValidationError(
            _("A template holds at most %(max)d blocks (this one has %(count)d).")
            % {"max": BLOCKS_MAX, "count": len(blocks)},
            code="too_many_blocks",
        )
    cleaned, problems = [], []
    for n, block in enumerate(blocks, start=1):
        name = block.get("kind") if isinstance(block, dict) else None
        kind = BLOCKS.get(name) if isinstance(name, str) else None  # a list or an object is no kind
        if kind is None:
            problems.append(
                ValidationError(
                    _("Block %(n)d: unknown kind of block."), code="unknown_kind", params={"n": n}
                )
            )
            continue
        errors: list = []
        result = {"kind": kind.name}
        for field in kind.fields:
            result[field.name] = CLEANERS[field.type](block.get(field.name), field, errors)
        problems += [
            ValidationError(
                _("Block %(n)d (%(kind)s): %(error)s"),
                code="block_invalid",
                params={"n": n, "kind": kind.label, "error": error},
            )
            for error in errors
        ]
        cleaned.append(result)
    if problems:
        raise ValidationError(problems)
    return cleaned
