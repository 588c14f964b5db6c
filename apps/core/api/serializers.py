"""Serializer helpers shared by every API."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class StrictSerializer(serializers.Serializer):
    """An input serializer that refuses fields it does not know (a typo must not pass silently)."""

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            unknown = sorted(set(data.keys()) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({field: [_("Unknown field.")] for field in unknown})
        return super().to_internal_value(data)


def validated(serializer_class, data, *, partial: bool = False) -> dict:
    """Parse `data` with `serializer_class`; a 400 `validation_error` if it does not fit."""
    serializer = serializer_class(data=data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
