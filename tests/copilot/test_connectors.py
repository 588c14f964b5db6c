"""The copilot's connectors page and Notion: connect (the call checked, credentials encrypted at
rest and never shown back), test, disconnect, admins only, one workspace's connectors invisible
to another; Notion pages made from our Markdown (body checked, no HTML, limits), Notion's errors
made clear; the `export_to_notion` action proposed and confirmed through the engine, for the
asker's own conversation only. Notion is a local fake at the HTTP level."""

import json

import pytest
from django.db import connection

from apps.copilot.connectors import notion
from apps.copilot.connectors.errors import (
    CredentialsRefused,
    NotConnected,
    ServiceRefused,
    ServiceUnavailable,
)
from apps.copilot.connectors.services import connector_connect
from apps.copilot.engine import action_confirm, ask, conversation_start, member_asker
from apps.copilot.models import Connector, PendingAction
from apps.planner import services
from apps.tenants.models import Role
from tests.support.clients import dashboard_client
from tests.support.fakes.notion import NOTION_TOKEN, PARENT_ID, PARENT_PAGE, notion_server
from tests.support.fakes.openai import stream_reply, tool_reply
from tests.support.workspaces import member

PAGE = "/copilot/connectors/"
CONNECT = "/copilot/connectors/notion/connect/"


@pytest.fixture
def fake_notion(settings):
    with notion_server(settings) as fake:
        yield fake


@pytest.fixture
def admin(tenant):
    return dashboard_client(tenant, member(tenant, Role.ADMIN))


def notion_connect(token=NOTION_TOKEN) -> Connector:
    return connector_connect(
        kind="notion",
        credentials={"token": token},
        options={"parent_page_id": f"https://www.notion.so/Home-{PARENT_PAGE}"},
    )


# --- the page ------------------------------------------------------------------------------------


def test_an_admin_connects_notion_and_the_token_is_encrypted_and_never_shown(tenant, admin, fake_notion):
    response = admin.post(CONNECT, {"notion-token": NOTION_TOKEN, "notion-parent_page_id": PARENT_PAGE})

    assert response.status_code == 302
    connector = Connector.objects.get(kind="notion")
    assert (connector.status, connector.settings) == ("connected", {"parent_page_id": PARENT_ID})
    [call] = fake_notion.requests
    assert (call["method"], call["path"]) == ("GET", "/v1/users/me")
    assert call["headers"]["Authorization"] == f"Bearer {NOTION_TOKEN}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT credentials FROM copilot_connector WHERE kind = 'notion'")
        [stored] = cursor.fetchone()
    assert NOTION_TOKEN not in stored
    assert NOTION_TOKEN[-12:] not in stored
    page = admin.get(PAGE).content.decode()
    assert NOTION_TOKEN not in page
    assert "••••••••" + NOTION_TOKEN[-4:] in page
    assert PARENT_ID in page


def test_a_refused_token_is_a_form_error_and_nothing_is_stored(tenant, admin, fake_notion):
    response = admin.post(CONNECT, {"notion-token": "ntn_" + "0" * 40, "notion-parent_page_id": PARENT_PAGE})

    assert response.status_code == 400
    assert "Notion refused the credentials" in response.content.decode()
    assert not Connector.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"notion-token": NOTION_TOKEN, "notion-parent_page_id": "my page"}, "32 letters and digits"),
        ({"notion-token": NOTION_TOKEN, "notion-parent_page_id": "x" * 5000}, "at most 300 characters"),
        ({"notion-token": "short", "notion-parent_page_id": PARENT_PAGE}, "starts with ntn_"),
        ({"notion-token": "", "notion-parent_page_id": PARENT_PAGE}, "This field is required"),
    ],
)
def test_bad_input_is_a_form_error_never_a_500(tenant, admin, fake_notion, data, message):
    response = admin.post(CONNECT, data, HTTP_HX_REQUEST="true")

    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'id="connector-notion"' in response.content.decode()  # htmx: the card alone
    assert not Connector.objects.exists()
    assert fake_notion.requests == []


def test_a_nul_character_is_refused_before_anything(tenant, admin, fake_notion):
    response = admin.post(CONNECT, {"notion-token": "ntn_\x00" * 6, "notion-parent_page_id": PARENT_PAGE})

    assert response.status_code == 400
    assert not Connector.objects.exists()


def test_testing_the_connection_records_what_notion_said(tenant, admin, fake_notion):
    notion_connect()
    fake_notion.token = "ntn_revoked_in_notion_since_then"

    failed = admin.post("/copilot/connectors/notion/test/")
    stored = Connector.objects.get()
    fake_notion.token = NOTION_TOKEN
    admin.post("/copilot/connectors/notion/test/")
    fixed = Connector.objects.get()

    assert failed.status_code == 302
    assert (stored.status, stored.last_error) == (
        "error",
        "Notion refused the credentials: connect it again with valid ones.",
    )
    assert stored.last_tested_at is not None
    assert (fixed.status, fixed.last_error) == ("connected", "")


def test_disconnecting_asks_first_then_deletes_the_credentials(tenant, admin, fake_notion):
    notion_connect()

    confirm = admin.get("/copilot/connectors/notion/disconnect/")
    still = Connector.objects.count()
    done = admin.post("/copilot/connectors/notion/disconnect/")

    assert confirm.status_code == 200
    assert "Disconnect Notion?" in confirm.content.decode()
    assert still == 1
    assert done.status_code == 302
    assert not Connector.objects.exists()
    with pytest.raises(NotConnected):
        notion.notion_page_create(PARENT_ID, "Title", ["text"])


def test_the_page_is_for_admins_only(tenant, fake_notion):
    editor = dashboard_client(tenant, member(tenant, Role.EDITOR))

    answers = [
        editor.get(PAGE).status_code,
        editor.post(
            CONNECT, {"notion-token": NOTION_TOKEN, "notion-parent_page_id": PARENT_PAGE}
        ).status_code,
        editor.post("/copilot/connectors/notion/disconnect/").status_code,
    ]

    assert answers == [403, 403, 403]
    assert not Connector.objects.exists()


def test_another_workspaces_connector_is_invisible(other_tenant, tenant, fake_notion):
    notion_connect()
    intruder = dashboard_client(other_tenant, member(other_tenant, Role.OWNER, email="o@beta.test"))

    page = intruder.get(PAGE)
    answers = [
        intruder.post("/copilot/connectors/notion/test/").status_code,
        intruder.post("/copilot/connectors/notion/disconnect/").status_code,
    ]

    connection.set_tenant(tenant)
    assert page.status_code == 200
    assert "Not connected" in page.content.decode()
    assert PARENT_ID not in page.content.decode()
    assert answers == [404, 404]
    assert Connector.objects.filter(kind="notion").count() == 1


# --- the Notion client ---------------------------------------------------------------------------


def test_a_page_is_made_from_our_markdown_as_plain_blocks(tenant, fake_notion):
    notion_connect()
    markdown = (
        "# Week\n\nRevenue was **80.00 EUR**, up.\nSee <b>this</b> [page](/orders/).\n\n- one\n- two \\*x\\*"
    )

    page = notion.notion_page_create(PARENT_ID, "Weekly <i>review</i>", [markdown])

    [call] = [r for r in fake_notion.requests if r["method"] == "POST"]
    body = call["body"]
    assert (call["path"], call["headers"]["Notion-Version"]) == ("/v1/pages", "2022-06-28")
    assert body["parent"] == {"type": "page_id", "page_id": PARENT_ID}
    assert body["properties"]["title"]["title"][0]["text"]["content"] == "Weekly review"
    kinds = [block["type"] for block in body["children"]]
    assert kinds == ["heading_1", "paragraph", "bulleted_list_item", "bulleted_list_item"]
    paragraph = body["children"][1]["paragraph"]["rich_text"]
    assert [(t["text"]["content"], t["annotations"]["bold"]) for t in paragraph] == [
        ("Revenue was ", False),
        ("80.00 EUR", True),
        (", up. See this page.", False),
    ]
    assert body["children"][3]["bulleted_list_item"]["rich_text"][0]["text"]["content"] == "two *x*"
    assert "<" not in call["raw"].decode()
    assert page["url"].startswith("https://www.notion.so/")


def test_long_content_is_split_into_100_blocks_a_request_and_2000_characters_a_text(tenant, fake_notion):
    notion_connect()
    sections = ["x" * 4500] + [f"- item {n}" for n in range(150)]

    notion.notion_page_create(PARENT_ID, "Long", sections)

    made, more = (r["body"] for r in fake_notion.requests if r["method"] in ("POST", "PATCH"))
    assert len(made["children"]) == 100
    assert len(more["children"]) == 51
    texts = made["children"][0]["paragraph"]["rich_text"]
    assert [len(t["text"]["content"]) for t in texts] == [2000, 2000, 500]


@pytest.mark.parametrize(
    ("failure", "error", "message"),
    [
        ((401, {}), CredentialsRefused, "Notion refused the credentials"),
        ((429, {"Retry-After": "7"}), ServiceUnavailable, "try again in 7 seconds"),
        ((503, {}), ServiceUnavailable, "Notion is not answering (error 503)"),
    ],
)
def test_notions_errors_become_clear_messages(tenant, fake_notion, failure, error, message):
    notion_connect()
    fake_notion.failures.append(failure)

    with pytest.raises(error) as raised:
        notion.notion_page_create(PARENT_ID, "Title", ["text"])

    assert message in raised.value.message


def test_a_parent_not_shared_with_the_integration_says_how_to_share_it(tenant, fake_notion):
    notion_connect()

    with pytest.raises(ServiceRefused) as raised:
        notion.notion_page_create("11111111-2222-3333-4444-555555555555", "Title", ["text"])

    assert "Notion cannot find the parent page" in raised.value.message
    assert "Connections" in raised.value.message


def test_a_timeout_is_a_clear_error(tenant, settings, fake_notion):
    notion_connect()
    fake_notion.delay, settings.CONNECTOR_TIMEOUT_SECONDS = 1.0, 0.2

    with pytest.raises(ServiceUnavailable) as raised:
        notion.notion_page_create(PARENT_ID, "Title", ["text"])

    assert raised.value.message == "Notion did not answer in time: try again later."


# --- the export_to_notion action -----------------------------------------------------------------


def propose(tenant, fake_openai, arguments, role=Role.EDITOR, who=None):
    who = who or member_asker(member(tenant, role), role)
    fake_openai.script(tool_reply("propose_export_to_notion", arguments), stream_reply("Confirm below."))
    conversation = conversation_start(who)
    answer = ask(conversation, who, "put this in Notion")
    return who, conversation, answer


def test_a_conversation_is_exported_once_confirmed(tenant, fake_notion, fake_openai):
    notion_connect()
    fake_notion.requests.clear()
    who = member_asker(member(tenant, Role.EDITOR), Role.EDITOR)
    conversation = conversation_start(who)
    fake_openai.script(
        tool_reply("propose_export_to_notion", {"what": "conversation", "id": conversation.pk}),
        stream_reply("Confirm below."),
    )
    answer = ask(conversation, who, "put this in Notion")

    [action] = answer.actions
    assert action.kind == "export_to_notion"
    assert f"Copilot conversation \\#{conversation.pk}" in action.card
    assert PARENT_ID in action.card
    assert fake_notion.requests == []

    done = action_confirm(action, who)

    assert done.status == PendingAction.Status.DONE, done.result
    assert "put this in Notion" in done.result
    assert done.result_url.startswith("https://www.notion.so/Page-")
    [call] = fake_notion.requests
    texts = json.dumps(call["body"]["children"])
    assert "put this in Notion" in texts
    assert "Confirm below." in texts
    assert call["body"]["properties"]["title"]["title"][0]["text"]["content"] == "put this in Notion"


def test_another_persons_conversation_is_never_exported(tenant, fake_notion, fake_openai):
    notion_connect()
    fake_notion.requests.clear()
    owner_asker = member_asker(member(tenant, Role.EDITOR, email="ada@alpha.test"), Role.EDITOR)
    private = conversation_start(owner_asker)
    who, _conversation, answer = propose(tenant, fake_openai, {"what": "conversation", "id": private.pk})

    done = action_confirm(answer.actions[0], who)

    assert done.status == PendingAction.Status.FAILED
    assert "You have no conversation with this number." in done.result
    assert fake_notion.requests == []


def test_a_plan_is_exported_through_the_planners_json(tenant, fake_notion, fake_openai):
    notion_connect()
    fake_notion.requests.clear()
    scenario = services.scenario_create(name="Spring launch", theme="Riesling", user_id=None)
    services.objective_add(scenario=scenario, label="Launch revenue", metric="revenue", target_value="2000")
    services.target_add(scenario=scenario, label="Champions", segment="champions")
    services.resource_add(scenario=scenario, kind="budget", label="Budget", amount=2000, unit="EUR")
    version = services.plan_generate(scenario=scenario, user_id=None, provider="offline")
    who, _conversation, answer = propose(tenant, fake_openai, {"what": "plan", "id": scenario.pk})

    done = action_confirm(answer.actions[0], who)

    assert "Marketing plan: Spring launch" in answer.actions[0].card
    assert done.status == PendingAction.Status.DONE, done.result
    body = fake_notion.requests[0]["body"]
    assert body["properties"]["title"]["title"][0]["text"]["content"] == "Marketing plan: Spring launch"
    children = json.dumps(body["children"], ensure_ascii=False)
    assert "Launch revenue" in children
    assert version.items.first().message in children


def test_without_notion_no_card_is_made_and_the_answer_says_why(tenant, fake_openai):
    _who, _conversation, answer = propose(tenant, fake_openai, {"what": "conversation", "id": 1})

    assert answer.actions == []
    assert "Notion is not connected" in answer.message.text
