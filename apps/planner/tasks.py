"""Planner tasks: purging chat messages after the workspace's TTL (beat, in each workspace)."""

from celery import shared_task

from .services import chat_purge


@shared_task(queue="default")
def chat_purge_task() -> int:
    return chat_purge()
