import logging
import re
import time
import uuid

from django.core.signals import request_finished
from django.http import JsonResponse
from django.views.defaults import bad_request

from . import context, hygiene
from .api.errors import error_body
from .api.middleware import API_PREFIX
from .errors import MalformedInput
from .traffic import traffic_count

logger = logging.getLogger("luneo.request")
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _request_user(request) -> str:
    api_key = getattr(request, "api_key", None)
    if api_key is not None:
        return f"key:{api_key.prefix}"
    operator = getattr(request, "support_operator", None)  # support access: the operator acts, as a member
    if operator is not None:
        return str(operator.pk)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return str(user.pk)
    return "-"


def _request_tenant(request) -> str:
    tenant = getattr(request, "tenant", None)
    return tenant.schema_name if tenant is not None else "-"


def _context_clear(**_kwargs) -> None:
    context.clear()


class RequestContextMiddleware:
    """Gives each request an id (kept from a sane `X-Request-ID`), echoes it, logs one line.

    The log context holds from here until the response is closed (`request_finished`), so
    Django's own lines about the response ("Not Found: …") carry it too. The workspace and
    user are bound as soon as they are known: `process_view` runs after the tenant and auth
    middleware, before the view.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        request_finished.connect(_context_clear, dispatch_uid="luneo.request_context_clear")

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.id = incoming if REQUEST_ID_PATTERN.match(incoming) else uuid.uuid4().hex
        context.clear()
        context.request_id.set(request.id)
        started = time.perf_counter()
        response = self.get_response(request)
        self._bind_request(request)
        response["X-Request-ID"] = request.id
        traffic_count(response.status_code)
        logger.info(
            "%s %s %s %.1fms",
            request.method,
            request.path,
            response.status_code,
            (time.perf_counter() - started) * 1000,
        )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        self._bind_request(request)

    @staticmethod
    def _bind_request(request) -> None:
        context.tenant.set(_request_tenant(request))
        context.user.set(_request_user(request))


class InputHygieneMiddleware:
    """400 for a path, query string, header or url-encoded form with NUL or an unpaired surrogate.

    Early in MIDDLEWARE, before anything looks a workspace, key or session up with these values:
    the JSON envelope on /api/, Django's plain 400 page elsewhere. Other bodies are checked where
    they are parsed (apps/core/hygiene.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            hygiene.text_check(request.path, *(v for k, v in request.META.items() if k.startswith("HTTP_")))
            hygiene.fields_check(request.GET)
            if request.content_type == "application/x-www-form-urlencoded":
                hygiene.fields_check(request.POST)
        except MalformedInput as exc:
            if request.path.startswith(API_PREFIX):
                return JsonResponse(error_body(exc.code, exc.message, exc.details), status=exc.status)
            return bad_request(request, exc)
        return self.get_response(request)


API_V1_PREFIX = "/api/v1/"  # key-authenticated JSON: no cookie, session, messages or page


def browser_only(middleware: type) -> type:
    """`middleware`, skipped on API calls (API_V1_PREFIX). A subclass, so Django's system checks
    still find it; an API request is handed straight on, as if it were not in MIDDLEWARE."""

    class BrowserOnly(middleware):
        def __call__(self, request):
            if request.path_info.startswith(API_V1_PREFIX):
                return self.get_response(request)
            return super().__call__(request)

    BrowserOnly.__name__ = BrowserOnly.__qualname__ = middleware.__name__
    BrowserOnly.__module__ = __name__
    return BrowserOnly
