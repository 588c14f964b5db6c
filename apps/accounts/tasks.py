"""Public-schema housekeeping tasks (they touch no tenant schema)."""

from celery import shared_task

from . import domains


@shared_task(acks_late=True, queue="default")
def custom_domains_recheck() -> None:
    """Re-check verified custom domains' TXT records and drop stale unverified claims."""
    domains.custom_domains_recheck()
