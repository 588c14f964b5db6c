"""The operators' Jobs page and failed tasks: tasks recorded by Celery's real `task_failure`
signal (secrets left out), re-sent once in their workspace; queue depths from the broker's Redis;
beat's schedules; webhook endpoints failing in every workspace; staff only."""

import redis
from celery import shared_task
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from kombu import Connection

from apps.console.models import FailedTask
from apps.tenants.models import Role
from apps.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEvent
from config.settings.base import redis_db_url
from tests.support.clients import operator_client
from tests.support.factories.webhooks import endpoint_make
from tests.support.workspaces import member

JOBS = "/admin/console/jobs/"
FAILED = "/admin/console/failedtask/"


@shared_task(name="tests.console.explode", queue="etl")
def explode(number: int, label: str = "", token: str = "") -> None:
    raise RuntimeError(f"exploded on {number} {label}")


def operator() -> Client:
    tenant = getattr(connection, "tenant", None)
    connection.set_schema_to_public()
    client = operator_client()
    if tenant is not None and tenant.schema_name != "public":
        connection.set_tenant(tenant)
    return client


def broker(settings) -> str:
    """The tests' own broker, a Redis database no other part of the suite uses (kombu's URL form,
    for a TCP Redis or the embedded one's socket)."""
    settings.CELERY_BROKER_URL = redis_db_url(4, scheme="kombu")
    return settings.CELERY_BROKER_URL


def take(url: str, queue: str) -> list:
    messages = []
    with Connection(url) as conn:
        simple = conn.SimpleQueue(queue)
        while True:
            try:
                message = simple.get(timeout=0.3)
            except simple.Empty:
                return messages
            message.ack()
            messages.append(message)


def test_a_failing_task_is_recorded_by_the_signal_and_retried_once_in_its_workspace(tenant, settings):
    url = broker(settings)
    take(url, "etl")
    explode.apply(args=[7], kwargs={"label": "mugs"})
    failed = FailedTask.objects.get(task_name="tests.console.explode")
    client = operator()

    listed = client.get(FAILED, {"retried": "no", "schema_name": "alpha"})
    first = client.post(FAILED, {"action": "retry", "_selected_action": [failed.pk]}, follow=True)
    failed.refresh_from_db()
    retried_at = failed.retried_at
    second = client.post(FAILED, {"action": "retry", "_selected_action": [failed.pk]}, follow=True)
    failed.refresh_from_db()
    [message] = take(url, "etl")

    assert (failed.args, failed.kwargs, failed.schema_name) == ([7], {"label": "mugs"}, "alpha")
    assert failed.exception == "RuntimeError: exploded on 7 mugs"
    assert "raise RuntimeError" in failed.traceback
    assert failed.redacted is False
    assert failed.task_name in listed.content.decode()
    assert "1 task re-sent." in first.content.decode()
    assert "already retried once" in second.content.decode()
    assert failed.retried_at == retried_at
    assert message.headers["task"] == "tests.console.explode"
    assert message.headers["_schema_name"] == "alpha"
    assert message.headers["id"] == failed.retry_task_id
    assert message.decode()[0] == [7]
    assert message.decode()[1] == {"label": "mugs"}


def test_secrets_in_arguments_are_not_stored_and_such_a_task_is_not_resent(tenant, settings):
    url = broker(settings)
    explode.apply(args=[1], kwargs={"token": "s3cr3t-value", "label": "sk_live_abcdefghijklmnop"})
    failed = FailedTask.objects.get(task_name="tests.console.explode")

    response = operator().post(FAILED, {"action": "retry", "_selected_action": [failed.pk]}, follow=True)
    failed.refresh_from_db()

    assert failed.kwargs == {"token": "[redacted]", "label": "[redacted]"}
    assert failed.redacted is True
    assert "s3cr3t" not in failed.traceback + failed.exception + str(failed.kwargs)
    assert "cannot be re-sent" in response.content.decode()
    assert failed.retried_at is None
    assert take(url, "etl") == []


def test_queue_depths_are_read_from_the_brokers_redis(db, settings):
    broker(settings)
    client = redis.Redis.from_url(redis_db_url(4))  # the same database, as redis-py names it
    client.delete("ai", "etl")
    try:
        client.lpush("ai", *[b"{}"] * 3)
        client.lpush("etl", b"{}")
        response = operator().get(JOBS)
    finally:
        client.delete("ai", "etl")

    assert response.status_code == 200
    assert response.context["queues"]["ai"] == 3
    assert response.context["queues"]["etl"] == 1
    assert set(response.context["queues"]) == {"default", "ai", "etl"}


def test_beat_schedules_show_their_last_run(db):
    every, _created = IntervalSchedule.objects.get_or_create(every=5, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.create(
        name="console test sweep", task="apps.webhooks.tasks.deliveries_sweep_task", interval=every,
        last_run_at=timezone.now(), enabled=False,
    )  # fmt: skip

    response = operator().get(JOBS)

    page = response.content.decode()
    assert "console test sweep" in page
    assert "every 5 minutes" in page
    assert FAILED in page


def _failed_delivery(url: str, detail: str):
    endpoint, _secret = endpoint_make(url)
    event = WebhookEvent.objects.create(type="order.created", payload={})
    delivery = WebhookDelivery.objects.create(
        event=event, endpoint=endpoint, status=WebhookDelivery.Status.FAILED, attempt_count=1
    )
    WebhookAttempt.objects.create(
        delivery=delivery, number=1, started_at=timezone.now(), duration_ms=5,
        error=WebhookAttempt.Error.CONNECTION, error_detail=detail,
    )  # fmt: skip
    return endpoint


def test_failing_webhook_endpoints_of_every_workspace_are_listed_with_their_last_error(other_tenant, tenant):
    connection.set_tenant(other_tenant)
    _failed_delivery("https://beta.example/hook", "connection refused")
    connection.set_tenant(tenant)
    _failed_delivery("https://alpha.example/hook", "no route to host")
    endpoint_make("https://alpha.example/healthy")

    response = operator().get(JOBS)

    rows = [
        (row["tenant"].schema_name, row["url"], row["last_error"]) for row in response.context["endpoints"]
    ]
    assert rows == [
        ("alpha", "https://alpha.example/hook", "Connection failed: no route to host"),
        ("beta", "https://beta.example/hook", "Connection failed: connection refused"),
    ]
    assert "https://alpha.example/healthy" not in response.content.decode()


def test_people_who_are_not_staff_are_refused(tenant):
    client = Client()
    client.force_login(member(tenant, Role.OWNER))

    for path in (JOBS, FAILED):
        response = client.get(path)
        assert response.status_code == 302
        assert "/admin/login/" in response.url
