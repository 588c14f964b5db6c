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

import logging
import os

from celery import signals
from kombu import Exchange, Queue
from kombu.transport import redis as redis_transport
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
logger = logging.getLogger(__name__)

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


# kombu's Redis transport reaches Redis, for a channel's unacknowledged messages, through the
# channel's connection. When the broker goes away while a step runs (running steps finish:
# CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS is off), Celery closes that channel:
# putting the step's message back, and later acknowledging it, then fail with AttributeError,
# which Celery treats as fatal, and the worker exits; nothing consumes the queue once Redis is
# back (bench/chaos.py, the Redis restart). Without a connection both are skipped: the message
# stays in kombu's unacked set, restored after the visibility timeout, and our tasks are safe to
# run again (a design's steps check its state first, a webhook attempt is made once).
def _while_connected(method):
    def guarded(qos, *args, **kwargs):
        connection = qos.channel.connection
        if connection is None or connection.client is None:
            logger.warning(
                "broker connection gone: %s skipped, left to the visibility timeout", method.__name__
            )
            return None
        return method(qos, *args, **kwargs)

    return guarded


redis_transport.QoS.restore_unacked = _while_connected(redis_transport.QoS.restore_unacked)
redis_transport.QoS.ack = _while_connected(redis_transport.QoS.ack)
