"""Tenant-aware tasks, per-workspace dispatch, routes and the beat schedules (no worker here)."""

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from apps.core.notifications import notify, user_group, workspace_group
from apps.core.schedules import Schedule, schedules_sync
from apps.core.tasks import for_each_tenant, notify_task
from apps.tenants.services import tenant_suspend
from config.celery import QUEUES, app
from tests.support.broker import broker_messages
from tests.support.workspaces import member


async def _receive(channel: str, timeout: float = 5):
    return await asyncio.wait_for(get_channel_layer().receive(channel), timeout)


def listen(group: str) -> str:
    """A fresh channel in `group` of the real (Redis) channel layer."""
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(group, channel)
    return channel


@pytest.mark.parametrize(
    ("task_name", "queue"),
    [
        ("apps.designs.tasks.design_composite_task", "ai"),
        ("apps.designs.tasks.design_generate_task", "ai"),
        ("apps.tenants.tasks.idempotency_purge", "default"),
        ("apps.core.tasks.notify_task", "default"),
    ],
)
def test_tasks_are_sent_to_the_queue_they_declare(db, task_name, queue):
    # What a worker does at start: import every app's tasks module, then run the system checks
    # (dj-stripe's read the database).
    app.loader.import_default_modules()
    task = app.tasks[task_name]
    route = app.amqp.router.route(task._get_exec_options(), task_name)

    assert task.queue == queue
    assert route["queue"].name == queue


def test_every_luneo_task_declares_a_known_queue(db):
    app.loader.import_default_modules()
    tasks = {name: task for name, task in app.tasks.items() if name.startswith("apps.")}

    assert len(tasks) > 10
    assert {name: task.queue for name, task in tasks.items() if task.queue not in QUEUES} == {}


def test_celery_runs_json_only_with_late_acks_and_time_limits():
    conf = app.conf

    assert (conf.task_serializer, conf.accept_content) == ("json", ["json"])
    assert (conf.task_acks_late, conf.worker_prefetch_multiplier) == (True, 1)
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit
    assert {queue.name for queue in conf.task_queues} == {"default", "ai", "etl"}


def test_task_runs_in_the_schema_active_when_queued(tenant, django_capture_on_commit_callbacks):
    user = member(tenant)
    channel = listen(user_group("alpha", user.pk))

    with django_capture_on_commit_callbacks(execute=True):
        notify_task.apply(args=[user.pk, "demo.ping", {"n": 1}])

    message = async_to_sync(_receive)(channel)
    assert message["event"] == "demo.ping"
    assert message["payload"] == {"n": 1, "workspace": "alpha"}


def test_notify_sends_only_after_the_transaction_commits(tenant, django_capture_on_commit_callbacks):
    channel = listen(workspace_group("alpha"))

    with django_capture_on_commit_callbacks() as callbacks:
        notify(schema="alpha", event="product.updated", payload={"id": 7})
    assert len(callbacks) == 1  # waiting for the commit
    callbacks[0]()

    message = async_to_sync(_receive)(channel)
    assert (message["event"], message["payload"]) == ("product.updated", {"id": 7})


def test_for_each_tenant_queues_the_task_once_per_active_workspace(tenant, other_tenant):
    tenant_suspend(tenant=other_tenant)
    broker_messages("default")  # start from an empty queue

    count = for_each_tenant("apps.tenants.tasks.idempotency_purge")

    messages = broker_messages("default")
    schemas = [message.headers["_schema_name"] for message in messages]
    assert len(messages) == count
    assert "alpha" in schemas
    assert "beta" not in schemas  # suspended
    assert "public" not in schemas
    assert len(set(schemas)) == len(schemas)
    assert {message.headers["task"] for message in messages} == {"apps.tenants.tasks.idempotency_purge"}


def test_migrate_registers_the_idempotency_purge_hourly_in_public(db):
    task = PeriodicTask.objects.get(name="luneo: purge idempotency records")

    assert task.task == "apps.tenants.tasks.idempotency_purge"
    assert (task.interval.every, task.interval.period) == (1, IntervalSchedule.HOURS)
    assert task.headers == "{}"  # no schema: beat sends it in public


def test_schedules_sync_is_idempotent_and_keeps_an_operators_choices(db):
    schedules = (
        Schedule(name="purge idempotency records", task="apps.tenants.tasks.idempotency_purge", every=1),
        Schedule(
            name="workspace digest",
            task="apps.crm.tasks.digest_send",
            every=1,
            period="days",
            per_tenant=True,
        ),
    )
    schedules_sync(schedules)
    PeriodicTask.objects.filter(name="luneo: workspace digest").update(enabled=False)

    schedules_sync(schedules)

    digest = PeriodicTask.objects.get(name="luneo: workspace digest")
    assert PeriodicTask.objects.filter(name__startswith="luneo: ").count() == 2
    assert (digest.task, digest.args) == ("apps.core.tasks.for_each_tenant", '["apps.crm.tasks.digest_send"]')
    assert digest.enabled is False
    assert digest.expire_seconds == 24 * 3600


def test_schedules_sync_removes_jobs_no_longer_listed_and_leaves_others(db):
    interval = IntervalSchedule.objects.create(every=5, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.create(name="luneo: retired job", task="apps.core.tasks.gone", interval=interval)
    PeriodicTask.objects.create(name="operator job", task="apps.core.tasks.custom", interval=interval)

    schedules_sync()

    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert "luneo: retired job" not in names
    assert {"operator job", "luneo: purge idempotency records"} <= names
