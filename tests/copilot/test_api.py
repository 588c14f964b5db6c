"""The copilot in the API: a key's conversations, questions answered with sources and proposed
actions, confirmation; scopes, bad input, the rate limit, another key and another workspace; the
answer pushed to `/ws/copilot/{id}/`; the schema."""

import pytest
from django.db import connection

from apps.campaigns.models import Campaign
from apps.copilot.engine import ask, conversation_start, member_asker
from apps.copilot.models import Conversation, PendingAction
from apps.tenants.models import Role
from apps.tenants.services import api_key_create
from tests.support.clients import api_client, bearer, error_code, new_key, post_json
from tests.support.fakes.openai import stream_reply, tool_reply
from tests.support.sockets import close_code, key_socket, receive, until_done
from tests.support.workspaces import member

BASE = "/api/v1/copilot"
BOTH = ["copilot:read", "copilot:write"]


def test_a_question_starts_a_conversation_answered_with_sources(tenant, history):
    client = api_client(tenant, BOTH)

    started = post_json(client, f"{BASE}/conversations", {"text": "How did we do last week?"})

    assert started.status_code == 201, started.content
    body = started.json()
    assert body["conversation"]["title"] == "How did we do last week?"
    assert body["question"]["role"] == "user"
    answer = body["answer"]
    assert (answer["role"], answer["provider"]) == ("assistant", "offline")
    assert "80.00 EUR" in answer["text"]
    assert answer["tools"] == [
        {"name": "kpis", "arguments": {"period": "7d", "start": None, "end": None}, "designs": []}
    ]
    assert answer["sources"][0]["url"] == "/?period=7"
    path = f"{BASE}/conversations/{body['conversation']['id']}"
    more = post_json(client, f"{path}/messages", {"text": "Which orders are blocked?", "page": "/orders/"})
    assert more.status_code == 200, more.content
    assert more.json()["answer"]["tools"][0]["name"] == "orders_by_status"
    detail = client.get(path).json()
    assert [m["role"] for m in detail["messages"]] == ["user", "assistant", "user", "assistant"]
    assert [c["id"] for c in client.get(f"{BASE}/conversations").json()["results"]] == [detail["id"]]


def test_a_proposed_action_runs_once_when_the_key_confirms_it(tenant, history):
    client = api_client(tenant, BOTH)
    body = post_json(
        client, f"{BASE}/conversations", {"text": "Draft a campaign for our Champions about the new Riesling"}
    ).json()
    [action] = body["answer"]["actions"]
    assert (action["kind"], action["status"]) == ("create_campaign_draft", "proposed")

    confirmed = post_json(client, f"{BASE}/actions/{action['key']}/confirm")
    again = post_json(client, f"{BASE}/actions/{action['key']}/cancel")

    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == "done"
    assert confirmed.json()["result_url"].startswith("/campaigns/")
    assert (again.status_code, error_code(again)) == (409, "action_decided")
    assert Campaign.objects.filter(name__startswith="Champions").count() == 1


def test_a_read_only_key_reads_but_cannot_ask_or_confirm(tenant, history):
    reader = api_client(tenant, ["copilot:read"])

    asked = post_json(reader, f"{BASE}/conversations", {"text": "hello"})

    assert (asked.status_code, error_code(asked)) == (403, "insufficient_scope")
    assert reader.get(f"{BASE}/conversations").status_code == 200
    assert api_client(tenant, ["orders:read"]).get(f"{BASE}/conversations").status_code == 403


@pytest.mark.parametrize(
    "body",
    [{}, {"text": ""}, {"text": "a\u0000b"}, {"text": "x" * 2001}, {"text": 4}, {"text": "hi", "extra": 1}],
)
def test_bad_input_is_a_400_and_nothing_is_written(tenant, body):
    response = post_json(api_client(tenant, BOTH), f"{BASE}/conversations", body)

    assert response.status_code == 400
    assert error_code(response) in {"validation_error", "malformed_request"}
    assert not Conversation.objects.exists()


def test_the_21st_question_in_a_minute_is_a_429(tenant, settings):
    settings.API_RATE_LIMIT_REQUESTS = 1000
    client = api_client(tenant, BOTH)
    started = post_json(client, f"{BASE}/conversations", {"text": "hi"}).json()
    path = f"{BASE}/conversations/{started['conversation']['id']}"
    for _n in range(19):
        assert post_json(client, f"{path}/messages", {"text": "hi"}).status_code == 200

    limited = post_json(client, f"{path}/messages", {"text": "hi"})

    assert (limited.status_code, error_code(limited)) == (429, "rate_limited")
    assert 1 <= int(limited["Retry-After"]) <= 60


def test_another_keys_or_workspaces_conversations_and_actions_are_404(other_tenant, tenant, history):
    key, raw = new_key(tenant, BOTH)
    mine = bearer(raw)
    body = post_json(mine, f"{BASE}/conversations", {"text": "Create a scenario: Spring launch"}).json()
    path = f"{BASE}/conversations/{body['conversation']['id']}"
    action = f"{BASE}/actions/{body['answer']['actions'][0]['key']}"
    someone = member(tenant, Role.OWNER, email="someone@alpha.test")
    theirs = conversation_start(member_asker(someone, Role.OWNER))
    ask(theirs, member_asker(someone, Role.OWNER), "hello")

    answers = []
    for intruder in (api_client(tenant, BOTH), api_client(other_tenant, BOTH)):
        answers += [
            intruder.get(path).status_code,
            post_json(intruder, f"{path}/messages", {"text": "hi"}).status_code,
            intruder.delete(path).status_code,
            post_json(intruder, f"{action}/confirm").status_code,
            intruder.get(f"{BASE}/conversations/{theirs.pk}").status_code,
        ]
        listed = intruder.get(f"{BASE}/conversations").json()["results"]
        assert listed == []

    connection.set_tenant(tenant)
    assert set(answers) == {404}
    assert PendingAction.objects.get().status == PendingAction.Status.PROPOSED
    assert Conversation.objects.count() == 2
    assert mine.delete(path).status_code == 204
    assert Conversation.objects.count() == 1


def test_the_schema_documents_the_copilot_with_its_scopes(tenant):
    schema = api_client(tenant, BOTH).get("/api/schema/?format=json").json()

    paths = {path for path in schema["paths"] if path.startswith(BASE)}
    assert paths == {
        f"{BASE}/conversations",
        f"{BASE}/conversations/{{id}}",
        f"{BASE}/conversations/{{id}}/messages",
        f"{BASE}/actions/{{key}}/confirm",
        f"{BASE}/actions/{{key}}/cancel",
    }
    assert "`copilot:write`" in schema["paths"][f"{BASE}/conversations"]["post"]["description"]
    assert "409" in schema["paths"][f"{BASE}/actions/{{key}}/confirm"]["post"]["responses"]


# --- live ----------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_answer_streams_to_the_conversations_socket_and_only_its_owners(daphne, tenant, fake_openai):
    key, raw = api_key_create(tenant=tenant, name="copilot", scopes=BOTH)
    _other, other_raw = api_key_create(tenant=tenant, name="other", scopes=BOTH)
    conversation = Conversation.objects.create(title="Live", api_key_id=key.pk)
    fake_openai.script(tool_reply("orders_by_status", {}), stream_reply("Nothing ", "is ", "blocked."))

    with key_socket(daphne, f"/ws/copilot/{conversation.pk}/", raw) as socket:
        ready = receive(socket)
        post_json(
            bearer(raw), f"{BASE}/conversations/{conversation.pk}/messages", {"text": "blocked orders?"}
        )
        events = until_done(socket)
    with key_socket(daphne, f"/ws/copilot/{conversation.pk}/", other_raw) as socket:
        refused = close_code(socket)

    assert ready == {"event": "chat.ready", "payload": {"conversation": conversation.pk}}
    pieces = [e["payload"]["text"] for e in events if e["event"] == "reply.token"]
    assert "".join(pieces) == "Nothing is blocked."
    assert events[-1]["payload"]["text"] == "*AI copilot (OpenAI)*\n\nNothing is blocked."
    assert refused == 4404
