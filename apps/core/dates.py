"""Day boundaries for date filters (the project's time zone, UTC)."""

from datetime import date, datetime, time

from django.utils import timezone


def day_start(day: date) -> datetime:
    """Midnight at the start of `day`: filter `>= day_start(first)` and `< day_start(last + 1 day)`."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())
