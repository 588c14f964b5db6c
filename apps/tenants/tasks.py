"""Public-schema housekeeping tasks (they touch no tenant schema; spares are not workspaces)."""

from celery import shared_task

from . import services, template


@shared_task(acks_late=True, queue="default")
def idempotency_purge() -> int:
    """Delete stored Idempotency-Key answers older than IDEMPOTENCY_TTL_HOURS. Returns how many."""
    return services.idempotency_purge()


@shared_task(acks_late=True, queue="default")
def tenants_purge_task() -> list[str]:
    """Drop the workspaces whose deletion grace period is over (WORKSPACE_DELETION_GRACE_DAYS)."""
    return services.tenants_purge()


@shared_task(acks_late=True, queue="default")
def spares_refill_task() -> int:
    """Clone spare schemas up to TENANT_SPARE_SCHEMAS (after each signup, and every minute)."""
    return template.spares_refill()
