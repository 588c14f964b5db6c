"""Public-schema housekeeping tasks (they touch no tenant schema)."""

from celery import shared_task

from . import domains
from .support import support_sessions_expire


@shared_task(acks_late=True, queue="default")
def custom_domains_recheck() -> None:
    """Re-check verified custom domains' TXT records and drop stale unverified claims."""
    domains.custom_domains_recheck()


@shared_task(queue="default")
def support_sessions_expire_task() -> int:
    """End the support sessions past their time, with their audit entry and sockets closed."""
    return support_sessions_expire()
