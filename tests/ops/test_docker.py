"""Dockerfile and docker-compose.yml agree with the production settings.

Docker cannot run on the development machine, so these checks read the files instead.
"""

import gc
import importlib
import os
import re

import yaml

import config.gunicorn as config_gunicorn
from config.embedded import BASE_DIR
from tests.support.production import REQUIRED

COMPOSE = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = ["migrate", "web", "ws", "worker", "beat"]


def _command(service: str) -> str:
    return " ".join(SERVICES[service]["command"])


def test_compose_runs_the_architecture_processes_on_postgres_16_and_redis_7():
    assert SERVICES["postgres"]["image"] == "postgres:16"
    assert SERVICES["redis"]["image"].startswith("redis:7")
    assert _command("web") == "gunicorn -c python:config.gunicorn config.wsgi:application"
    assert _command("ws").startswith("daphne")
    assert "config.asgi:application" in _command("ws")
    assert "celery -A config worker -Q default,ai,etl" in _command("worker")
    assert _command("beat").startswith("celery -A config beat")
    assert "migrate_schemas" in _command("migrate")


def test_every_app_service_uses_production_settings_and_gets_every_required_variable():
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", (BASE_DIR / ".env.example").read_text(), re.M))
    for name in APP_SERVICES:
        service = SERVICES[name]
        assert service["environment"]["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert service["env_file"] == ".env"
        assert set(REQUIRED) <= set(service["environment"]) | documented


def test_the_proxy_sends_websockets_to_daphne_and_the_rest_to_gunicorn():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    proxy = dockerfile.split("AS proxy", 1)[1]

    assert re.search(r"location /ws/ \{\s*proxy_pass http://luneo_ws;", proxy)
    assert re.search(r"location / \{\s*proxy_pass http://luneo_web;", proxy)
    assert "upstream luneo_web { server web:8000; }" in proxy
    assert "upstream luneo_ws  { server ws:8001; }" in proxy


def test_the_image_builds_assets_in_the_builder_and_runs_as_an_unprivileged_user():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    builder, app = dockerfile.split("AS builder", 1)[1].split("AS app", 1)
    app = app.split("AS proxy", 1)[0]

    assert "pip install --require-hashes -r requirements/production.lock" in builder
    assert "gettext" in builder
    assert "compilemessages" in builder
    assert "collectstatic --noinput" in builder
    assert re.search(r"^USER luneo$", app, re.M)
    assert "DJANGO_SETTINGS_MODULE=config.settings.production" in app


def test_the_proxy_serves_no_uploaded_file_from_disk():
    # every file goes through signed views (packs hold personal data): the proxy neither serves
    # /media/ nor mounts the media volume
    proxy = (BASE_DIR / "Dockerfile").read_text().split("AS proxy", 1)[1]

    assert not re.search(r"location\s+\S*/media", proxy)
    assert "/srv/media" not in proxy
    assert not any("media" in volume for volume in SERVICES["proxy"].get("volumes", []))


def test_the_image_starts_gunicorn_with_its_settings():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()

    assert 'CMD ["gunicorn", "-c", "python:config.gunicorn", "config.wsgi:application"]' in dockerfile


def test_a_gunicorn_worker_freezes_what_loading_made_out_of_the_collectors_reach():
    """A full collection then walks only what requests made since (config/gunicorn.py)."""
    gc.unfreeze()
    try:
        config_gunicorn.post_worker_init(worker=None)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


def test_gunicorn_runs_two_workers_a_core_plus_one_unless_told(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert importlib.reload(config_gunicorn).workers == 5
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert importlib.reload(config_gunicorn).workers == 3
    monkeypatch.undo()
    importlib.reload(config_gunicorn)
