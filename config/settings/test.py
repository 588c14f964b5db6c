"""Tests: real PostgreSQL and Redis (embedded throwaway servers or DATABASE_URL/REDIS_URL)."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("SITE_SCHEME", "http")
os.environ.setdefault("PUBLIC_HOSTS", "localhost,127.0.0.1,testserver")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost,.localhost,127.0.0.1,testserver")

from .base import *  # noqa: E402,F403
from .base import CACHES, CELERY_BROKER_TRANSPORT_OPTIONS, CHANNEL_LAYERS, DATABASES, env, redis_db_url  # noqa: E402

DEBUG = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ACCOUNT_EMAIL_VERIFICATION = "none"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# dj-stripe's own history replays ~500 operations; tests use one flat migration of the same models.
MIGRATION_MODULES = {"djstripe": "tests.djstripe_migrations"}
API_RATE_LIMIT_REQUESTS = env.int("API_RATE_LIMIT_REQUESTS", default=20)
CELERY_TASK_ALWAYS_EAGER = False
TENANT_SPARE_SCHEMAS = 0  # workspaces are cloned; tests of the pool turn it on
# Keep test keys, tasks and websocket groups apart from a developer's running instance on the
# same Redis (its worker would run test tasks against the development database), and two test
# runs on different databases apart from each other (tests/support/workspaces.py clears only
# this run's keys).
# The servers a test starts (tests/support/processes.py) get the test database, `test_<name>`.
_RUN = DATABASES["default"]["NAME"].removeprefix("test_")
CACHES["default"]["KEY_PREFIX"] = f"test-{_RUN}"
CELERY_BROKER_URL = redis_db_url(3, scheme="kombu")
CELERY_BROKER_TRANSPORT_OPTIONS = {**CELERY_BROKER_TRANSPORT_OPTIONS, "global_keyprefix": f"test-{_RUN}:"}
CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"luneo-test-{_RUN}"
# Tests never call a paid API: the OpenAI provider is tested against a local fake HTTP server.
AI_PROVIDER = "offline"
WEBHOOK_BLOCK_PRIVATE_NETWORKS = False  # the tests' receivers listen on 127.0.0.1
WEBHOOK_TIMEOUT_SECONDS = 2.0
