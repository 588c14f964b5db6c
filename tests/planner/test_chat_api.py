"""The chat in the API (`/api/v1/planner/scenarios/{id}/chat`) and live over `/ws/planner/{id}/`:
a message or an action answered with the reply, the buttons and the state; scopes, bad input,
the rate limit, another workspace; the reply's text pushed to sockets as it is written."""

import pytest
from django.db import connection

from apps.planner import services
from apps.planner.chat import chat_say, member_speaker
from apps.planner.models import ChatMessage
from apps.tenants.models import Role
from apps.tenants.services import api_key_create
from tests.support.clients import api_client, error_code, post_json
from tests.support.fakes.openai import chat_reply, stream_reply
from tests.support.sockets import close_code, key_socket, receive, until_done
from tests.support.workspaces import member

BASE = "/api/v1/planner/scenarios"
READ_WRITE = ["planner:read", "planner:write"]


def chat(client, scenario, body):
    return post_json(client, f"{BASE}/{scenario.pk}/chat", body)


def test_a_typed_message_and_an_action_are_answered_with_the_buttons_and_the_state(tenant, scenario):
    client = api_client(tenant, READ_WRITE)

    typed = chat(client, scenario, {"text": "add an objective: 200 orders in March"})
    clicked = chat(
        client,
        scenario,
        {"action": "add_target", "payload": {"label": "Wine club", "segment": "loyal"}},
    )

    assert typed.status_code == 200, typed.content
    body = typed.json()
    assert body["reply"]["role"] == "assistant"
    assert body["reply"]["action"] == "add_objective"
    assert body["reply"]["text"].startswith("*Offline assistant*")
    assert "Objective added" in body["reply"]["text"]
    assert {"code": "generate_plan", "label": "Generate the plan", "form": ""} in body["actions"]
    assert [o["target_value"] for o in body["state"]["objectives"]] == ["2000.00", "200.00"]
    assert clicked.status_code == 200, clicked.content
    assert "Wine club" in [t["label"] for t in clicked.json()["state"]["targets"]]
    assert scenario.targets.get(label="Wine club").segment == "loyal"
    listed = client.get(f"{BASE}/{scenario.pk}/chat").json()["results"]
    assert [m["role"] for m in listed] == ["assistant", "user", "assistant", "user"]


def test_a_read_only_key_reads_and_asks_but_cannot_change(tenant, scenario):
    client = api_client(tenant, ["planner:read"])

    refused = chat(client, scenario, {"text": "add a target: Wine club"})
    suggested = chat(client, scenario, {"action": "suggest_targets"})

    assert (refused.status_code, error_code(refused)) == (403, "permission_denied")
    assert suggested.status_code == 200
    assert "worth targeting" in suggested.json()["reply"]["text"]
    assert [a["code"] for a in suggested.json()["actions"]] == ["suggest_targets", "search_inspiration"]
    assert not scenario.targets.filter(label="Wine club").exists()
    assert api_client(tenant, ["customers:read"]).get(f"{BASE}/{scenario.pk}/chat").status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        {"action": "launch_rockets"},
        {"text": "a\u0000b"},
        {"text": "x" * 2001},
        {"action": "add_target", "payload": "Champions"},
        {"text": 42},
    ],
)
def test_bad_input_is_a_400_and_nothing_is_recorded(tenant, scenario, body):
    response = chat(api_client(tenant, READ_WRITE), scenario, body)

    assert response.status_code == 400
    assert error_code(response) in {"validation_error", "malformed_request"}  # NUL: refused on reading
    assert not ChatMessage.objects.exists()


@pytest.mark.parametrize(
    "body", [{}, {"text": "hi", "action": "suggest_targets"}, {"text": "hi", "payload": {"label": "x"}}]
)
def test_a_message_and_an_action_together_or_neither_is_a_422(tenant, scenario, body):
    response = chat(api_client(tenant, READ_WRITE), scenario, body)

    assert (response.status_code, error_code(response)) == (422, "chat_request_invalid")
    assert not ChatMessage.objects.exists()


def test_a_payload_the_services_refuse_is_answered_in_the_reply(tenant, scenario):
    response = chat(
        api_client(tenant, READ_WRITE), scenario, {"action": "add_objective", "payload": {"label": ["x"]}}
    )

    assert response.status_code == 200
    assert "**Not done:**" in response.json()["reply"]["text"]
    assert "label: Expected text." in response.json()["reply"]["text"]


def test_the_31st_request_in_a_minute_is_a_429_with_retry_after(tenant, scenario, settings):
    settings.API_RATE_LIMIT_REQUESTS = 1000
    client = api_client(tenant, READ_WRITE)
    for _n in range(30):
        assert chat(client, scenario, {"action": "suggest_targets"}).status_code == 200

    limited = chat(client, scenario, {"text": "suggest targets"})

    assert (limited.status_code, error_code(limited)) == (429, "rate_limited")
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert chat(api_client(tenant, READ_WRITE), scenario, {"action": "suggest_targets"}).status_code == 200


def test_another_workspaces_scenario_is_a_404(other_tenant, tenant, scenario):
    intruder = api_client(other_tenant, READ_WRITE)

    said = chat(intruder, scenario, {"text": "add a target: Everyone"})
    listed = intruder.get(f"{BASE}/{scenario.pk}/chat")

    connection.set_tenant(tenant)
    assert (said.status_code, listed.status_code) == (404, 404)
    assert not scenario.targets.filter(label="Everyone").exists()
    assert not ChatMessage.objects.exists()


# --- live over a socket --------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_streamed_answer_reaches_the_socket_piece_by_piece(daphne, tenant, fake_openai):
    scenario = services.scenario_create(name="Launch", user_id=None)
    editor = member_speaker(member(tenant, Role.EDITOR))
    fake_openai.script(chat_reply("none"), stream_reply("Start ", "with ", "your Champions."))
    _key, raw = api_key_create(tenant=tenant, name="socket", scopes=["planner:read"])

    with key_socket(daphne, f"/ws/planner/{scenario.pk}/", raw) as socket:
        ready = receive(socket)
        done = chat_say(scenario, editor, "Where do I start?")
        events = until_done(socket)

    assert ready == {"event": "chat.ready", "payload": {"scenario": scenario.pk}}
    tokens = "".join(e["payload"]["text"] for e in events if e["event"] == "reply.token")
    assert tokens == "Start with your Champions."
    assert len({e["payload"]["reply"] for e in events}) == 1
    assert events[-1]["payload"] == {
        "reply": events[0]["payload"]["reply"],
        "message": done.reply.pk,
        "text": done.reply.text,
    }


@pytest.mark.django_db(transaction=True)
def test_sockets_without_the_scope_or_of_another_workspace_are_closed(daphne, other_tenant, tenant):
    scenario = services.scenario_create(name="Launch", user_id=None)
    _key, no_scope = api_key_create(tenant=tenant, name="socket", scopes=["customers:read"])
    _key, beta = api_key_create(tenant=other_tenant, name="socket", scopes=["planner:read"])

    with key_socket(daphne, f"/ws/planner/{scenario.pk}/", no_scope) as socket:
        assert close_code(socket) == 4403
    with key_socket(daphne, f"/ws/planner/{scenario.pk}/", beta) as socket:
        assert close_code(socket) == 4404
    with key_socket(daphne, f"/ws/planner/{10**20}/", beta) as socket:
        assert close_code(socket) == 4404
