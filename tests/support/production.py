"""What the production settings need from the environment (`.env.example`, the Docker files)."""

REQUIRED = [
    "DJANGO_SECRET_KEY",
    "ENCRYPTION_KEYS",
    "DATABASE_URL",
    "REDIS_URL",
    "BASE_DOMAIN",
    "EMAIL_HOST",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
]
