"""Checking what people (and, later, a model) write into a scenario or a plan: every problem is
collected under its field, then refused at once as one ValidationFailed. `plan_validate` is the
one schema every plan provider answers in."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from apps.core.errors import ValidationFailed
from apps.core.hygiene import CONTROL, FORBIDDEN, SINGLE_LINE_MESSAGE

from .models import PlanItem

ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
AMOUNT_MAX = Decimal("1e12")  # the models' DecimalField(max_digits=14, decimal_places=2)
CENT = Decimal("0.01")
LABEL_MAX = 200
SUMMARY_MAX = 2000
MESSAGE_MAX = 1000
CHANNEL_MAX = 60
FREQUENCY_MAX = 60
KPI_MAX = 200
ITEMS_MIN, ITEMS_MAX = 3, 20
PLAN_KEYS = ("summary", "items")
ITEM_KEYS = ("format", "message", "channel", "frequency", "kpi", "target", "deadline")


class Problems(dict):
    """Field → list of messages. Each check returns the clean value (None when refused)."""

    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    def refuse(self, message: str | None = None) -> None:
        if self:
            raise ValidationFailed(message, details=dict(self))

    def text(self, field: str, value, *, max_length: int, required: bool = True, multiline: bool = False):
        if value is None and not required:
            return ""
        if not isinstance(value, str):
            return self.add(field, _("Expected text."))
        if FORBIDDEN.search(value):
            return self.add(field, _("Text may not contain NUL characters or unpaired surrogates."))
        value = (
            "\n".join(line.rstrip() for line in value.strip().splitlines()) if multiline else value.strip()
        )
        if not multiline and CONTROL.search(value):
            return self.add(field, str(SINGLE_LINE_MESSAGE))
        if len(value) > max_length:
            return self.add(field, _("At most %(max)d characters.") % {"max": max_length})
        if required and not value:
            return self.add(field, _("This field is required."))
        return value

    def amount(self, field: str, value, *, required: bool = True) -> Decimal | None:
        if value is None or value == "":
            return self.add(field, _("This field is required.")) if required else None
        try:
            number = Decimal(str(value)) if isinstance(value, int | float | str | Decimal) else None
        except InvalidOperation:
            number = None
        if isinstance(value, bool) or number is None or not number.is_finite() or abs(number) >= AMOUNT_MAX:
            return self.add(field, _("Expected a number below a trillion."))
        return number.quantize(CENT)

    def day(self, field: str, value) -> date | None:
        """A date, or its ISO text (YYYY-MM-DD); None stays None."""
        if value is None or isinstance(value, date):
            return value
        if isinstance(value, str) and ISO_DATE.match(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        return self.add(field, _("Expected a date (YYYY-MM-DD)."))

    def choice(self, field: str, value, choices) -> str | None:
        if value in choices:
            return value
        return self.add(
            field,
            _("Unknown value %(value)s: use one of %(choices)s.")
            % {"value": repr(value)[:60], "choices": ", ".join(choices)},
        )


# --- the plan's schema ------------------------------------------------------------------------


def _properties(problems: Problems, where: str, value, keys: tuple[str, ...]) -> bool:
    """Whether `value` is an object with exactly `keys` (each problem added under `where`)."""
    if not isinstance(value, dict):
        problems.add(where or "plan", _("Expected an object."))
        return False
    prefix = f"{where}." if where else ""
    for key in keys:
        if key not in value:
            problems.add(prefix + key, _("This field is required."))
    for key in value:
        if key not in keys:
            problems.add(prefix + str(key)[:60], _("Unknown property."))
    return set(value) == set(keys)


def _item(problems: Problems, where: str, item: dict) -> dict:
    return {
        "format": problems.choice(f"{where}.format", item["format"], PlanItem.Format.values),
        "message": problems.text(f"{where}.message", item["message"], max_length=MESSAGE_MAX, multiline=True),
        "channel": problems.text(f"{where}.channel", item["channel"], max_length=CHANNEL_MAX),
        "frequency": problems.text(f"{where}.frequency", item["frequency"], max_length=FREQUENCY_MAX),
        "kpi": problems.text(f"{where}.kpi", item["kpi"], max_length=KPI_MAX),
        "target": problems.text(f"{where}.target", item["target"], max_length=LABEL_MAX, required=False)
        or None,
        "deadline": problems.day(f"{where}.deadline", item["deadline"]),
    }


def plan_validate(data: dict) -> dict:
    """The plan, checked against the strict schema every provider answers in: {"summary": text,
    "items": [{"format", "message", "channel", "frequency", "kpi", "target" (a target's label or
    null), "deadline" (YYYY-MM-DD or null)}]}, every property required, none other, 3 to 20
    items. Returns it clean (deadlines as dates); ValidationFailed lists every problem."""
    problems = Problems()
    if not _properties(problems, "", data, PLAN_KEYS):
        problems.refuse(_("The plan does not follow the schema."))
    summary = problems.text("summary", data["summary"], max_length=SUMMARY_MAX, multiline=True)
    items = data["items"]
    if not isinstance(items, list) or not ITEMS_MIN <= len(items) <= ITEMS_MAX:
        problems.add(
            "items", _("A plan has %(min)d to %(max)d items.") % {"min": ITEMS_MIN, "max": ITEMS_MAX}
        )
        problems.refuse(_("The plan does not follow the schema."))
    clean = [
        _item(problems, f"items.{n}", item)
        for n, item in enumerate(items)
        if _properties(problems, f"items.{n}", item, ITEM_KEYS)
    ]
    problems.refuse(_("The plan does not follow the schema."))
    return {"summary": summary, "items": clean}
