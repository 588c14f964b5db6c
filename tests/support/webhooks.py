"""`deliver_eagerly`: webhook deliveries run at once, in this process (receiver: `tests.support.receiver`).

With `deliver_eagerly`, queuing a delivery task after commit runs it at once in this process:
a failed attempt queues the next one (its countdown skipped, and the long waits the sweep
would send queued too), so a whole retry chain runs through the real task, service and HTTP
client without sleeping.
"""

import pytest

from apps.webhooks import services
from config.celery import app as celery_app


@pytest.fixture
def deliver_eagerly(monkeypatch):
    """Tasks queued run at once, here, and their errors propagate."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", True)
    monkeypatch.setattr(services, "MAX_QUEUED_DELAY_SECONDS", float("inf"))
