"""Errors raised outside DRF views (unknown URL, unknown host, a crash) in the API's one format."""

from http import HTTPStatus

from django.http import JsonResponse
from django.utils.translation import gettext as _

from .errors import error_body

API_PREFIX = "/api/"
CODES = {400: "bad_request", 403: "permission_denied", 404: "not_found", 500: "server_error"}


def _messages() -> dict[int, str]:
    return {
        404: _("There is no API endpoint at this address. See /api/docs/."),
        500: _("Something went wrong on our side. It was logged; please retry later."),
    }


class ApiErrorMiddleware:
    """On /api/ paths, replace Django's HTML error pages (404, 500, …) with the JSON envelope.

    Place it before TenantMiddleware so errors from tenant resolution are covered too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400:
            return response
        content_type = response.get("Content-Type", "")
        if content_type.startswith("application/json") or "+json" in content_type:
            return response
        status = response.status_code
        phrase = HTTPStatus(status).phrase
        code = CODES.get(status, phrase.lower().replace(" ", "_").replace("-", "_"))
        return JsonResponse(error_body(code, _messages().get(status, phrase)), status=status)
