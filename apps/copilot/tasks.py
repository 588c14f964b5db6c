"""Copilot tasks: purging conversations after the workspace's retention (beat, in each workspace)."""

from celery import shared_task

from .services import conversations_purge


@shared_task(queue="default")
def conversations_purge_task() -> int:
    return conversations_purge()
