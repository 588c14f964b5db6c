"""Input hygiene: what no request may carry, refused once for every API, form and webhook.

PostgreSQL refuses NUL in text and in jsonb; text holding an unpaired surrogate (JSON's
`"\\ud800"`) cannot be encoded as UTF-8; Python's json module recurses, so a body nested
thousands deep raises RecursionError; jsonb has no NaN or Infinity. Each is refused with
`MalformedInput` (400 `malformed_request`):

- `InputHygieneMiddleware` (apps/core/middleware.py): the path, query string, headers and
  url-encoded forms of every request, before anything looks them up;
- `json_loads`: every JSON body or JSON form field (the API's JSON parser, inbound webhooks after
  their signature is checked, `JSONDecoder` for Django's `forms.JSONField`);
- the API's form and multipart parsers (apps/core/api/parsers.py).

Names, titles and descriptions are single-line text: no control character (Unicode category Cc,
which holds the line breaks and tabs) nor line or paragraph separator (U+2028, U+2029), or a
name becomes a second header line in a mail subject. Model fields and plain form fields carry
the validator `single_line`; services that write names without `full_clean` call
`single_line_check`; mail subjects go through `one_line`, which never refuses.
"""

import json
import math
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import MalformedInput, ValidationFailed

MAX_DEPTH = 64  # levels of JSON arrays and objects
FORBIDDEN = re.compile("[\x00\ud800-\udfff]")  # NUL, and halves of surrogate pairs
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")  # Unicode Cc, line and paragraph separators
SINGLE_LINE_MESSAGE = gettext_lazy("Use a single line: no line breaks, tabs or other control characters.")


def text_check(*values: str) -> None:
    for value in values:
        if FORBIDDEN.search(value):
            raise MalformedInput(_("Text may not contain NUL characters or unpaired surrogates."))


def fields_check(fields: MultiValueDict) -> None:
    """A form's or a query string's names and values (files are checked by name)."""
    for name, values in fields.lists():
        text_check(name, *(getattr(value, "name", value) for value in values))


def data_check(data: Any) -> None:
    """Every string and key of parsed JSON, without recursion; no deeper than MAX_DEPTH."""
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            text_check(value)
        elif isinstance(value, dict | list):
            if depth == MAX_DEPTH:
                raise _too_deep()
            if isinstance(value, dict):
                text_check(*value)
                value = value.values()
            stack.extend((item, depth + 1) for item in value)


def _too_deep() -> MalformedInput:
    return MalformedInput(_("The JSON is nested more than %(depth)d levels deep.") % {"depth": MAX_DEPTH})


def _not_finite(_value: str) -> float:
    raise MalformedInput(_("Numbers must be finite: NaN and Infinity are not JSON."))


def _finite(value: str) -> float:
    number = float(value)
    return number if math.isfinite(number) else _not_finite(value)


def json_loads(raw: bytes | str) -> Any:
    """`json.loads` for input: MalformedInput (a 400, and a ValueError) for anything refused here."""
    try:
        text = raw.decode() if isinstance(raw, bytes) else raw  # JSON over HTTP is UTF-8
        data = json.loads(text, parse_constant=_not_finite, parse_float=_finite)
    except RecursionError:  # deeper than json itself can go
        raise _too_deep() from None
    except MalformedInput:
        raise
    except ValueError as exc:  # not JSON, or not UTF-8
        reason = getattr(exc, "msg", str(exc))
        raise MalformedInput(_("The body is not valid JSON: %(reason)s.") % {"reason": reason}) from None
    data_check(data)
    return data


class JSONDecoder(json.JSONDecoder):
    """`json_loads` for Django's `forms.JSONField(decoder=…)`, which expects JSONDecodeError."""

    def decode(self, s, *_args):
        try:
            return json_loads(s)
        except MalformedInput as exc:
            raise json.JSONDecodeError(exc.message, s, 0) from None


def single_line(value: str) -> None:
    """Validator of single-line text (model and form fields): a ValidationError for a control character."""
    if CONTROL.search(value):
        raise ValidationError(SINGLE_LINE_MESSAGE, code="single_line")


def single_line_check(**fields: str) -> None:
    """The same rule for services that write names directly: ValidationFailed naming the fields."""
    refused = {name: [str(SINGLE_LINE_MESSAGE)] for name, value in fields.items() if CONTROL.search(value)}
    if refused:
        raise ValidationFailed(details={"fields": refused})


def one_line(text: str) -> str:
    """Text for one line, e.g. a mail subject built from a name stored before names were checked:
    control characters and runs of whitespace become one space."""
    return " ".join(CONTROL.sub(" ", text).split())
