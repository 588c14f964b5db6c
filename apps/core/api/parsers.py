"""The API's parsers: DRF's, with every body through the input hygiene (apps/core/hygiene.py).

JSON is the default (REST_FRAMEWORK settings); views taking files list `FORMS_AND_JSON`.
"""

from rest_framework import parsers

from apps.core import hygiene


class JSONParser(parsers.JSONParser):
    """Nesting bounded, numbers finite, no NUL or unpaired surrogate: else 400 `malformed_request`."""

    def parse(self, stream, media_type=None, parser_context=None):
        return hygiene.json_loads(stream.read())


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        fields = super().parse(stream, media_type, parser_context)
        hygiene.fields_check(fields)
        return fields


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        hygiene.fields_check(parsed.data)
        hygiene.fields_check(parsed.files)
        return parsed


FORMS_AND_JSON = [JSONParser, MultiPartParser, FormParser]
