"""gunicorn's settings for the image, docker-compose and the benchmarks.

`gunicorn -c python:config.gunicorn config.wsgi:application`; `--bind` and `WEB_CONCURRENCY`
override. Every request is already logged by the app (`luneo.request`, with its id, workspace
and key), so gunicorn keeps no access log of its own.
"""

import gc
import os

bind = "0.0.0.0:8000"
# Sync workers wait on PostgreSQL and Redis: gunicorn's advice, two per core plus one, keeps the
# cores busy while some wait.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))
worker_class = "sync"
timeout = 60


def post_worker_init(worker) -> None:
    """Load the URL patterns, then freeze what loading made out of the garbage collector's reach.

    A full collection walks every object the process holds: ≈ 295,000 after loading Django and
    the apps, 210–270 ms on the development machine, a stall of whichever request is running when
    it comes. Frozen objects are skipped, so a full collection walks only what requests made
    since (docs/performance.md).
    """
    from django.conf import settings
    from django.urls import get_resolver

    for urlconf in (settings.ROOT_URLCONF, settings.PUBLIC_SCHEMA_URLCONF):
        get_resolver(urlconf).url_patterns  # noqa: B018 — imports the views now, not on a first request
    gc.collect()
    gc.freeze()
