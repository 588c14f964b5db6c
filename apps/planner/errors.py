"""Errors of the planner the API and the dashboard render (apps/core/errors.py)."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import ApplicationError, Conflict


class ScenarioArchived(Conflict):
    code = "scenario_archived"
    message = _("This scenario is archived: it can no longer be changed.")


class NoPlan(Conflict):
    code = "no_plan"
    message = _("This scenario has no plan yet: generate one first.")


class PlanProviderFailed(ApplicationError):
    """The AI provider could not give a valid plan (down, too slow, refused, or twice invalid)."""

    code = "ai_provider_failed"
    status = 502
    message = _("The AI assistant could not make the plan now. Try again, or use the offline assistant.")
