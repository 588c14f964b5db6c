"""One design through the whole pipeline on a real Celery worker process, watched over the websocket."""

import json
import time

import pytest

from apps.designs.models import Design
from apps.designs.services import design_create
from tests.support.factories.products import product_make
from tests.support.factories.tenants import PASSWORD
from tests.support.workspaces import owner

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]
TIMEOUT_SECONDS = 60


@pytest.fixture
def _media_root():
    """The worker writes to the configured MEDIA_ROOT: this test reads from the same place."""


def test_the_worker_takes_a_design_to_ready_and_the_socket_follows(daphne, worker, tenant):
    session = daphne.login(host="alpha.localhost", email=owner(tenant).email, password=PASSWORD)
    product = product_make(views=("front", "back"))
    statuses = []

    with daphne.websocket("/ws/designs/0/", host="alpha.localhost", session=session):
        pass  # warm daphne's workspace lookup so the design's socket opens at once
    design = design_create(product=product.pk, prompt="A hot air balloon over fields")  # queued on commit
    path = f"/ws/designs/{design.public_id}/"
    with daphne.websocket(path, host="alpha.localhost", session=session) as socket:
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while time.monotonic() < deadline and (
            not statuses or statuses[-1] not in ("ready", "failed", "rejected")
        ):
            statuses.append(json.loads(socket.recv(timeout=TIMEOUT_SECONDS))["status"])

    design = Design.objects.get(pk=design.pk)
    assert design.status == "ready", (statuses, design.error_message, worker.log()[-3000:])
    assert statuses[-1] == "ready"
    assert statuses == sorted(
        statuses, key=["queued", "moderating", "generating", "compositing", "exporting", "ready"].index
    )
    assert design.assets.count() == 2 + 2 * 5  # artwork, glb; 5 per view
