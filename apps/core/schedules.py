"""The project's periodic jobs, kept in django_celery_beat's tables for beat.

`SCHEDULES` is the one list; `schedules_sync()` makes the database match it (run after every
`migrate`, idempotent). Operators see and may disable them in the admin; a disabled job stays
disabled across syncs. Jobs listed here are named "luneo: …"; others are left alone.

Beat runs in public. A job with `per_tenant=True` is registered as `for_each_tenant(task)`,
which queues the task once in each active workspace's schema.
"""

import json
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask
from django_tenants.utils import get_public_schema_name, schema_context

NAME_PREFIX = "luneo: "
PER_TENANT_TASK = "apps.core.tasks.for_each_tenant"


@dataclass(frozen=True)
class Schedule:
    """Every `every` `period`s, or at the times of `crontab` ("minute hour day month weekday", UTC)."""

    name: str
    task: str
    every: int = 1
    period: str = IntervalSchedule.HOURS
    per_tenant: bool = False
    crontab: str = ""

    @property
    def seconds(self) -> int:
        """How long a run may wait to start before it is dropped (the next one is due)."""
        if self.crontab:
            return 3600
        return int(timedelta(**{self.period: self.every}).total_seconds())


SCHEDULES = (
    Schedule(name="purge idempotency records", task="apps.tenants.tasks.idempotency_purge", every=1),
    Schedule(
        name="drop workspaces deleted by operators", task="apps.tenants.tasks.tenants_purge_task", every=1
    ),
    Schedule(  # a safety net: each signup queues it too
        name="refill the spare workspace schemas",
        task="apps.tenants.tasks.spares_refill_task",
        every=1,
        period=IntervalSchedule.MINUTES,
    ),
    Schedule(name="re-check custom domains", task="apps.accounts.tasks.custom_domains_recheck", every=6),
    Schedule(
        name="re-queue lost webhook deliveries",
        task="apps.webhooks.tasks.deliveries_sweep_task",
        every=5,
        period=IntervalSchedule.MINUTES,
        per_tenant=True,
    ),
    Schedule(
        name="re-queue stalled designs",
        task="apps.designs.tasks.designs_stalled_requeue_task",
        every=5,
        period=IntervalSchedule.MINUTES,
        per_tenant=True,
    ),
    Schedule(
        name="end lapsed trials and grace periods",
        task="apps.billing.tasks.subscriptions_lapse_task",
        every=15,
        period=IntervalSchedule.MINUTES,
    ),
    Schedule(name="report overage designs to Stripe", task="apps.billing.tasks.overage_report_task", every=1),
    Schedule(
        name="refresh the analytics rollup",
        task="apps.analytics.tasks.rollup_catch_up_task",
        every=15,
        period=IntervalSchedule.MINUTES,
        per_tenant=True,
    ),
    Schedule(
        name="weekly report to owners",
        task="apps.analytics.tasks.weekly_report_task",
        crontab="0 7 * * 1",  # Monday, 07:00 UTC
        per_tenant=True,
    ),
    Schedule(
        name="add up the platform's day for the operators",
        task="apps.console.tasks.platform_rollup_task",
        every=1,
    ),
    Schedule(
        name="end support sessions past their time",
        task="apps.accounts.tasks.support_sessions_expire_task",
        every=5,
        period=IntervalSchedule.MINUTES,
    ),
    Schedule(name="purge audit entries after a year", task="apps.audit.tasks.audit_purge_task", every=24),
    Schedule(
        name="start scheduled campaigns, resume lost sends",
        task="apps.campaigns.tasks.campaigns_tick_task",
        every=1,
        period=IntervalSchedule.MINUTES,
        per_tenant=True,
    ),
    Schedule(
        name="refresh CRM scores and recommendations",
        task="apps.crm.scoring.tasks.crm_refresh_task",
        crontab="30 2 * * *",  # every night, 02:30 UTC
        per_tenant=True,
    ),
    Schedule(
        name="purge planner chat messages after their TTL",
        task="apps.planner.tasks.chat_purge_task",
        every=1,
        per_tenant=True,
    ),
    Schedule(
        name="purge copilot conversations after their retention",
        task="apps.copilot.tasks.conversations_purge_task",
        crontab="15 3 * * *",  # every night, 03:15 UTC
        per_tenant=True,
    ),
)


def _when(schedule: Schedule) -> dict:
    """The PeriodicTask fields saying when it runs: an interval or a crontab (the other one cleared)."""
    if schedule.crontab:
        minute, hour, day_of_month, month_of_year, day_of_week = schedule.crontab.split()
        crontab, _created = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_month=day_of_month,
            month_of_year=month_of_year,
            day_of_week=day_of_week,
            timezone="UTC",
        )
        return {"crontab": crontab, "interval": None}
    interval = IntervalSchedule.objects.filter(every=schedule.every, period=schedule.period).first()
    interval = interval or IntervalSchedule.objects.create(every=schedule.every, period=schedule.period)
    return {"interval": interval, "crontab": None}


def schedules_sync(schedules: tuple[Schedule, ...] = SCHEDULES) -> list[PeriodicTask]:
    """Create or update a PeriodicTask per schedule; delete "luneo: …" jobs no longer listed."""
    with schema_context(get_public_schema_name()):
        tasks = []
        for schedule in schedules:
            task, args = (PER_TENANT_TASK, [schedule.task]) if schedule.per_tenant else (schedule.task, [])
            periodic_task, _created = PeriodicTask.objects.update_or_create(
                name=NAME_PREFIX + schedule.name,
                defaults={
                    "task": task,
                    "args": json.dumps(args),
                    **_when(schedule),
                    "expire_seconds": schedule.seconds,  # a run not started before the next is dropped
                },
            )
            tasks.append(periodic_task)
        listed = [periodic_task.pk for periodic_task in tasks]
        PeriodicTask.objects.filter(name__startswith=NAME_PREFIX).exclude(pk__in=listed).delete()
    return tasks


def schedules_sync_after_migrate(**_kwargs) -> None:
    """post_migrate: sync once the public schema has django_celery_beat's tables."""
    if connection.schema_name != get_public_schema_name():
        return  # a workspace schema being migrated
    if PeriodicTask._meta.db_table not in connection.introspection.table_names():
        return  # `migrate` of a single app, before django_celery_beat's migrations
    schedules_sync()
