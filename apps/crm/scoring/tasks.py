"""The CRM's refresh as a task: nightly for every workspace (beat, `for_each_tenant`) and after each
import (`apps.crm.scoring.tasks.crm_refresh_task`, queued in the workspace's schema)."""

from datetime import date

from celery import shared_task

from .refresh import crm_refresh


@shared_task(acks_late=True, queue="etl", soft_time_limit=600, time_limit=660)
def crm_refresh_task(as_of: str | None = None) -> dict:
    """Idempotent: a second run for the same date writes the same scores and no new moves."""
    return crm_refresh(as_of=date.fromisoformat(as_of) if as_of else None)


def scores_refresh_after_import() -> None:
    """Queue a refresh of the active workspace once the current transaction commits."""
    from django.db import transaction

    transaction.on_commit(lambda: crm_refresh_task.delay())
