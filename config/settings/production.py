"""Production: every secret and address comes from the environment, with no default.

Missing DJANGO_SECRET_KEY, ENCRYPTION_KEYS, DATABASE_URL, REDIS_URL, BASE_DOMAIN, EMAIL_HOST, EMAIL_HOST_USER
or EMAIL_HOST_PASSWORD stops the process at start-up (ImproperlyConfigured). Embedded
servers are never used here. `python manage.py check --deploy` reports no issues.
"""

from .base import *  # noqa: F403
from .base import LOGGING, STORAGES, env

DEBUG = False
ENCRYPTION_KEYS = env.list("ENCRYPTION_KEYS")  # required: secrets at rest never hang on SECRET_KEY
WEBHOOK_BLOCK_PRIVATE_NETWORKS = True
SITE_SCHEME = "https"
SITE_PORT = ""
BASE_DOMAIN = env("BASE_DOMAIN")  # required here; base's localhost default is for development

# --- HTTPS behind the proxy (it terminates TLS and sets X-Forwarded-Proto) -------------------

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # probes speak plain HTTP inside the network
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = [f"https://{BASE_DOMAIN}", f"https://*.{BASE_DOMAIN}"]
X_FRAME_OPTIONS = "DENY"

# --- Email (SMTP) ---------------------------------------------------------------------------

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")  # may be set empty for a relay without authentication
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = 10

# --- Files: hashed static names (served by the proxy); media on disk or S3 --------------------

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
if env("MEDIA_STORAGE", default="filesystem") == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),  # S3-compatible stores
        },
    }

LOGGING["handlers"]["console"]["formatter"] = "json"
