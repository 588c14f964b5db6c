"""`seed_demo`'s history tells the truth: packs for paid orders, reasons for designs that did not
end ready, pictures for those that did, and usage that counts what was seeded."""

import io
import re
import zipfile
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.utils.timezone import now

from apps.ai.models import AIUsage
from apps.billing.entitlements import month_start
from apps.billing.models import Limit, UsageCounter
from apps.core.dates import day_start
from apps.designs.models import Design, DesignAsset
from apps.designs.selectors import design_thumbs
from apps.designs.signing import asset_url
from apps.orders.errors import OrderTransitionNotAllowed
from apps.orders.models import Order
from apps.orders.services import order_history_import
from apps.orders.signing import pack_url
from apps.tenants.models import Tenant, User

pytestmark = pytest.mark.django_db
HOST = "demo.localhost"
S = Order.Status


@pytest.fixture(scope="module")
def _seeded(django_db_setup, django_db_blocker):
    """The demo seeded once for the module's tests, rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        connection.set_schema_to_public()
        call_command("seed_demo", stdout=io.StringIO())
        yield Tenant.objects.get(schema_name="demo")
        transaction.set_rollback(True)


@pytest.fixture
def demo(_seeded):
    """The demo workspace, its schema active for the test."""
    connection.set_tenant(_seeded)
    yield _seeded
    connection.set_schema_to_public()


def _files(archive: zipfile.ZipFile) -> list[str]:
    return sorted(name for name in archive.namelist() if name.startswith("items/"))


def test_every_order_that_was_paid_has_its_pack_built_with_its_print_files(demo):
    orders = list(Order.objects.prefetch_related("history"))
    paid = [order for order in orders if S.PAID in {change.to_status for change in order.history.all()}]

    assert S.DELIVERED in {order.status for order in paid}
    for order in orders:
        if order not in paid:
            assert order.pack_status == Order.PackStatus.NONE, order.reference
            continue
        assert order.pack_status == Order.PackStatus.READY, (order.reference, order.pack_error)
        with order.pack.open("rb") as file, zipfile.ZipFile(file) as archive:
            assert {"order.json", "order.pdf"} <= set(archive.namelist())
            assert [name.rsplit(".", 1)[1] for name in _files(archive)] == ["pdf", "png"], order.reference


def test_an_order_history_makes_only_the_moves_an_order_can_make(demo):
    delivered = Order.objects.filter(status=S.DELIVERED).first()

    with pytest.raises(OrderTransitionNotAllowed):
        order_history_import(order=delivered, created_at=delivered.created_at, moves=[(S.SHIPPED, now())])

    assert [change.to_status for change in delivered.history.all()] == [
        S.PENDING,
        S.PAID,
        S.IN_PRODUCTION,
        S.SHIPPED,
        S.DELIVERED,
    ]


def test_a_pack_downloads_through_its_signed_link(demo):
    order = Order.objects.filter(status=S.DELIVERED).first()

    response = Client(HTTP_HOST=HOST).get(pack_url(order))

    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert len(_files(archive)) == 2


def test_every_design_that_failed_or_was_rejected_says_why(demo):
    designs = list(Design.objects.filter(status__in=[Design.Status.FAILED, Design.Status.REJECTED]))

    assert {design.status for design in designs} == {Design.Status.FAILED, Design.Status.REJECTED}
    for design in designs:
        assert design.error_code, design.pk
        assert design.error_message.strip(), design.pk
        assert design.step == design.status, design.pk


def test_every_ready_design_shows_its_own_pictures_which_exist(demo):
    ready = list(Design.objects.filter(status=Design.Status.READY))
    thumbs = design_thumbs(ready)
    previews = DesignAsset.objects.filter(design__in=ready, kind=DesignAsset.Kind.PREVIEW_JPG)

    assert len(ready) > 300
    assert set(thumbs) == {design.pk for design in ready}
    assert set(previews.values_list("design_id", flat=True)) == set(thumbs)
    for asset in {asset.file.name: asset for asset in [*thumbs.values(), *previews]}.values():
        assert asset.file.storage.exists(asset.file.name), asset.file.name
    for design in ready:  # the files were rendered from this design's own inputs
        parameters = design.spec["parameters"]
        assert (parameters["prompt"], parameters["style"], parameters["seed"]) == (
            design.prompt,
            design.style,
            design.seed,
        )
    response = Client(HTTP_HOST=HOST).get(asset_url(thumbs[ready[-1].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


def test_the_billing_page_counts_the_designs_made_this_month(demo):
    made = Design.objects.filter(created_at__gte=day_start(month_start())).count()
    client = Client(HTTP_HOST=HOST)
    client.force_login(User.objects.get(email="owner@demo.luneo.test"))

    page = client.get("/settings/billing/").content.decode()

    row = re.search(r'data-limit="designs".*?class="usage-figure">([^<]*)<', page, re.S)
    assert row is not None
    assert row.group(1).split(" / ")[0] == str(made)


def test_every_month_of_history_counts_its_designs(demo):
    designs = Design.objects.values_list("created_at", flat=True)
    counters = UsageCounter.objects.filter(tenant=demo, metric=Limit.DESIGNS)

    assert dict(counters.values_list("period", "count")) == Counter(month_start(moment) for moment in designs)


def test_the_ai_usage_log_holds_each_designs_calls_from_when_it_was_made(demo):
    made = dict(Design.objects.values_list("pk", "created_at"))
    status = dict(Design.objects.values_list("pk", "status"))
    calls: dict[int, list[str]] = {}
    for design_id, operation, moment in AIUsage.objects.values_list("design_id", "operation", "created_at"):
        calls.setdefault(design_id, []).append(operation)
        assert made[design_id] <= moment < made[design_id] + timedelta(minutes=1)

    assert set(calls) == set(made)
    for design_id, operations in calls.items():
        expected = [AIUsage.Operation.TEXT_MODERATE]
        if status[design_id] == Design.Status.READY:
            expected.append(AIUsage.Operation.IMAGE_GENERATE)
        assert sorted(operations) == sorted(expected), (design_id, status[design_id])
