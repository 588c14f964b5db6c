"""A lost database or Redis is a 503 ("come back in a moment"), not a 500 ("we have a bug").

When PostgreSQL restarts, fails over or refuses connections, whatever touches it raises
`OperationalError` or `InterfaceError` — the workspace lookup, the session, the view; Redis
(cache, rate limits, the broker) raises redis-py's `ConnectionError` or `TimeoutError`. Django
turns that into a 500 before an outer middleware sees it, so `got_request_exception` marks the
request, and `DatabaseUnavailableMiddleware` replaces that 500 with a 503 and `Retry-After`:
the API's one error format (`service_unavailable`) on /api/ paths, a plain page elsewhere
(drawn without the database: no session, no user, no workspace). Django's own 500 log line
stays (the outage is worth a line); other 500s are left as they are.

A connection broken this way is closed when the request ends (Django closes unusable
connections), so the next request connects afresh: service resumes as soon as the server does.
"""

import sys

import redis
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .api.errors import error_body
from .api.middleware import API_PREFIX

RETRY_AFTER_SECONDS = 5
MARK = "_luneo_service_unavailable"
DATABASE_ERRORS = (OperationalError, InterfaceError, redis.ConnectionError, redis.TimeoutError)


def database_lost(exc: BaseException | None) -> bool:
    """`exc`, or an error that caused it, says a connection to PostgreSQL or Redis is lost or refused."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, DATABASE_ERRORS):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _mark(sender, request=None, **_kwargs) -> None:
    """Sent while Django handles an uncaught exception: remember whether it was the database's."""
    if request is not None and database_lost(sys.exc_info()[1]):
        setattr(request, MARK, True)


def unavailable_response(request) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        message = _("The service is briefly unavailable; retry in a few seconds.")
        response = JsonResponse(error_body("service_unavailable", message), status=503)
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Place it before (outside) every middleware that may query the database."""

    def __init__(self, get_response):
        self.get_response = get_response
        got_request_exception.connect(_mark, dispatch_uid="luneo.service_unavailable", weak=False)

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, MARK, False):
            return unavailable_response(request)
        return response
