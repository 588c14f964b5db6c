"""Local development: `make run`. Connects to the embedded servers unless DATABASE_URL/REDIS_URL are set."""

import os

from config.embedded import read_urls

for _key, _value in read_urls().items():
    os.environ.setdefault(_key, _value)
os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-not-secret")
os.environ.setdefault("SITE_SCHEME", "http")
os.environ.setdefault("SITE_PORT", os.environ.get("PORT", "8000"))

from .base import *  # noqa: E402,F403
from .base import env  # noqa: E402

DEBUG = env.bool("DJANGO_DEBUG", default=True)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
ACCOUNT_EMAIL_VERIFICATION = "none"
