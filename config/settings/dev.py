"""Local development: `make run`, and `manage.py` in another terminal while it runs.

Without DATABASE_URL/REDIS_URL, connects to the embedded servers that `make run` started:
their URLs are in `<LUNEO_DATA_DIR or .data>/embedded.env`, written by config.embedded.start.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from config.embedded import DATA_DIR, URLS_FILENAME, read_urls

for _key, _value in read_urls().items():
    os.environ.setdefault(_key, _value)
os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-not-secret")
os.environ.setdefault("SITE_SCHEME", "http")
os.environ.setdefault("SITE_PORT", os.environ.get("PORT", "8000"))

try:
    from .base import *  # noqa: F403
    from .base import env
except ImproperlyConfigured as exc:
    if "DATABASE_URL" not in str(exc) and "REDIS_URL" not in str(exc):
        raise
    raise ImproperlyConfigured(
        f"No servers: {DATA_DIR / URLS_FILENAME} does not exist. Start `make run` in another "
        "terminal (embedded PostgreSQL and Redis), or set DATABASE_URL and REDIS_URL."
    ) from exc

DEBUG = env.bool("DJANGO_DEBUG", default=True)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
ACCOUNT_EMAIL_VERIFICATION = "none"
# Webhook receivers and shops under development run on this machine.
WEBHOOK_BLOCK_PRIVATE_NETWORKS = env.bool("WEBHOOK_BLOCK_PRIVATE_NETWORKS", default=False)
