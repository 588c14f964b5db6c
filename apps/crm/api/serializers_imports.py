"""The imports API's input and output."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.hygiene import json_loads

from ..etl.reading import DELIMITERS, ENCODINGS
from ..etl.services import import_report
from ..models import Import, ImportRejection
from ..models.imports import Kind


@extend_schema_field({"type": "object", "additionalProperties": {"type": "string"}})
class MappingField(serializers.Field):
    """`{"file column": "field"}`, as a JSON object or (multipart) its JSON text."""

    default_error_messages = {"invalid": "Give a JSON object of file column → field."}

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = json_loads(data) if data.strip() else {}
            except ValueError:
                self.fail("invalid")
        if not isinstance(data, dict) or not all(
            isinstance(key, str) and isinstance(value, str) for key, value in data.items()
        ):
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


class ImportCreateSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True, help_text="The CSV file (UTF-8, with or without BOM, or Windows-1252)."
    )
    kind = serializers.ChoiceField(choices=Kind.choices, required=False, allow_blank=True, default="")
    source = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=100,
        help_text="Who exports the file: its saved mapping applies; a mapping sent with it is saved.",
    )
    encoding = serializers.ChoiceField(
        choices=list(ENCODINGS),
        required=False,
        allow_blank=True,
        default="",
        help_text="Detected when left out.",
    )
    delimiter = serializers.ChoiceField(
        choices=list(DELIMITERS),
        required=False,
        allow_blank=True,
        default="",
        help_text="Detected when left out.",
    )
    mapping = MappingField(required=False, default=dict, help_text="`{file column: field}`, JSON.")


class ImportSerializer(serializers.ModelSerializer):
    report = serializers.SerializerMethodField()

    class Meta:
        model = Import
        fields = [
            "uuid",
            "kind",
            "status",
            "progress",
            "original_name",
            "source",
            "encoding",
            "delimiter",
            "mapping",
            "error",
            "created_at",
            "finished_at",
            "report",
        ]

    def get_report(self, instance: Import) -> dict:
        return import_report(instance)


class RejectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportRejection
        fields = ["line", "column", "value", "reason", "warning"]
