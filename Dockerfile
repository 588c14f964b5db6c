# syntax=docker/dockerfile:1.7
# Luneo's production image (config.settings.production). One image, several commands:
#   web     gunicorn -c python:config.gunicorn config.wsgi:application     (every HTTP request)
#   ws      daphne -b 0.0.0.0 -p 8001 config.asgi:application          (only /ws/…)
#   worker  celery -A config worker -Q default,ai,etl -l info
#   beat    celery -A config beat -l info                              (exactly one)
#   migrate python manage.py migrate_schemas --noinput                 (before a release)
# Target `proxy` is nginx with the collected static files: it routes /ws/ to daphne and the
# rest to gunicorn (see docker-compose.yml). Docker cannot run on the machine this was
# written on, so this file has not been built there.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- builder: dependencies in a venv, translations compiled, static files collected ---------
FROM ${PYTHON_IMAGE} AS builder
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/opt/venv/bin:$PATH
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext \
 && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
WORKDIR /app
COPY requirements/ requirements/
# Every package pinned with its hashes (`make lock`), the same set CI's tests ran against.
RUN pip install --require-hashes -r requirements/production.lock
COPY . .
# Production settings refuse to load without their variables; these placeholders exist only
# in this build stage, for two commands that touch neither the database nor Redis.
RUN DJANGO_SETTINGS_MODULE=config.settings.production \
    DJANGO_SECRET_KEY=build-only-placeholder \
    ENCRYPTION_KEYS=YnVpbGQtb25seS1wbGFjZWhvbGRlci0zMi1ieXRlcyE= \
    DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 \
    BASE_DOMAIN=build.invalid \
    EMAIL_HOST=localhost EMAIL_HOST_USER= EMAIL_HOST_PASSWORD= \
    sh -c "python manage.py compilemessages && python manage.py collectstatic --noinput"

# --- app: the runtime, as an unprivileged user ---------------------------------------------
FROM ${PYTHON_IMAGE} AS app
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    MEDIA_ROOT=/app/media
RUN groupadd --system --gid 10001 luneo \
 && useradd --system --uid 10001 --gid luneo --home-dir /app --shell /usr/sbin/nologin luneo
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /app /app
WORKDIR /app
RUN mkdir -p /app/media && chown luneo:luneo /app/media
USER luneo
EXPOSE 8000 8001
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"
CMD ["gunicorn", "-c", "python:config.gunicorn", "config.wsgi:application"]

# --- proxy: nginx serving /static/, routing /ws/ to daphne and the rest to gunicorn ---------
# Uploaded files are never served from disk: they go through the app's signed views.
FROM nginx:1.27-alpine AS proxy
COPY --from=builder /app/staticfiles /srv/static
COPY <<'EOF' /etc/nginx/conf.d/default.conf
map $http_x_forwarded_proto $forwarded_proto {
    default $http_x_forwarded_proto;
    ""      $scheme;
}
map $http_upgrade $connection_upgrade {
    default upgrade;
    ""      close;
}
upstream luneo_web { server web:8000; }
upstream luneo_ws  { server ws:8001; }

server {
    listen 80 default_server;
    server_name _;
    client_max_body_size 25m;

    location /static/ {
        alias /srv/static/;
        expires 30d;
        access_log off;
    }
    location /ws/ {
        proxy_pass http://luneo_ws;
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $forwarded_proto;
        proxy_read_timeout 1h;
    }
    location / {
        proxy_pass http://luneo_web;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $forwarded_proto;
        proxy_read_timeout 120s;
    }
}
EOF
