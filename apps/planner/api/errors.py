"""The planner API's 422s: well-formed input the planner's rules refuse (the services'
`ValidationFailed`, raised after the schema was met: an end before the start, a label the
scenario already has, a plan for a scenario that lacks parts)."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import ApplicationError, ValidationFailed


class ScenarioInvalid(ApplicationError):
    code = "scenario_invalid"
    status = 422
    message = ValidationFailed.message


class ScenarioIncomplete(ScenarioInvalid):
    """A plan asked for before the scenario has objectives, targets and resources."""

    code = "scenario_incomplete"


class ChatRequestInvalid(ApplicationError):
    """A chat request that sends both a message and an action, neither, or a payload without an action."""

    code = "chat_request_invalid"
    status = 422
    message = _("Send either `text` or `action` (with its `payload`).")
