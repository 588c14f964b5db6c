"""Settings shared by every environment. Values come from the environment (django-environ)."""

from pathlib import Path
from urllib.parse import unquote, urlsplit

import environ
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[2]

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env")

SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = env.bool("DJANGO_DEBUG", default=False)

# Hosts: the public site lives on BASE_DOMAIN; each workspace on <slug>.BASE_DOMAIN.
BASE_DOMAIN = env("BASE_DOMAIN", default="localhost")
PUBLIC_HOSTS = env.list("PUBLIC_HOSTS", default=[BASE_DOMAIN, "127.0.0.1"])
# Workspaces' verified custom domains are allowed too (apps/tenants/hosts.py).
# apps.tenants admits the workspaces' verified custom domains too, at start-up (apps/tenants/hosts.py).
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[BASE_DOMAIN, f".{BASE_DOMAIN}", "127.0.0.1"])
SITE_SCHEME = env("SITE_SCHEME", default="https")
SITE_PORT = env("SITE_PORT", default="")  # shown in links to workspaces, e.g. "8000" in dev
# Account e-mails are Luneo's whatever host asked for them (links: apps/tenants/adapters.py).
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Luneo] "

# --- Applications -------------------------------------------------------------

SHARED_APPS = [
    "apps.core",
    "apps.tenants",
    "apps.accounts",  # before django_tenants: its create_tenant command replaces theirs
    # Before django_tenants, whose admin templates mark every section of the index "Not available":
    "apps.console",
    "apps.console.admin_app.LuneoAdminConfig",  # django.contrib.admin, with the Luneo site
    "django_tenants",
    "apps.billing",
    "apps.audit",
    "apps.dashboard",
    "daphne",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "allauth.mfa",  # two-factor authentication: TOTP and recovery codes (required for staff)
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.github",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_celery_beat",
    "djstripe",
    "channels",
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "apps.brands",
    "apps.products",
    "apps.designs",
    "apps.orders",
    "apps.integrations",
    "apps.webhooks",
    "apps.storefront",
    "apps.analytics",
    "apps.ai",
    "apps.crm",
    "apps.campaigns",
    "apps.planner",
    "apps.copilot",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Tenant"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
ROOT_URLCONF = "config.urls_tenant"
# Tenant schemas migrate only TENANT_APPS and fake the rest (dj-stripe alone costs ~33 s a schema).
TENANT_BASE_MIGRATE_COMMAND = "apps.tenants.migrate.TenantMigrateCommand"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
# New workspaces' schemas are cloned from this one, kept at the latest migration by migrate_schemas
# (apps/tenants/template.py). Not a valid workspace slug (underscore), so no workspace can take it.
TENANT_TEMPLATE_SCHEMA = env("TENANT_TEMPLATE_SCHEMA", default="luneo_template")
# Schemas cloned from the template ahead of signups: a new workspace renames one (milliseconds)
# instead of cloning (~0.3-1 s); a task refills the pool after each signup.
TENANT_SPARE_SCHEMAS = env.int("TENANT_SPARE_SCHEMAS", default=3)
TENANT_LIMIT_SET_CALLS = True  # one `SET search_path` per schema switch, not one per cursor

AUTH_USER_MODEL = "tenants.User"
SITE_ID = 1

MIDDLEWARE = [
    "apps.core.health.HealthCheckMiddleware",  # /healthz, /readyz: before host checks and tenants
    "config.middleware.CSPMiddleware",  # every other page, early errors included, gets the policy
    "apps.core.middleware.RequestContextMiddleware",
    # A lost database (restart, failover): 503 + Retry-After instead of 500, before anything queries it.
    "apps.core.outage.DatabaseUnavailableMiddleware",
    "apps.core.api.middleware.ApiErrorMiddleware",
    "apps.core.middleware.InputHygieneMiddleware",  # NUL, unpaired surrogates: 400 before any lookup
    "apps.tenants.middleware.TenantMiddleware",
    "apps.storefront.cors.WidgetCorsMiddleware",  # answers the widget's preflights
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.SessionMiddleware",  # config/middleware.py: skipped on /api/v1/
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "config.middleware.AuthenticationMiddleware",
    "config.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After authentication, messages and allauth's: staff on /admin/ need two-factor authentication
    # and get the shorter ADMIN_SESSION_SECONDS session.
    "config.middleware.StaffAdminMiddleware",
    "config.middleware.HtmxMiddleware",
    "config.middleware.SupportAccessMiddleware",  # an operator's "view as": the member's, read-only
    "apps.tenants.middleware.WorkspaceAccessMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.dashboard.context_processors.workspace",
                "apps.billing.context_processors.billing",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# --- Data stores ----------------------------------------------------------------

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
DATABASES["default"]["HOST"] = unquote(DATABASES["default"]["HOST"])  # socket directories
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["OPTIONS"] = {"connect_timeout": env.int("DATABASE_CONNECT_TIMEOUT", default=5)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")


def redis_db_url(db: int, *, scheme: str = "redis") -> str:
    """REDIS_URL pointed at one logical database (unix:// sockets or redis:// hosts)."""
    base = REDIS_URL.split("?", 1)[0]
    if base.startswith("unix://"):
        path = base.removeprefix("unix://")
        if scheme == "kombu":
            return f"redis+socket://{path}?virtual_host={db}"
        return f"unix://{path}?db={db}"
    return urlsplit(base)._replace(path=f"/{db}").geturl()


CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": redis_db_url(0),
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
    }
}
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        # channels_redis waits up to 5 s per read of a socket's channel; redis-py's default 5 s
        # socket timeout made every socket idle that long fail (1011): the timeout outlasts the wait.
        "CONFIG": {"hosts": [{"address": redis_db_url(1), "socket_timeout": 15}], "prefix": "luneo"},
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Auth (django-allauth) ------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_FORMS = {"signup": "apps.accounts.forms.WorkspaceSignupForm"}
ACCOUNT_ADAPTER = "apps.accounts.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "/accounts/login/"
# Two-factor authentication (allauth.mfa): an authenticator app (TOTP) and recovery codes; required
# for staff in the operators' console (apps/console/middleware.py), available to everyone.
MFA_ADAPTER = "apps.accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Luneo"
MFA_TOTP_TOLERANCE = 1  # a code of the period before or after still counts: clocks drift, people type slowly
# Sessions last SESSION_COOKIE_AGE (Django's two weeks); a staff member's session ends after this
# many seconds without a request to the operators' console (/admin/).
ADMIN_SESSION_SECONDS = env.int("ADMIN_SESSION_SECONDS", default=2 * 3600)

SOCIALACCOUNT_PROVIDERS = {}
for _provider in ("google", "github"):
    _client_id = env(f"{_provider.upper()}_CLIENT_ID", default="")
    if _client_id:
        SOCIALACCOUNT_PROVIDERS[_provider] = {
            "APPS": [{"client_id": _client_id, "secret": env(f"{_provider.upper()}_SECRET")}],
        }

# --- Internationalisation ---------------------------------------------------------------

LANGUAGE_CODE = env("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media ------------------------------------------------------------

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))  # collectstatic writes here
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Content-Security-Policy (django-csp) ------------------------------------------------
# Scripts come from our origin only (vendored, no CDN); the rare inline one carries the
# response's nonce: `<script nonce="{{ request.csp_nonce }}">`. Inline styles are allowed: style
# attributes (usage bars, colour swatches), the widget's shadow-root styles, htmx's indicator.
# 'self' also covers the page's own ws:// and wss:// (the notification and design sockets);
# blob: carries the 3D viewer's textures. Forms may post to us and lead (Chromium checks the
# redirects too) to the public site, any workspace's host (sign-up, log-in) and Stripe's checkout
# and customer portal. Nothing may frame a page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "connect-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [
            SELF,
            *(f"{host}:*" for host in [*PUBLIC_HOSTS, f"*.{BASE_DOMAIN}"]),
            "https://checkout.stripe.com",
            "https://billing.stripe.com",
        ],
        "frame-ancestors": [NONE],
    }
}

# --- Email -----------------------------------------------------------------------

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Luneo <no-reply@luneo.app>")
# DKIM: with a domain, a selector and a private key (PEM), mail that leaves through EMAIL_BACKEND
# is signed, List-Unsubscribe and List-Unsubscribe-Post included (Brevo signs what it sends).
DKIM_DOMAIN = env("DKIM_DOMAIN", default="")
DKIM_SELECTOR = env("DKIM_SELECTOR", default="luneo")
DKIM_PRIVATE_KEY = env("DKIM_PRIVATE_KEY", default="").replace("\\n", "\n")
# Campaigns: sent through Brevo's API (django-anymail) when BREVO_API_KEY is set, else EMAIL_BACKEND.
BREVO_API_KEY = env("BREVO_API_KEY", default="")
# Brevo's event webhook authenticates with per-workspace credentials (apps/campaigns/links.py).
ANYMAIL = {"BREVO_API_URL": env("BREVO_API_URL", default="https://api.brevo.com/v3/")}
# The campaigns' sender address; the display name is the workspace's.
CAMPAIGNS_FROM_EMAIL = env("CAMPAIGNS_FROM_EMAIL", default="campaigns@luneo.app")
# Messages per minute per workspace (its token bucket holds one batch of them): each send task
# sends one batch, then queues the next a minute on (apps/campaigns/throttle.py).
CAMPAIGNS_RATE_PER_MINUTE = env.int("CAMPAIGNS_RATE_PER_MINUTE", default=600)
# Messages per minute per provider, shared by every workspace sending through it (a workspace's own
# Brevo key gets its own bucket at the `brevo` rate). Brevo's API takes 1,000 sends a second.
# Overridden one by one: CAMPAIGNS_PROVIDER_RATES=brevo=30000,smtp=3000
CAMPAIGNS_PROVIDER_RATES = {
    "brevo": 60_000,
    "smtp": 12_000,
    **env.dict("CAMPAIGNS_PROVIDER_RATES", cast={"value": int}, default={}),
}
# How long a double opt-in confirmation link stays valid, in seconds (three days).
CAMPAIGNS_OPTIN_MAX_AGE = env.int("CAMPAIGNS_OPTIN_MAX_AGE", default=3 * 86400)

# --- API (DRF + drf-spectacular) ----------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["apps.accounts.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["apps.accounts.authentication.HasApiKey"],
    "DEFAULT_THROTTLE_CLASSES": ["apps.accounts.authentication.ApiKeyRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.api.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["apps.core.api.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "apps.core.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "apps.core.api.schema.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Luneo API",
    "DESCRIPTION": (
        "Authenticate with a secret key of your workspace: `Authorization: Bearer sk_live_…`; each "
        "endpoint names the scope its key needs. Every error has one shape: "
        '`{"error": {"code": "…", "message": "…", "details": {…}}}` — branch on `code`. Lists are '
        "cursor-paginated (`next`/`previous` links, `page_size` up to 200). POSTs that create work "
        "accept an `Idempotency-Key` header (the first answer is replayed for 24 h). Each key may "
        "make a limited number of requests per window: beyond it, 429 `rate_limited` with `Retry-After`. "
        "What the workspace's plan does not allow is 402 (`feature_not_in_plan`, `quota_exceeded`, "
        "`plan_limit_reached`), with `details.upgrade_url`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    # No online validator badge: the docs must work without internet.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Request bodies get their own components: non-blank strings say `minLength: 1`, files `binary`.
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apps.core.api.schema.postprocess_request_bodies",
    ],
}
# Per secret key: at most API_RATE_LIMIT_REQUESTS requests per API_RATE_LIMIT_WINDOW_SECONDS.
API_RATE_LIMIT_REQUESTS = env.int("API_RATE_LIMIT_REQUESTS", default=100)
API_RATE_LIMIT_WINDOW_SECONDS = env.int("API_RATE_LIMIT_WINDOW_SECONDS", default=10)
# Idempotency-Key answers are replayed this long; a concurrent duplicate waits this long, then 409.
IDEMPOTENCY_TTL_HOURS = 24
IDEMPOTENCY_WAIT_SECONDS = 10
INVITATION_TTL_DAYS = env.int("INVITATION_TTL_DAYS", default=7)
# Support access ("view as", docs/operators.md): how long an operator's session in a workspace lasts.
SUPPORT_SESSION_MINUTES = env.int("SUPPORT_SESSION_MINUTES", default=30)
# Custom domains: the resolver that reads their TXT verification records (empty: the system's),
# how many failed re-checks in a row un-verify one, and how long an unverified claim is kept.
DNS_RESOLVER_NAMESERVERS = env.list("DNS_RESOLVER_NAMESERVERS", default=[])
DNS_RESOLVER_PORT = env.int("DNS_RESOLVER_PORT", default=53)
CUSTOM_DOMAIN_RECHECK_FAILURES = 3
CUSTOM_DOMAIN_CLAIM_DAYS = 7

# --- Celery (queues, routes and signals in config/celery.py) ----------------------------

CELERY_BROKER_URL = redis_db_url(2, scheme="kombu")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True  # tasks write their outcome to the database
CELERY_TASK_ACKS_LATE = True  # a task lost with its worker runs again: tasks are idempotent
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A running step finishes when the worker loses Redis: cancelling it (Celery's other choice) left
# its design stuck, the task's message unacknowledged until the visibility timeout. Its ack may
# be lost instead, and a redelivered step finding its design moved on is a no-op.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
# Redis redelivers an unacknowledged task after this; keep it above the hard time limit.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# A task queued while Redis restarts (a step queuing the next, a request queuing a design) waits
# for it, retrying each second or so, instead of failing after its commit and leaving the work
# stranded: about CELERY_PUBLISH_MAX_RETRIES seconds of outage are ridden out (bench/chaos.py).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": env.int("CELERY_PUBLISH_MAX_RETRIES", default=15),
    "interval_start": 0.2,
    "interval_step": 0.4,
    "interval_max": 1.0,
}
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE

# --- Operators' console (apps/console) -----------------------------------------------------

# A failed task's traceback is stored cut to its last this many characters.
FAILED_TASK_TRACEBACK_CHARS = env.int("FAILED_TASK_TRACEBACK_CHARS", default=8000)
# The moderation console's daily counts cover this many days; each list shows at most so many designs.
CONSOLE_MODERATION_DAYS = env.int("CONSOLE_MODERATION_DAYS", default=30)
CONSOLE_MODERATION_LIMIT = env.int("CONSOLE_MODERATION_LIMIT", default=200)
# The Jobs page lists webhook endpoints with a delivery that failed within this many days.
CONSOLE_WEBHOOK_FAILING_DAYS = env.int("CONSOLE_WEBHOOK_FAILING_DAYS", default=7)

# --- AI providers (apps/ai/providers) ------------------------------------------------------

# auto (openai when OPENAI_API_KEY is set, else offline) | openai | offline
AI_PROVIDER = env("AI_PROVIDER", default="auto")
OPENAI_API_KEY = env("OPENAI_API_KEY", default="")
OPENAI_BASE_URL = env("OPENAI_BASE_URL", default="")  # empty: the SDK's default (api.openai.com)
OPENAI_IMAGE_MODEL = env("OPENAI_IMAGE_MODEL", default="gpt-image-1")
OPENAI_IMAGE_QUALITY = env("OPENAI_IMAGE_QUALITY", default="medium")  # low | medium | high | auto
OPENAI_MODERATION_MODEL = env("OPENAI_MODERATION_MODEL", default="omni-moderation-latest")
# Text (the marketing-plan assistant): a model with structured outputs, and its own time limit per call.
OPENAI_TEXT_MODEL = env("OPENAI_TEXT_MODEL", default="gpt-4o-mini")
OPENAI_TEXT_TIMEOUT_SECONDS = env.float("OPENAI_TEXT_TIMEOUT_SECONDS", default=30.0)
# Image generation takes 40–120 s: seconds per attempt. The SDK retries moderation calls' transient
# errors this many times; image generation is retried by the design task only (DESIGN_STEP_*).
OPENAI_TIMEOUT_SECONDS = env.float("OPENAI_TIMEOUT_SECONDS", default=120.0)
OPENAI_MAX_RETRIES = env.int("OPENAI_MAX_RETRIES", default=2)

# --- Copilot connectors (apps/copilot/connectors) --------------------------------------------------

# The services' API roots; tests point them to local fakes. Credentials are per workspace, encrypted.
NOTION_API_URL = env("NOTION_API_URL", default="https://api.notion.com")
TWILIO_API_URL = env("TWILIO_API_URL", default="https://api.twilio.com")
GOOGLE_OAUTH_AUTHORIZE_URL = env(
    "GOOGLE_OAUTH_AUTHORIZE_URL", default="https://accounts.google.com/o/oauth2/v2/auth"
)
GOOGLE_OAUTH_TOKEN_URL = env("GOOGLE_OAUTH_TOKEN_URL", default="https://oauth2.googleapis.com/token")
GOOGLE_OAUTH_REVOKE_URL = env("GOOGLE_OAUTH_REVOKE_URL", default="https://oauth2.googleapis.com/revoke")
GMAIL_API_URL = env("GMAIL_API_URL", default="https://gmail.googleapis.com")
CONNECTOR_TIMEOUT_SECONDS = env.float("CONNECTOR_TIMEOUT_SECONDS", default=15.0)

# --- Billing (apps/billing): plans, Stripe through dj-stripe, quotas ---------------------------

# With no Stripe secret key, billing runs in manual mode: operators assign plans in the admin.
STRIPE_LIVE_MODE = env.bool("STRIPE_LIVE_MODE", default=False)
STRIPE_LIVE_SECRET_KEY = env("STRIPE_LIVE_SECRET_KEY", default="")
STRIPE_TEST_SECRET_KEY = env("STRIPE_TEST_SECRET_KEY", default="")
DJSTRIPE_FOREIGN_KEY_TO_FIELD = "id"
DJSTRIPE_USE_NATIVE_JSONFIELD = True
BILLING_TRIAL_DAYS = env.int("BILLING_TRIAL_DAYS", default=14)  # new workspaces: Pro trial
BILLING_GRACE_DAYS = env.int("BILLING_GRACE_DAYS", default=7)  # after a failed payment, then Starter
SALES_EMAIL = env("SALES_EMAIL", default="sales@luneo.app")  # "Contact sales" (manual mode, Enterprise)
# A workspace an operator deletes stays suspended (and restorable) this long before its data is dropped.
WORKSPACE_DELETION_GRACE_DAYS = env.int("WORKSPACE_DELETION_GRACE_DAYS", default=30)

# --- Logging ---------------------------------------------------------------------

# Every line names its request id, workspace (schema), user ("key:<prefix>" for API keys) and
# Celery task id ("-" when none): apps/core/context.py.
LOG_FORMAT = env("LOG_FORMAT", default="text")  # "json" in production
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "context": {"()": "apps.core.logging.ContextFilter"},
        "readiness": {"()": "apps.core.logging.ReadinessFilter"},
    },
    "formatters": {
        "text": {
            "format": (
                "%(asctime)s %(levelname)s %(name)s "
                "[%(request_id)s %(tenant)s %(user)s %(task_id)s] %(message)s"
            )
        },
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": (
                "%(asctime)s %(levelname)s %(name)s %(message)s "
                "%(request_id)s %(tenant)s %(user)s %(task_id)s"
            ),
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["context"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"filters": ["readiness"]},
        "pgserver": {"level": "WARNING"},
    },
}
# Uploaded images are refused beyond these (413 `upload_too_large`), then re-encoded.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
UPLOAD_MAX_PIXELS = env.int("UPLOAD_MAX_PIXELS", default=40_000_000)
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    ProductStatusEnum="apps.products.models.Product.Status",
    DesignStatusEnum="apps.designs.models.Design.Status",
    OrderStatusEnum="apps.orders.models.Order.Status",
    AutomationKindEnum="apps.campaigns.models.Campaign.Automation",
    KindEnum="apps.crm.models.imports.Kind",  # an import's kind, named before automations had one
    OrderSourceEnum="apps.orders.models.Order.Source",
    PackStatusEnum="apps.orders.models.Order.PackStatus",
    WebhookEventTypeEnum="apps.webhooks.models.EventType",
    WebhookDeliveryStatusEnum="apps.webhooks.models.WebhookDelivery.Status",
    WebhookAttemptErrorEnum="apps.webhooks.models.WebhookAttempt.Error",
    WebhookDisabledReasonEnum="apps.webhooks.models.WebhookEndpoint.DisabledReason",
    CampaignStatusEnum="apps.campaigns.models.Campaign.Status",
    SegmentEnum="apps.crm.models.scores.Segment",
    ScenarioStatusEnum="apps.planner.models.Scenario.Status",
    ResourceKindEnum="apps.planner.models.Resource.Kind",
    PlanItemFormatEnum="apps.planner.models.PlanItem.Format",
    PlanProviderEnum="apps.planner.models.PlanVersion.Provider",
    ChatRoleEnum="apps.planner.models.ChatMessage.Role",
    RoleEnum="apps.tenants.models.Role",  # a member's role, named before chat messages had one
)

# --- Designs (apps/designs) ---------------------------------------------------------------

# Signed asset download links (/designs/assets/<token>/) expire after this many seconds.
ASSET_URL_MAX_AGE = env.int("ASSET_URL_MAX_AGE", default=3600)
# Longest side of generated artwork; print files are upscaled from it (flagged low_dpi beyond 2×).
DESIGN_ARTWORK_MAX_PX = env.int("DESIGN_ARTWORK_MAX_PX", default=1536)
# A provider's transient errors are retried this many times, backing off from this many seconds.
DESIGN_STEP_MAX_RETRIES = env.int("DESIGN_STEP_MAX_RETRIES", default=3)
DESIGN_STEP_RETRY_BACKOFF_SECONDS = env.int("DESIGN_STEP_RETRY_BACKOFF_SECONDS", default=5)
# The generate step's own time limits: one image call (at most OPENAI_TIMEOUT_SECONDS) and resizing.
DESIGN_GENERATE_SOFT_TIME_LIMIT = env.int(
    "DESIGN_GENERATE_SOFT_TIME_LIMIT", default=int(OPENAI_TIMEOUT_SECONDS) + 60
)
DESIGN_GENERATE_TIME_LIMIT = env.int(
    "DESIGN_GENERATE_TIME_LIMIT", default=DESIGN_GENERATE_SOFT_TIME_LIMIT + 30
)
# A design left this long in a working status lost its step's task (a worker cut off from Redis
# mid-step): a periodic sweep queues the step again. Longer than any step's hard time limit.
DESIGN_STALL_SECONDS = env.int(
    "DESIGN_STALL_SECONDS", default=max(DESIGN_GENERATE_TIME_LIMIT, CELERY_TASK_TIME_LIMIT) + 60
)

# --- Storefront: the widget and its API (apps/storefront) ----------------------------------

# Per publishable key and shopper IP: requests per window, and designs created per hour.
WIDGET_RATE_LIMIT_REQUESTS = env.int("WIDGET_RATE_LIMIT_REQUESTS", default=300)
WIDGET_RATE_LIMIT_WINDOW_SECONDS = env.int("WIDGET_RATE_LIMIT_WINDOW_SECONDS", default=60)
WIDGET_DESIGNS_PER_HOUR = env.int("WIDGET_DESIGNS_PER_HOUR", default=30)
# Proxies in front of the app that append the client to X-Forwarded-For (1 behind the compose
# nginx). 0: the shopper's IP is REMOTE_ADDR. Never more than there are: clients could forge it.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# How long browsers and this process keep a product's widget configuration.
WIDGET_CONFIG_MAX_AGE = env.int("WIDGET_CONFIG_MAX_AGE", default=60)

# --- Secrets at rest (apps/core/crypto.py): integration credentials, webhook secrets ---------

# Fernet keys, newest first (urlsafe base64 of 32 bytes; `python -c "from cryptography.fernet
# import Fernet; print(Fernet.generate_key().decode())"`). Empty: derived from DJANGO_SECRET_KEY
# (development and tests only; production requires them).
ENCRYPTION_KEYS = env.list("ENCRYPTION_KEYS", default=[])

# --- Outbound webhooks (apps/webhooks) ------------------------------------------------------

# Refuse endpoints on private, loopback and link-local addresses (SSRF). Off in dev and tests,
# where receivers run on this machine.
WEBHOOK_BLOCK_PRIVATE_NETWORKS = env.bool("WEBHOOK_BLOCK_PRIVATE_NETWORKS", default=True)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)
