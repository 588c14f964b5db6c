"""The copilot's tools: typed, read-only questions the copilot may ask of the workspace's data.

Each tool runs in the current schema (the workspace the request or task already set), checks the
member's role before anything else, validates its arguments against its own strict JSON schema
(the OpenAI strict function format), and answers with figures read through the other apps'
selectors — the very functions the dashboard's pages call, so an answer equals the page it links
to. A `ToolResult` carries the figures (`data`, what a model sees), a Markdown summary in the
active language built from those figures only, and the dashboard pages that show them.

The tools themselves live in `tool_sales.py`, `tool_customers.py`, `tool_billing.py` and
`tool_inbox.py`; they register here with `@tool(...)` when this module is imported.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.analytics.selectors import Period
from apps.core.errors import NotFound, PermissionDenied, ValidationFailed
from apps.tenants.models import ROLE_RANK, Role


@dataclass(frozen=True)
class Source:
    label: str  # translated, e.g. "Analytics"
    url: str  # a dashboard path, with the query string the page filters on


@dataclass
class ToolResult:
    data: dict  # JSON-serialisable figures: str for Decimals, ISO for dates
    summary: str  # Markdown in the active language, every figure taken from `data`
    sources: list[Source] = field(default_factory=list)
    empty: bool = False  # no data: the summary says so, never a 0 shown as a figure
    designs: list[str] = field(default_factory=list)  # designs (`dsg_…`) the answer shows as thumbnails


@dataclass(frozen=True)
class Tool:
    name: str
    label: str  # translated short label (lazy)
    description: str  # English, for the model
    parameters: dict  # strict JSON schema
    run: Callable[[dict], ToolResult]
    role: str = Role.VIEWER  # the least role that may use it


TOOLS: dict[str, Tool] = {}


def tool(name: str, *, label, description: str, parameters: dict, role: str = Role.VIEWER):
    """Register the decorated function `run(arguments) -> ToolResult` as the tool `name`."""

    def register(run: Callable[[dict], ToolResult]) -> Callable[[dict], ToolResult]:
        if name in TOOLS:
            raise ValueError(f"Tool {name!r} is registered twice.")
        schema_check(parameters)
        TOOLS[name] = Tool(name, label, description, parameters, run, role)
        return run

    return register


def role_rank(role) -> int:
    try:
        return ROLE_RANK[Role(role)]
    except (ValueError, TypeError, KeyError):
        return -1  # not a role: below every tool


def tools_for(role: str) -> list[Tool]:
    """The tools a member with `role` may use, in registration order."""
    return [item for item in TOOLS.values() if role_rank(role) >= role_rank(item.role)]


def tool_run(name: str, arguments: dict, *, role: str) -> ToolResult:
    """Run the tool `name` for a member with `role`, in the current schema.

    NotFound for an unknown tool, PermissionDenied below the tool's role, ValidationFailed (with
    every problem in `details["problems"]`) for arguments its schema refuses.
    """
    found = TOOLS.get(name) if isinstance(name, str) else None
    if found is None:
        raise NotFound(_("The copilot has no such tool."), details={"tool": _printable(name)})
    if role_rank(role) < role_rank(found.role):
        raise PermissionDenied(
            _("Your role does not allow this: it needs %(role)s or above.")
            % {"role": Role(found.role).label},
            details={"tool": found.name, "required_role": str(found.role)},
        )
    return found.run(arguments_check(found.parameters, arguments))


# --- schemas ----------------------------------------------------------------------------------

MAX_PROBLEMS = 20
FORBIDDEN = re.compile("[\x00\ud800-\udfff]")  # NUL, halves of surrogate pairs (as apps/core/hygiene.py)
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
JSON_TYPES = {
    "string": lambda value: isinstance(value, str),
    "integer": lambda value: isinstance(value, int) and not isinstance(value, bool),
    "number": lambda value: isinstance(value, int | float) and not isinstance(value, bool),
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
}


def params(**properties: dict) -> dict:
    """A strict object schema: every property required (optional ones are nullable), no other."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def nullable(schema: dict) -> dict:
    """`schema`, or null (an optional argument of a strict schema)."""
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    result = {**schema, "type": [*types, "null"]}
    if "enum" in schema:
        result["enum"] = [*schema["enum"], None]
    return result


def schema_check(schema: dict) -> None:
    """A tool's schema is in OpenAI's strict format (a programming error otherwise)."""
    strict = schema.get("type") == "object" and schema.get("additionalProperties") is False
    if not strict or sorted(schema.get("required", [])) != sorted(schema.get("properties", {})):
        raise ValueError(f"Not a strict object schema: {schema!r}")


def _printable(value: Any, limit: int = 60) -> str:
    """`value` as short text that any JSON encoder takes (no NUL, no lone surrogate)."""
    return FORBIDDEN.sub("\ufffd", str(value))[:limit]


def _value_problem(schema: dict, value: Any) -> str | None:
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    if not any(JSON_TYPES[name](value) for name in types):
        return _("must be of type %(types)s") % {"types": " or ".join(types)}
    if isinstance(value, str):
        if FORBIDDEN.search(value):
            return _("may not contain NUL characters or unpaired surrogates")
        if len(value) > schema.get("maxLength", len(value)):
            return _("must be at most %(count)d characters long") % {"count": schema["maxLength"]}
    if "enum" in schema and value not in schema["enum"]:
        choices = ", ".join("null" if choice is None else str(choice) for choice in schema["enum"])
        return _("must be one of: %(choices)s") % {"choices": choices}
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            return _("must be at least %(minimum)s") % {"minimum": schema["minimum"]}
        if "maximum" in schema and value > schema["maximum"]:
            return _("must be at most %(maximum)s") % {"maximum": schema["maximum"]}
    if schema.get("format") == "date" and isinstance(value, str):
        try:
            if not DATE.match(value):
                raise ValueError
            date.fromisoformat(value)
        except ValueError:
            return _("must be a date written YYYY-MM-DD")
    return None


def arguments_check(schema: dict, arguments: Any) -> dict:
    """`arguments` if `schema` (a flat strict object schema) accepts them; ValidationFailed with
    every problem otherwise. Any JSON-shaped value is answered, never raised on."""
    if not isinstance(arguments, dict):
        problems = [{"field": "", "message": _("The arguments must be a JSON object.")}]
        raise ValidationFailed(_("The tool's arguments are invalid."), details={"problems": problems})
    properties = schema["properties"]
    problems = [
        {"field": _printable(name), "message": _("is not an argument of this tool")}
        for name in arguments
        if name not in properties
    ]
    for name in schema["required"]:
        if name not in arguments:
            problems.append({"field": name, "message": _("is required")})
        else:
            problem = _value_problem(properties[name], arguments[name])
            if problem:
                problems.append({"field": name, "message": problem})
    if problems:
        raise ValidationFailed(
            _("The tool's arguments are invalid."), details={"problems": problems[:MAX_PROBLEMS]}
        )
    return dict(arguments)


# --- periods (the analytics app's Period) ---------------------------------------------------------

PRESETS = {"7d": 7, "30d": 30, "90d": 90}
MAX_DAYS = 366  # as the dashboard's custom period
EARLIEST = date(2000, 1, 1)  # no data before; keeps the comparison period's dates valid
PERIOD_ARGUMENTS = {
    "period": {
        "type": "string",
        "enum": [*PRESETS, "this_month", "last_month", "custom"],
        "description": "The period: the last 7, 30 or 90 days up to today, this calendar month so far, "
        "last calendar month, or custom (then give start and end).",
    },
    "start": nullable(
        {"type": "string", "format": "date", "description": "First day (custom only), YYYY-MM-DD."}
    ),
    "end": nullable(
        {"type": "string", "format": "date", "description": "Last day (custom only), YYYY-MM-DD."}
    ),
}


def period_of(arguments: dict, *, today: date | None = None) -> tuple[str, Period]:
    """The period the (schema-checked) arguments ask for; ValidationFailed when a custom period is
    incomplete, reversed, in the future or too long, or dates come without `custom`."""
    today = today or timezone.now().date()
    key = arguments["period"]
    start, end = arguments.get("start"), arguments.get("end")
    problems = []
    if key != "custom":
        problems += [
            {"field": name, "message": _("is only for a custom period")}
            for name in ("start", "end")
            if arguments.get(name) is not None
        ]
    else:
        problems += [
            {"field": name, "message": _("is required for a custom period")}
            for name in ("start", "end")
            if arguments.get(name) is None
        ]
    if not problems and key == "custom":
        start, end = date.fromisoformat(start), date.fromisoformat(end)
        if start < EARLIEST:
            problems.append(
                {"field": "start", "message": _("must not be before %(day)s") % {"day": EARLIEST}}
            )
        elif start > end:
            problems.append({"field": "start", "message": _("must not be after end")})
        elif end > today:
            problems.append({"field": "end", "message": _("must not be after today")})
        elif (end - start).days + 1 > MAX_DAYS:
            problems.append({"field": "start", "message": _("at most %(days)d days") % {"days": MAX_DAYS}})
    if problems:
        raise ValidationFailed(_("The tool's arguments are invalid."), details={"problems": problems})
    if key in PRESETS:
        return key, Period.last(PRESETS[key], today)
    if key == "this_month":
        return key, Period(today.replace(day=1), today)
    if key == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return key, Period(last.replace(day=1), last)
    return key, Period(start, end)


def period_data(key: str, period: Period) -> dict:
    previous = period.previous()
    return {
        "key": key,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "days": period.days,
        "previous_start": previous.start.isoformat(),
        "previous_end": previous.end.isoformat(),
    }


def period_query(key: str, period: Period) -> str:
    """The dashboard home's query string for the period (apps/analytics/forms.py PeriodForm)."""
    if key in PRESETS:
        return f"period={PRESETS[key]}"
    return f"period=custom&start={period.start.isoformat()}&end={period.end.isoformat()}"


def period_text(data: dict) -> str:
    return _("%(start)s to %(end)s") % {"start": data["start"], "end": data["end"]}


def analytics_source(key: str, period: Period) -> Source:
    return Source(_("Analytics"), f"{reverse('dashboard:home')}?{period_query(key, period)}")


# --- figures --------------------------------------------------------------------------------------


def figure(value) -> str | int | float | None:
    """A figure as `data` holds it: Decimals as text, dates in ISO, the rest unchanged."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def shown(value) -> str:
    """A `data` figure as the summary writes it ("—" for none)."""
    return "—" if value is None else str(value)


from . import tool_billing, tool_customers, tool_inbox, tool_sales  # noqa: E402, F401  (they register their tools)
