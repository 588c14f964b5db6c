"""Luneo's Celery app: tenant-aware tasks, three queues, beat on the database scheduler.

A task runs in the schema that was active when it was queued (tenant-schemas-celery passes it
in the `_schema_name` header): queued from a workspace request, it runs in that workspace;
queued from public (beat, a command), it runs in public. Periodic work for workspaces goes
through `apps.core.tasks.for_each_tenant`, registered by `apps.core.schedules.schedules_sync`.

    celery -A config worker -Q default,ai,etl     # a worker (ai and etl may get their own)
    celery -A config beat                         # one beat, schedules from the database

Tunables (time limits, prefetch, broker) are the CELERY_* settings. Django processes import
this module from `apps.core.apps.CoreConfig.ready` so that shared tasks bind to this app.
"""

import os

from celery import signals
from kombu import Exchange, Queue
from tenant_schemas_celery.app import CeleryApp

from apps.core import logging as log_context
from apps.core import memory

# Like manage.py; imported from config/__init__.py this would leak into every child of
# `python -m config.embedded exec` and override pytest's settings module.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

# Every task names its queue in its decorator (`@shared_task(queue="ai")`): `ai` for provider calls
# and the personalization pipeline (slow, rate limited), `etl` for imports and exports, `default`
# for the rest.
QUEUES = ("default", "ai", "etl")

app = CeleryApp("luneo", task_cls="apps.core.tasks:TenantTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = [Queue(name, Exchange(name, type="direct"), routing_key=name) for name in QUEUES]
app.autodiscover_tasks()


@signals.setup_logging.connect
def logging_configure(**_kwargs) -> None:
    """Workers log through Django's LOGGING (context on every line, JSON in production)."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


signals.before_task_publish.connect(log_context.task_publish_context_add, weak=False)
signals.task_prerun.connect(log_context.task_context_bind, weak=False)
signals.task_postrun.connect(log_context.task_context_unbind, weak=False)
signals.task_postrun.connect(memory.memory_return, weak=False)
# A task that raises is recorded for operators (apps.console.failures, the admin's "Failed tasks"):
# ConsoleConfig.ready connects `task_failure`, in the worker too (Celery's Django fixup sets Django
# up before the worker takes tasks).
