"""Errors of campaigns the API and the dashboard render (apps/core/errors.py)."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import ApplicationError, Conflict


class AudienceInUse(Conflict):
    code = "audience_in_use"
    message = _("This audience is used by a campaign: it cannot be deleted.")


class TemplateInvalid(ApplicationError):
    """A template's content, well-formed JSON, breaks a rule of its blocks (`details.fields`)."""

    code = "template_invalid"
    status = 422
    message = _("The template is not valid: see the problems listed.")


class ScheduleInvalid(ApplicationError):
    """A schedule the schema cannot refuse: neither or both of `at` and `now`, or a past time."""

    code = "schedule_invalid"
    status = 422
    message = _('Send either "at", a time in the future, or "now": true.')
