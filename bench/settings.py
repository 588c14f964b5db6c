"""Benchmark settings: the test settings (fast dj-stripe migration, DEBUG off) plus a bare view.

The rate limit stays on (its Redis counter is part of every API request) but high enough
never to answer 429 during a run.
"""

from config.settings.test import *  # noqa: F403
from config.settings.test import CACHES

PUBLIC_SCHEMA_URLCONF = "bench.urls"
API_RATE_LIMIT_REQUESTS = 10**9
CACHES["default"]["KEY_PREFIX"] = "bench"
WIDGET_RATE_LIMIT_REQUESTS = 10**9
