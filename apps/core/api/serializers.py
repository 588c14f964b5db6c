"""Serializer helpers shared by every API."""

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import empty


class StrictSerializer(serializers.Serializer):
    """An input serializer that refuses fields it does not know (a typo must not pass silently)."""

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            unknown = sorted(set(data.keys()) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({field: [_("Unknown field.")] for field in unknown})
            not_text = [name for name in data.keys() if _not_text(self.fields[name], data[name])]
            if not_text:  # DRF would turn a JSON number into text; the schema says string
                raise serializers.ValidationError({name: [_("Not a valid string.")] for name in not_text})
        return super().to_internal_value(data)


def _not_text(field, value) -> bool:
    return isinstance(field, serializers.CharField) and value is not None and not isinstance(value, str)


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
