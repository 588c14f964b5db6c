"""Failed Celery tasks: recorded from the `task_failure` signal, re-sent once by an operator.

Tasks take ids and small values, but a few carry payloads (`notify_task`, `for_each_tenant`'s
arguments): values under a secret-looking name, and strings that look like keys or tokens, are
stored as "[redacted]", and such a task is not re-sent (its arguments are lost).
"""

import logging
import re
import traceback as tb

from celery import current_app
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tenants.utils import get_public_schema_name, schema_context
from kombu import Connection

from apps.core.errors import Conflict
from apps.core.logging import SCHEMA_HEADER

from .models import FailedTask

logger = logging.getLogger(__name__)
REDACTED = "[redacted]"
SECRET_NAME = re.compile(
    r"secret|passw|token|key|credential|authori[sz]ation|signature|cookie|otp|code_verifier", re.I
)
SECRET_VALUE = re.compile(
    r"^(sk|rk|pk|whsec|lk|luneo)_[A-Za-z0-9_]{8,}|^Bearer\s|^ey[A-Za-z0-9_-]{20,}\.", re.I
)
STRING_MAX = 2000  # longer strings are cut
EXCEPTION_MAX = 2000


class FailedTaskNotRetryable(Conflict):
    code = "failed_task_not_retryable"
    message = gettext_lazy("This task cannot be re-sent.")


def _scrub(value, found: list) -> object:
    if isinstance(value, dict):
        return {
            str(name): (found.append(name) or REDACTED)
            if SECRET_NAME.search(str(name))
            else _scrub(item, found)
            for name, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_scrub(item, found) for item in value]
    if isinstance(value, str):
        if SECRET_VALUE.search(value):
            found.append(value[:4])
            return REDACTED
        return value[:STRING_MAX]
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)[:STRING_MAX]


def arguments_clean(args, kwargs) -> tuple[list, dict, bool]:
    """(args, kwargs, redacted): JSON-ready, secrets replaced by "[redacted]"."""
    found: list = []
    clean_args = _scrub(list(args or ()), found)
    clean_kwargs = _scrub(dict(kwargs or {}), found)
    return clean_args, clean_kwargs, bool(found)


def _schema(task) -> str:
    request = getattr(task, "request", None)
    return getattr(request, SCHEMA_HEADER, None) or connection.schema_name or get_public_schema_name()


def _traceback(exception, einfo, raw_traceback) -> str:
    if einfo is not None:
        text = str(einfo.traceback)
    elif raw_traceback is not None:
        text = "".join(tb.format_exception(type(exception), exception, raw_traceback))
    else:
        text = ""
    limit = settings.FAILED_TASK_TRACEBACK_CHARS
    return text if len(text) <= limit else "…" + text[-limit:]  # the end says where it broke


def task_failure_record(sender=None, task_id=None, exception=None, args=None, kwargs=None, **extra) -> None:
    """`task_failure`'s receiver (connected in ConsoleConfig.ready, in web and worker processes)."""
    try:
        clean_args, clean_kwargs, redacted = arguments_clean(args, kwargs)
        schema = _schema(sender)
        with schema_context(get_public_schema_name()):
            FailedTask.objects.create(
                task_id=str(task_id or "")[:64],
                task_name=getattr(sender, "name", "") or "",
                args=clean_args,
                kwargs=clean_kwargs,
                redacted=redacted,
                exception=f"{type(exception).__name__}: {exception}"[:EXCEPTION_MAX],
                traceback=_traceback(exception, extra.get("einfo"), extra.get("traceback")),
                schema_name=schema,
            )
    except Exception:  # recording must never hide the task's own failure
        logger.exception("failed task %s could not be recorded", task_id)


def failed_task_retry(failed: FailedTask) -> str:
    """Re-send the task once, with its arguments, in its workspace, on its queue; marks it retried.
    Returns the new task id. Raises FailedTaskNotRetryable if it was retried or its arguments were
    redacted."""
    if failed.redacted:
        raise FailedTaskNotRetryable(
            _("Its arguments held secrets that were not stored: it cannot be re-sent.")
        )
    task = current_app.tasks.get(failed.task_name)
    queue = getattr(task, "queue", None) or settings.CELERY_TASK_DEFAULT_QUEUE
    with transaction.atomic():
        locked = FailedTask.objects.select_for_update().get(pk=failed.pk)
        if locked.retried_at is not None:
            raise FailedTaskNotRetryable(_("This task was already retried once."))
        # The broker the settings name (the worker's): its queue declared, the message sent there.
        with Connection(settings.CELERY_BROKER_URL) as broker:
            broker.ensure_connection(max_retries=1)
            declared = next((q for q in current_app.amqp.queues.values() if q.name == queue), None)
            if declared is not None:
                declared(broker.default_channel).declare()
            result = current_app.send_task(
                failed.task_name,
                args=locked.args,
                kwargs=locked.kwargs,
                queue=queue,
                headers={SCHEMA_HEADER: locked.schema_name},
                connection=broker,
            )
        locked.retried_at = timezone.now()
        locked.retry_task_id = result.id
        locked.save(update_fields=["retried_at", "retry_task_id"])
    return result.id
