"""The copilot's dashboard pages: the full page with its conversations (search, delete), asking
with and without htmx, the side panel on every page, confirming a proposed card, the retention
setting for admins; someone else's conversation and another workspace are 404."""

import pytest
from django.db import connection

from apps.copilot.engine import ask, conversation_start, member_asker
from apps.copilot.models import Conversation, CopilotSettings, PendingAction
from apps.designs.models import Design
from apps.designs.services import design_create
from apps.tenants.models import Role
from tests.support.clients import dashboard_client
from tests.support.factories.designs import pipeline_run
from tests.support.factories.products import product_make
from tests.support.workspaces import member

HTMX = {"HX-Request": "true"}


@pytest.fixture
def editor(tenant):
    return member(tenant, Role.EDITOR)


@pytest.fixture
def client(tenant, editor):
    return dashboard_client(tenant, editor)


def test_an_empty_copilot_page_says_what_to_ask(client):
    page = client.get("/copilot/")

    assert page.status_code == 200
    assert 'id="copilot-onboarding"' in page.text
    assert "How did we do last week?" in page.text
    assert 'id="copilot-panel"' not in page.text  # the page is the copilot: no panel beside it


def test_asking_opens_a_conversation_and_htmx_swaps_the_answer(client, history):
    asked = client.post("/copilot/ask/", {"text": "How did we do last week?", "page": "/"})

    conversation = Conversation.objects.get()
    assert asked.status_code == 302
    assert asked["Location"] == f"/copilot/{conversation.pk}/"
    page = client.get(asked["Location"])
    assert "80.00 EUR" in page.text
    assert 'href="/?period=7"' in page.text  # the source
    more = client.post(
        f"/copilot/{conversation.pk}/ask/", {"text": "Which orders are blocked?"}, headers=HTMX
    )
    assert more.text.lstrip().startswith('<div class="copilot-conversation"')
    assert "Orders by status" in more.text
    assert f'data-assistant-socket="/ws/copilot/{conversation.pk}/"' in more.text


def test_the_side_panel_is_on_every_page_and_answers_for_that_page(client, history):
    home = client.get("/orders/")
    panel = client.get("/copilot/panel/", {"panel": "1", "page": "/orders/"})
    asked = client.post(
        "/copilot/ask/", {"text": "What's wrong here?", "page": "/orders/", "panel": "1"}, headers=HTMX
    )

    assert 'id="copilot-panel"' in home.text
    assert 'hx-get="/copilot/panel/?panel=1&amp;page=/orders/"' in home.text
    assert 'value="/orders/"' in panel.text
    assert "Orders by status" in asked.text
    assert 'name="panel" value="1"' in asked.text


def test_a_card_is_confirmed_from_the_page(client, history, editor):
    client.post("/copilot/ask/", {"text": "Create a scenario: Spring launch"})
    action = PendingAction.objects.get()

    page = client.get(f"/copilot/{action.message.conversation_id}/")
    confirmed = client.post(f"/copilot/actions/{action.key}/confirm/", headers=HTMX)
    twice = client.post(f"/copilot/actions/{action.key}/confirm/", headers=HTMX)

    assert f"/copilot/actions/{action.key}/confirm/" in page.text
    assert "Scenario **Spring launch** created." not in page.text
    assert "Scenario <strong>Spring launch</strong> created." in confirmed.text
    assert "This action was already confirmed or cancelled." in twice.text
    action.refresh_from_db()
    assert (action.status, action.decided_by) == (PendingAction.Status.DONE, editor.pk)


def test_conversations_are_searched_and_deleted(client, editor, history):
    who = member_asker(editor, Role.EDITOR)
    riesling, other = conversation_start(who), conversation_start(who)
    ask(riesling, who, "Draft a campaign for our Champions about the Riesling")
    ask(other, who, "How did we do last week?")

    found = client.get("/copilot/", {"q": "riesling"})
    deleted = client.post(f"/copilot/{riesling.pk}/delete/")

    assert f"/copilot/{riesling.pk}/" in found.text
    assert f"/copilot/{other.pk}/" not in found.text
    assert deleted.status_code == 302
    assert list(Conversation.objects.all()) == [other]


def test_the_retention_is_set_by_admins_only(tenant, client):
    admin = dashboard_client(tenant, member(tenant, Role.ADMIN))

    assert client.get("/copilot/settings/").status_code == 403
    saved = admin.post("/copilot/settings/", {"retention_days": "90"})
    refused = admin.post("/copilot/settings/", {"retention_days": "0"})

    assert saved.status_code == 302
    assert CopilotSettings.objects.get().retention_days == 90
    assert refused.status_code == 200
    assert "greater than or equal to 1" in refused.text


def test_a_question_past_the_limit_is_a_429_the_page_can_show(client):
    for _n in range(20):
        client.post("/copilot/ask/", {"text": "hello"})

    limited = client.post("/copilot/ask/", {"text": "hello"}, headers=HTMX)

    assert limited.status_code == 429
    assert int(limited["Retry-After"]) >= 1
    assert "Too many questions" in limited.text


def test_someone_elses_conversation_or_card_is_a_404(tenant, client, history):
    owner = member(tenant, Role.OWNER, email="boss@alpha.test")
    theirs = conversation_start(member_asker(owner, Role.OWNER))
    ask(theirs, member_asker(owner, Role.OWNER), "Create a scenario: Secret plan")
    action = PendingAction.objects.get()

    answers = [
        client.get(f"/copilot/{theirs.pk}/").status_code,
        client.get(f"/copilot/{theirs.pk}/live/").status_code,
        client.post(f"/copilot/{theirs.pk}/ask/", {"text": "hi"}).status_code,
        client.post(f"/copilot/{theirs.pk}/delete/").status_code,
        client.post(f"/copilot/actions/{action.key}/confirm/").status_code,
    ]

    assert answers == [404] * 5
    assert "Secret plan" not in client.get("/copilot/").text
    action.refresh_from_db()
    assert action.status == PendingAction.Status.PROPOSED


def test_another_workspaces_conversation_is_a_404(other_tenant, tenant, editor, history):
    conversation = conversation_start(member_asker(editor, Role.EDITOR))
    intruder = dashboard_client(other_tenant, member(other_tenant, Role.OWNER, email="o@beta.test"))

    answers = [
        intruder.get(f"/copilot/{conversation.pk}/").status_code,
        intruder.post(f"/copilot/{conversation.pk}/ask/", {"text": "hi"}).status_code,
    ]

    connection.set_tenant(tenant)
    assert answers == [404, 404]
    assert not conversation.messages.exists()


def test_a_question_with_nothing_in_it_opens_no_conversation(client):
    plain = client.post("/copilot/ask/", {"text": "   \n  "})
    swapped = client.post("/copilot/ask/", {"text": "   ", "panel": "1"}, headers=HTMX)

    assert (plain.status_code, plain["Location"]) == (302, "/copilot/")
    assert "Type a question first." in swapped.text
    assert not Conversation.objects.exists()


def test_an_answer_about_failed_designs_shows_their_thumbnails(client):
    design = pipeline_run(design_create(product=product_make().pk, prompt="A fox in the snow"))
    Design.objects.filter(pk=design.pk).update(status=Design.Status.FAILED, error_message="Printer jam")

    client.post("/copilot/ask/", {"text": "Why are designs failing?"})
    page = client.get(f"/copilot/{Conversation.objects.get().pk}/")

    assert f'<a href="/designs/{design.public_id}/"><img src="/designs/assets/' in page.text
    assert f'alt="Design {design.public_id}"' in page.text
