"""Every plan limit holds under parallel requests: exactly the allowed number is created, over real HTTP."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from apps.accounts.models import Invitation
from apps.billing.models import Plan
from apps.billing.services import plan_get, subscription_assign
from apps.brands.models import Brand
from apps.brands.services import brand_create
from apps.tenants.models import ApiKey, Membership
from apps.webhooks.models import WebhookEndpoint
from tests.support.clients import http_call, new_key

pytestmark = pytest.mark.django_db(transaction=True)  # the server's threads must see committed rows

REQUESTS = 20
ROOM = 5  # how many more the plan allows than the workspace has


def room_left(tenant, limit: str, used: int) -> None:
    """Put the workspace on Pro with ROOM more of `limit` than it `used`."""
    pro = plan_get(Plan.Code.PRO)
    setattr(pro, limit, used + ROOM)
    pro.save()
    subscription_assign(tenant=tenant, plan=pro)


def post_in_parallel(live_server, tenant, scope: str, path: str, bodies: list[dict]) -> list[tuple]:
    """POST every body at once with a key of `tenant`: [(status, JSON body)]."""
    _key, raw = new_key(tenant, scopes=[scope])
    connection.set_schema_to_public()
    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        results = pool.map(lambda body: http_call(live_server, "POST", path, raw, body), bodies)
        answers = [(status, body) for status, _headers, body in results]
    connection.set_tenant(tenant)
    return answers


def assert_exactly_room_created(answers: list[tuple], created: int, limit: str) -> None:
    assert sorted(status for status, _body in answers) == [201] * ROOM + [402] * (REQUESTS - ROOM)
    refusals = [body["error"] for status, body in answers if status == 402]
    assert {(error["code"], error["details"]["limit"]) for error in refusals} == {
        ("plan_limit_reached", limit)
    }
    assert created == ROOM


def test_parallel_brands_stop_at_the_plan_limit(tenant, live_server):
    # Given a workspace with room for 5 more brands
    before = Brand.objects.count()
    room_left(tenant, "brands", before)

    # When 20 brands are created at once
    bodies = [{"name": f"Parallel {n}"} for n in range(REQUESTS)]
    answers = post_in_parallel(live_server, tenant, "catalog:write", "/api/v1/brands", bodies)

    # Then exactly 5 exist and the others got 402
    assert_exactly_room_created(answers, Brand.objects.count() - before, "brands")


def test_parallel_webhook_endpoints_stop_at_the_plan_limit(tenant, live_server):
    # Given a workspace with room for 5 more webhook endpoints
    before = WebhookEndpoint.objects.count()
    room_left(tenant, "webhook_endpoints", before)

    # When 20 endpoints are added at once
    bodies = [{"url": f"https://hooks.example.com/{n}", "events": ["order.created"]} for n in range(REQUESTS)]
    answers = post_in_parallel(live_server, tenant, "webhooks:write", "/api/v1/webhooks/endpoints", bodies)

    # Then exactly 5 exist and the others got 402
    assert_exactly_room_created(answers, WebhookEndpoint.objects.count() - before, "webhook_endpoints")


def seats_taken(tenant) -> int:
    pending = Invitation.objects.filter(tenant=tenant, accepted_at__isnull=True, revoked_at__isnull=True)
    return Membership.objects.filter(tenant=tenant).count() + pending.count()


def test_parallel_invitations_stop_at_the_seats(tenant, live_server):
    # Given a workspace with room for 5 more seats
    before = seats_taken(tenant)
    room_left(tenant, "seats", before)

    # When 20 people are invited at once
    bodies = [{"email": f"person{n}@parallel.test", "role": "editor"} for n in range(REQUESTS)]
    answers = post_in_parallel(live_server, tenant, "team:write", "/api/v1/invitations", bodies)

    # Then exactly 5 seats were taken and the others got 402
    assert_exactly_room_created(answers, seats_taken(tenant) - before, "seats")


def test_parallel_key_rotations_leave_one_publishable_key(tenant, live_server):
    # Given a brand
    brand = brand_create(name="Rotated")

    # When its widget key is rotated 20 times at once
    path = f"/api/v1/brands/{brand.pk}/publishable-key"
    answers = post_in_parallel(live_server, tenant, "catalog:write", path, [{}] * REQUESTS)

    # Then every rotation answered, and exactly one key still works
    assert {status for status, _body in answers} == {201}
    active = ApiKey.objects.filter(brand_ref=brand.pk, type=ApiKey.Type.PUBLISHABLE, revoked_at__isnull=True)
    assert active.count() == 1
