"""Serializer helpers shared by every API."""

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import empty

from apps.core.hygiene import SINGLE_LINE_MESSAGE

CONTROL = r"\x00-\x1f\x7f-\x9f\u2028\u2029"  # as apps.core.hygiene.CONTROL
# One line with something in it: the schema's pattern says so (a rule it states is a 400).
ONE_LINE = rf"^[^{CONTROL}]*[^{CONTROL}\s][^{CONTROL}]*$"


def text_field(*, max_length: int, **kwargs) -> serializers.RegexField:
    """A message: lines of text with something in them, the rule stated in the schema as a pattern."""
    return serializers.RegexField(
        r"\S",
        max_length=max_length,
        trim_whitespace=False,
        error_messages={"invalid": _("Write something.")},
        **kwargs,
    )


def one_line_field(*, max_length: int, required: bool = True, **kwargs) -> serializers.RegexField:
    """A name or a label: one line of text (with something in it when required), the rule stated
    in the schema as a pattern."""
    return serializers.RegexField(
        ONE_LINE if required else rf"^[^{CONTROL}]*$",
        max_length=max_length,
        required=required,
        allow_blank=not required,
        error_messages={"invalid": SINGLE_LINE_MESSAGE},
        **kwargs,
    )


class StrictSerializer(serializers.Serializer):
    """An input serializer that refuses fields it does not know (a typo must not pass silently)."""

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            unknown = sorted(set(data.keys()) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({field: [_("Unknown field.")] for field in unknown})
            # DRF would turn a JSON number into text, or 0 into false; the schema says string, boolean
            form = isinstance(data, QueryDict)  # a form's values are all text
            wrong = {name: _wrong_type(self.fields[name], data[name], form) for name in data.keys()}
            errors = {name: [message] for name, message in wrong.items() if message}
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


def _wrong_type(field, value, form: bool) -> str:
    """Why a JSON value does not have the field's type ("" if it does, or comes from a form)."""
    if value is None or form:
        return ""
    if isinstance(field, serializers.CharField) and not isinstance(value, str):
        return _("Not a valid string.")
    if isinstance(field, serializers.BooleanField) and not isinstance(value, bool):
        return _("Must be true or false.")
    return ""


class QuerySerializer(serializers.Serializer):
    """Query-string filters. `?status=` is an empty value to validate (400), not an omitted filter.

    DRF reads a QueryDict like an HTML form, where an empty optional field means "not sent";
    a plain dict gives every parameter that is present to its field.
    """

    def __init__(self, instance=None, data=empty, **kwargs):
        if isinstance(data, QueryDict):
            data = data.dict()
        super().__init__(instance, data=data, **kwargs)


def validated(serializer_class, data, *, partial: bool = False) -> dict:
    """Parse `data` with `serializer_class`; a 400 `validation_error` if it does not fit."""
    serializer = serializer_class(data=data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
