"""Console tasks: the platform's daily figures (beat, hourly, in the public schema)."""

from celery import shared_task

from .platform import platform_rollup


@shared_task(queue="default")
def platform_rollup_task() -> int:
    return len(platform_rollup())
