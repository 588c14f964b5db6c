"""The planner API's 422s: well-formed input the planner's rules refuse (the services'
`ValidationFailed`, raised after the schema was met: an end before the start, a label the
scenario already has, a plan for a scenario that lacks parts)."""

from apps.core.errors import ApplicationError, ValidationFailed


class ScenarioInvalid(ApplicationError):
    code = "scenario_invalid"
    status = 422
    message = ValidationFailed.message


class ScenarioIncomplete(ScenarioInvalid):
    """A plan asked for before the scenario has objectives, targets and resources."""

    code = "scenario_incomplete"
