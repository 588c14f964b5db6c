"""Per-workspace analytics jobs (beat dispatches them with `for_each_tenant`). Safe to repeat."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, queue="default")
def rollup_catch_up_task() -> int:
    return services.rollup_catch_up()


# The mail server refused, dropped or never answered (smtplib's errors are OSErrors too).
@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=60, max_retries=5, queue="default")
def weekly_report_task() -> int:
    """Monday morning: the last 7 days to the owners who asked for it; a failed send is retried
    for the owners not yet served. Returns the emails sent by the run that succeeded."""
    return services.weekly_report_send()
