"""The tenant-aware task base, per-workspace dispatch for periodic jobs, a diagnostic task.

Every Luneo task is a `TenantTask` (config/celery.py makes it the app's base class), so task
code, like view code, assumes its workspace's schema is already active.
"""

import logging

from celery import current_app, shared_task
from django.db import connection
from django_tenants.utils import get_public_schema_name, get_tenant_model
from tenant_schemas_celery.task import TenantTask as SchemaTask

from .logging import SCHEMA_HEADER
from .notifications import notify

logger = logging.getLogger(__name__)


class TenantTask(SchemaTask):
    """Runs in the schema active when it was queued (public when queued from public).

    Queue from a workspace request or task as usual: `transaction.on_commit(lambda:
    task.delay(obj.pk))`. To queue for a given workspace, pass `headers={"_schema_name": schema}`.
    """

    abstract = True

    def apply_async(self, args=None, kwargs=None, **options):
        """Queue it. A pooled producer whose channel a lost broker connection closed (a worker's,
        while Redis restarts) fails with AttributeError, which kombu's publish retry policy does
        not cover: the work would be lost after its commit. Queue it again over a new connection,
        with the same retry policy."""
        try:
            return super().apply_async(args, kwargs, **options)
        except AttributeError:
            if "connection" in options:
                raise
            logger.warning(
                "%s: the pooled broker channel was closed; queued over a new connection", self.name
            )
            with self.app.connection_for_write() as connection:
                return super().apply_async(args, kwargs, connection=connection, **options)


def schemas_active() -> list[str]:
    """Schemas of the workspaces that periodic work should run for (not suspended, not public)."""
    tenant_model = get_tenant_model()  # the tenants app's, named in settings: core imports no app
    return list(
        tenant_model.objects.filter(status=tenant_model.Status.ACTIVE)
        .exclude(schema_name=get_public_schema_name())
        .order_by("schema_name")
        .values_list("schema_name", flat=True)
    )


@shared_task(name="apps.core.tasks.for_each_tenant", queue="default")
def for_each_tenant(task_name: str, args: list | None = None, kwargs: dict | None = None) -> int:
    """Beat's entry point for per-workspace jobs: queue `task_name` once in each active workspace.

    Beat runs in public; each queued task runs in its workspace's schema. Returns the count.
    """
    schemas = schemas_active()
    for schema in schemas:
        current_app.send_task(task_name, args=args, kwargs=kwargs, headers={SCHEMA_HEADER: schema})
    logger.info("queued %s for %d workspaces", task_name, len(schemas))
    return len(schemas)


@shared_task(name="apps.core.tasks.notify_task", queue="default")
def notify_task(user_id: int | None, event: str, payload: dict) -> None:
    """Diagnostic: push `event` to a member (or, without user_id, everyone) of the task's workspace."""
    schema = connection.schema_name
    if schema == get_public_schema_name():
        logger.warning("notify_task queued outside a workspace: %s dropped", event)
        return
    notify(schema=schema, event=event, payload={**payload, "workspace": schema}, user_id=user_id)
    logger.info("notified %s to %s", event, f"user {user_id}" if user_id is not None else "the workspace")
