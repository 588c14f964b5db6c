"""Liveness (`/healthz`) and readiness (`/readyz`) probes, answered on any host.

`HealthCheckMiddleware` sits first in MIDDLEWARE: probes come from load balancers and
orchestrators (often with an IP address as Host) and must depend neither on ALLOWED_HOSTS, nor
on a workspace lookup, nor on sessions. A database outage is a 503 from /readyz, not a 500
from the tenant middleware.

    GET /healthz → 200 {"status": "ok"} while the process serves requests
    GET /readyz  → 200 or 503 {"status": "ok"|"unavailable",
                               "checks": {"database": {...}, "redis": {...}, "celery": {...}}}

Each check reports `status` ("ok" or "unavailable"), `ms`, and on failure `error` (the error's
class; the details go to the log). Every check has a bounded wait.
"""

import functools
import logging
import time
from collections.abc import Callable

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse

from config.celery import app

logger = logging.getLogger(__name__)

REDIS_TIMEOUT_SECONDS = 1.0
CELERY_PING_TIMEOUT_SECONDS = 1.0  # how long /readyz waits for the first worker to answer


class CheckFailed(Exception):
    pass


def database_check() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


@functools.cache
def _redis_client() -> redis.Redis:
    return redis.Redis.from_url(
        settings.REDIS_URL,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        retry=None,
    )


def redis_check() -> dict:
    _redis_client().ping()
    return {}


def celery_check() -> dict:
    replies = app.control.ping(timeout=CELERY_PING_TIMEOUT_SECONDS, limit=1)
    if not replies:
        raise CheckFailed("no Celery worker answered")
    return {"worker": next(iter(replies[0]))}


def _run(check: Callable[[], dict]) -> dict:
    started = time.perf_counter()
    try:
        details = {"status": "ok", **check()}
    except Exception as error:  # a probe reports every failure; it never raises
        logger.warning("readiness check %s failed: %s", check.__name__, error)
        details = {"status": "unavailable", "error": type(error).__name__}
    return {**details, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _response(payload: dict, *, ok: bool) -> JsonResponse:
    response = JsonResponse(payload, status=200 if ok else 503)
    response["Cache-Control"] = "no-store"
    return response


def healthz(request) -> JsonResponse:
    return _response({"status": "ok"}, ok=True)


def readyz(request) -> JsonResponse:
    checks = {"database": _run(database_check), "redis": _run(redis_check)}
    if checks["redis"]["status"] == "ok":  # the broker lives there: no point pinging without it
        checks["celery"] = _run(celery_check)
    else:
        checks["celery"] = {"status": "unavailable", "error": "RedisUnavailable", "ms": 0.0}
    ok = all(check["status"] == "ok" for check in checks.values())
    return _response({"status": "ok" if ok else "unavailable", "checks": checks}, ok=ok)


PROBES = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        if probe is None:
            return self.get_response(request)
        return probe(request)
