"""OpenAPI: every operation lists the error envelope under each error status it can answer with."""

import uritemplate
from drf_spectacular import openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from . import idempotency
from .errors import ErrorSerializer

ERROR_DESCRIPTIONS = {
    400: "`validation_error` (see `details.fields`), `malformed_request` or `idempotency_key_invalid`.",
    401: "`not_authenticated` or `authentication_failed`: missing, malformed, revoked or publishable key.",
    402: (
        "The plan does not allow it: `feature_not_in_plan` (Starter has no REST API), `quota_exceeded` "
        "(the month's AI designs) or `plan_limit_reached`; `details.upgrade_url` leads to the Billing page."
    ),
    403: "`insufficient_scope` (see `details.required_scope`), `tenant_suspended` or `role_not_allowed`.",
    404: "`not_found`: no such object in this key's workspace (or a stale pagination cursor).",
    409: "A conflict with the current state (e.g. `already_member`) or `idempotency_in_progress`.",
    422: "`idempotency_key_reused`: the Idempotency-Key was used for a different request.",
    429: "`rate_limited`: too many requests for this key; retry after `Retry-After` seconds.",
}
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    response=[429],
    description="Seconds to wait before the key may make another request.",
)
WRITE_METHODS = ("POST", "PUT", "PATCH")


class AutoSchema(openapi.AutoSchema):
    def get_description(self):
        scope = getattr(self.view, "required_scopes", {}).get(self.method)
        if scope is None:
            return super().get_description()
        return "\n\n".join(filter(None, [super().get_description(), f"Requires the scope `{scope}`."]))

    def get_override_parameters(self):
        return [*super().get_override_parameters(), RETRY_AFTER]

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status in self._error_statuses():
            response = OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[status])
            responses.setdefault(str(status), self._get_response_for_code(response, str(status)))
        return responses

    def _error_statuses(self) -> list[int]:
        statuses = {401, 402, 403, 429}
        is_list = self.method == "GET" and self._is_list_view()
        if self.method in WRITE_METHODS or is_list:  # a body, or filters and a cursor
            statuses.add(400)
        if uritemplate.variables(self.path) or is_list:  # an id, or a cursor
            statuses.add(404)
        parameters = self.get_override_parameters()
        if any(getattr(parameter, "name", None) == idempotency.HEADER for parameter in parameters):
            statuses.update({409, 422})
        return sorted(statuses)
