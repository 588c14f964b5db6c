"""Campaign data for tests: an audience, a template and a campaign made through the services, and
`send_eagerly`: campaign tasks run at once, in this process, through the real task and services."""

import pytest

from apps.campaigns import services
from apps.campaigns.models import Template
from config.celery import app as celery_app

TEMPLATE_CONTENT = {
    "en": {
        "subject": 'News for {{ first_name | "you" }}',
        "preheader": "Our new vintage",
        "blocks": [
            {"kind": "heading", "text": "Hello {{ first_name }}"},
            {"kind": "text", "text": "The 2024 Riesling is here."},
            {"kind": "button", "label": "See it", "url": "https://shop.example.com/riesling"},
        ],
    },
    "fr": {
        "subject": 'Du nouveau pour {{ first_name | "vous" }}',
        "preheader": "Notre nouveau millésime",
        "blocks": [
            {"kind": "heading", "text": "Bonjour {{ first_name }}"},
            {"kind": "button", "label": "Découvrir", "url": "https://shop.example.com/riesling"},
        ],
    },
}


def template_make(name: str = "Riesling launch") -> Template:
    return Template.objects.create(name=name, content=TEMPLATE_CONTENT, default_language="en")


def campaign_make(rules: dict | None = None, *, name: str = "Riesling 2024"):
    audience = services.audience_save(name=f"{name} audience", rules=rules or {}, user_id=None)
    return services.campaign_create(name=name, audience=audience, template=template_make(), user_id=None)


@pytest.fixture
def send_eagerly(monkeypatch, django_capture_on_commit_callbacks):
    """`with send_eagerly():` campaign tasks queued in the block run when it ends, here, through
    the real task (the next batch's minute skipped)."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", True)
    return lambda: django_capture_on_commit_callbacks(execute=True)
