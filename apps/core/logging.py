"""Log context: request id, workspace, user and task id on every record.

`ContextFilter` (installed on the handlers by settings.LOGGING) copies the values of
`apps.core.context` onto each record. The Celery signal handlers below carry them into
tasks: the publisher adds its request id and user to the task's headers, and the worker
binds those plus the task's workspace and id while the task runs (wired in config/celery.py).
"""

import logging

from . import context

REQUEST_ID_HEADER = "luneo_request_id"
USER_HEADER = "luneo_user"
SCHEMA_HEADER = "_schema_name"  # set by tenant-schemas-celery when the task is queued


class ContextFilter(logging.Filter):
    """Adds request_id, tenant, user and task_id to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, value in context.current().items():
            setattr(record, name, value)
        return True


class ReadinessFilter(logging.Filter):
    """Drops `django.request`'s error record for a 503 from /readyz: "not ready yet" is an answer."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        probe = getattr(request, "path_info", None) == "/readyz"
        return not (probe and getattr(record, "status_code", None) == 503)


def task_publish_context_add(headers: dict | None = None, **_kwargs) -> None:
    """`before_task_publish`: the task's logs will name the request and user that queued it."""
    if headers is None:
        return
    headers.setdefault(REQUEST_ID_HEADER, context.request_id.get())
    headers.setdefault(USER_HEADER, context.user.get())


_task_tokens: dict[str, context.Tokens] = {}


def _task_header(task, name: str) -> str | None:
    request = task.request
    return (request.headers or {}).get(name) or request.get(name)


def task_context_bind(task_id: str, task, **_kwargs) -> None:
    """`task_prerun`: bind the task's workspace, id and originating request for its logs."""
    _task_tokens[task_id] = context.bind(
        request_id=_task_header(task, REQUEST_ID_HEADER),
        user=_task_header(task, USER_HEADER),
        tenant=_task_header(task, SCHEMA_HEADER) or "public",
        task_id=task_id,
    )


def task_context_unbind(task_id: str, **_kwargs) -> None:
    """`task_postrun`: restore what was bound before the task ran."""
    tokens = _task_tokens.pop(task_id, None)
    if tokens is not None:
        context.unbind(tokens)
