"""One refresh of everything the CRM computes for a workspace, as of a date."""

from datetime import date

from django.utils import timezone

from .recommendations import recommendations_refresh
from .rfm import rfm_refresh


def crm_refresh(*, as_of: date | None = None) -> dict[str, int | str]:
    """RFM scores, segment moves, estimates and recommendations as of `as_of` (default today, UTC),
    in the active workspace: the figures of the run."""
    as_of = as_of or timezone.now().date()
    return {"as_of": as_of.isoformat(), **rfm_refresh(as_of=as_of), **recommendations_refresh(as_of=as_of)}
