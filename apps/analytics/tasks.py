"""Per-workspace analytics jobs (beat dispatches them with `for_each_tenant`). Safe to repeat."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def rollup_catch_up_task() -> int:
    return services.rollup_catch_up()


@shared_task(acks_late=True)
def weekly_report_task() -> int:
    """Monday morning: the last 7 days to the owners who asked for it. Returns the emails sent."""
    return services.weekly_report_send()
