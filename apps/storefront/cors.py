"""CORS for the widget's API (`/api/v1/widget/…`), per brand.

Preflights (OPTIONS) are answered here: 204 with the allowed methods and headers for an origin
the key's brand allows, 403 `origin_not_allowed` otherwise. Responses get
`Access-Control-Allow-Origin` only for allowed origins — and on the errors only the merchant can
fix (`origin_not_allowed`, `publishable_key_invalid`, `tenant_suspended`: `auth.readable_by_page`),
so the widget on a misconfigured site can say why instead of seeing a network failure.
"""

from django.http import HttpResponse, JsonResponse

from apps.core.api.errors import error_body

from .auth import origin_allowed, request_origin
from .errors import OriginNotAllowed

PREFLIGHT_MAX_AGE = 600
ALLOW_HEADERS = "Content-Type, X-Luneo-Session, X-Luneo-Key, Idempotency-Key"
EXPOSE_HEADERS = "Retry-After, Location"


class WidgetCorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from apps.tenants.middleware import WIDGET_API_PREFIX

        if not request.path.startswith(WIDGET_API_PREFIX):
            return self.get_response(request)
        allowed = origin_allowed(request)
        if request.method == "OPTIONS":
            if not allowed:
                error = OriginNotAllowed(details={"origin": request_origin(request) or None})
                return JsonResponse(error_body(error.code, error.message, error.details), status=error.status)
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, POST, PATCH, OPTIONS"
            response["Access-Control-Allow-Headers"] = ALLOW_HEADERS
            response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
        else:
            response = self.get_response(request)
        if allowed or getattr(request, "cors_error", False):
            response["Access-Control-Allow-Origin"] = request_origin(request)
            response["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
        response["Vary"] = "Origin"
        return response
