"""Benchmark settings: the test settings (fast dj-stripe migration, DEBUG off) plus a bare view.

The rate limit stays on (its Redis counter is part of every API request) but high enough
never to answer 429 during a run.
"""

import os

from config.settings.test import *  # noqa: F403
from config.settings.test import CACHES

PUBLIC_SCHEMA_URLCONF = "bench.urls"
API_RATE_LIMIT_REQUESTS = 10**9
CACHES["default"]["KEY_PREFIX"] = "bench"
WIDGET_RATE_LIMIT_REQUESTS = 10**9

# bench/scale.py: a tenant app whose one migration is applied across every workspace, in parallel.
if os.environ.get("BENCH_SCALE_MIGRATION"):
    TENANT_APPS = [*TENANT_APPS, "bench.scale_app"]  # noqa: F405
    INSTALLED_APPS = [*INSTALLED_APPS, "bench.scale_app"]  # noqa: F405
TENANT_MULTIPROCESSING_MAX_PROCESSES = int(os.environ.get("TENANT_MULTIPROCESSING_MAX_PROCESSES", "2"))
