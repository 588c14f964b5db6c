"""`/ws/designs/<id>/` through a real daphne: the current state first, then each transition in order."""

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from websockets.exceptions import InvalidStatus

from apps.billing.admin import PlanForm
from apps.billing.models import Feature, Plan
from apps.billing.services import plan_get, subscription_assign
from apps.designs.services import design_cancel, design_create
from apps.tenants.services import api_key_create, api_key_revoke
from tests.support.clients import admin_url, operator_client
from tests.support.factories.designs import pipeline_run
from tests.support.factories.products import product_make
from tests.support.factories.tenants import PASSWORD
from tests.support.processes import closed_with
from tests.support.sockets import close_code, key_socket, receive, socket_to
from tests.support.workspaces import owner

pytestmark = pytest.mark.django_db(transaction=True)


def login(daphne, tenant) -> str:
    return daphne.login(host=f"{tenant.schema_name}.localhost", email=owner(tenant).email, password=PASSWORD)


def test_a_member_receives_the_design_state_then_every_transition_in_order(daphne, tenant):
    session = login(daphne, tenant)
    design = design_create(product=product_make().pk, prompt="A fox in the snow")
    saved_at = design.updated_at.timestamp()

    path = f"/ws/designs/{design.public_id}/"

    with daphne.websocket(path, host="alpha.localhost", session=session) as socket:
        first = receive(socket)
        pipeline_run(design)  # in this process: each transition commits and is pushed
        events = [receive(socket) for _ in range(5)]

    assert first == {
        "type": "design.status",
        "id": design.public_id,
        "status": "queued",
        "step": "queued",
        "progress": 0,
        "at": saved_at,
    }
    assert [event["at"] for event in events] == sorted({event["at"] for event in events})
    assert [(event["status"], event["progress"]) for event in events] == [
        ("moderating", 10), ("generating", 30), ("compositing", 60), ("exporting", 85), ("ready", 100),
    ]  # fmt: skip
    assert {event["id"] for event in events} == {design.public_id}
    assert "front/preview_webp" in events[3]["assets"]
    assert events[-1]["assets"]["glb"].startswith("/designs/assets/")


def test_a_cancelled_design_pushes_its_new_state(daphne, tenant):
    session = login(daphne, tenant)
    design = design_create(product=product_make().pk, prompt="Cat")

    path = f"/ws/designs/{design.public_id}/"

    with daphne.websocket(path, host="alpha.localhost", session=session) as socket:
        receive(socket)
        design_cancel(design=design)
        event = receive(socket)

    assert (event["status"], event["step"]) == ("cancelled", "cancelled")


def test_a_design_of_another_workspace_closes_the_socket_with_4404(daphne, other_tenant, tenant):
    design = design_create(product=product_make().pk, prompt="Secret")
    beta_session = login(daphne, other_tenant)

    path = f"/ws/designs/{design.public_id}/"

    with daphne.websocket(path, host="beta.localhost", session=beta_session) as socket:
        assert close_code(socket) == 4404


def test_an_anonymous_socket_is_closed_with_4401(daphne, tenant):
    design = design_create(product=product_make().pk, prompt="Cat")

    path = f"/ws/designs/{design.public_id}/"

    with daphne.websocket(path, host="alpha.localhost") as socket:
        assert close_code(socket) == 4401


def test_an_api_key_with_designs_read_follows_a_design_on_the_api_host(daphne, tenant):
    design = design_create(product=product_make().pk, prompt="Cat")
    _key, raw = api_key_create(tenant=tenant, name="socket", scopes=["designs:read"])

    with key_socket(
        daphne, f"/ws/designs/{design.public_id}/", raw
    ) as socket:  # an API client sends no Origin
        first = receive(socket)
        design_cancel(design=design)
        event = receive(socket)

    assert (first["status"], event["status"]) == ("queued", "cancelled")


def test_the_socket_is_opened_by_the_public_id_and_its_messages_carry_it(daphne, tenant):
    design = design_create(product=product_make().pk, prompt="Cat")
    _key, raw = api_key_create(tenant=tenant, name="socket", scopes=["designs:read"])

    with key_socket(daphne, f"/ws/designs/{design.public_id}/", raw) as socket:
        first = receive(socket)
    with key_socket(daphne, f"/ws/designs/{design.pk}/", raw) as socket:
        refused = close_code(socket)
    with key_socket(
        daphne, "/ws/designs/dsg_no!such:id/", raw
    ) as socket:  # no design id, nor a Channels group name
        garbage = close_code(socket)

    assert (first["type"], first["id"]) == ("design.status", design.public_id)
    assert refused == garbage == 4404


def test_a_browser_socket_without_an_allowed_origin_is_refused_at_the_handshake(daphne, tenant):
    design = design_create(product=product_make().pk, prompt="Cat")
    cookie = {"Cookie": f"sessionid={login(daphne, tenant)}"}

    for origin in (None, "http://beta.localhost"):
        with pytest.raises(InvalidStatus) as refused:
            socket_to(
                daphne,
                f"/ws/designs/{design.public_id}/",
                host="alpha.localhost",
                origin=origin,
                headers=cookie,
            )
        assert refused.value.response.status_code == 403


def test_keys_without_the_scope_or_of_another_workspace_are_closed(daphne, other_tenant, tenant):
    design = design_create(product=product_make().pk, prompt="Cat")
    _key, no_scope = api_key_create(tenant=tenant, name="socket", scopes=["account:read"])
    _key, beta = api_key_create(tenant=other_tenant, name="socket", scopes=["designs:read"])

    with key_socket(daphne, f"/ws/designs/{design.public_id}/", no_scope) as socket:
        assert close_code(socket) == 4403
    with key_socket(daphne, f"/ws/designs/{design.public_id}/", beta, host="alpha.localhost") as socket:
        assert close_code(socket) == 4404  # the key's workspace wins over the host
    with pytest.raises(InvalidStatus):
        key_socket(daphne, f"/ws/designs/{design.public_id}/", "sk_test_" + "x" * 40)


def test_a_key_socket_is_closed_when_the_key_is_revoked(daphne, tenant):
    design = design_create(product=product_make().pk, prompt="Cat")
    key, raw = api_key_create(tenant=tenant, name="socket", scopes=["designs:read"])

    with key_socket(daphne, f"/ws/designs/{design.public_id}/", raw) as socket:
        receive(socket)
        api_key_revoke(api_key=key)
        design_cancel(design=design)  # its event would carry signed links to the print files
        messages, code = closed_with(socket)

    assert (messages, code) == ([], 4401)


def test_a_starter_workspace_key_is_refused_as_on_rest(daphne, tenant):
    design = design_create(product=product_make().pk, prompt="Cat")
    subscription_assign(tenant=tenant, plan=plan_get(Plan.Code.STARTER))
    _key, raw = api_key_create(tenant=tenant, name="socket", scopes=["designs:read"])

    with key_socket(daphne, f"/ws/designs/{design.public_id}/", raw) as socket:
        messages, code = closed_with(socket)

    assert (messages, code) == ([], 4402)  # REST answers 402 feature_not_in_plan


def test_a_key_socket_is_closed_when_the_plan_loses_api_access(daphne, tenant):
    design = design_create(product=product_make().pk, prompt="Cat")
    _key, raw = api_key_create(tenant=tenant, name="socket", scopes=["designs:read"])

    with key_socket(daphne, f"/ws/designs/{design.public_id}/", raw) as socket:
        receive(socket)
        subscription_assign(tenant=tenant, plan=plan_get(Plan.Code.STARTER))
        design_cancel(design=design)
        messages, code = closed_with(socket)

    assert (messages, code) == ([], 4402)


def test_a_key_socket_is_closed_when_an_operator_takes_the_api_out_of_its_plan(daphne, tenant):
    design = design_create(product=product_make().pk, prompt="Cat")
    _key, raw = api_key_create(tenant=tenant, name="socket", scopes=["designs:read"])
    plan = tenant.subscription.plan
    form = {
        name: "" if value is None else value
        for name, value in model_to_dict(plan, PlanForm.Meta.fields).items()
    }

    with key_socket(daphne, f"/ws/designs/{design.public_id}/", raw) as socket:
        receive(socket)
        form["features"] = [feature for feature in plan.features if feature != Feature.API]
        response = operator_client().post(admin_url(Plan, "change", plan.pk), form)
        assert response.status_code == 302, response.content.decode()[:2000]
        connection.set_tenant(tenant)  # the request to the public host left its schema active
        design_cancel(design=design)
        messages, code = closed_with(socket)

    assert (messages, code) == ([], 4402)
