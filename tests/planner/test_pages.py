"""The planner's dashboard pages: the list with its onboarding, a new scenario by form or by a
sentence, the scenario page (sidebar, chat, buttons, plan, versions, exports, drafts) with plain
forms and with htmx, roles, the rate limit, the settings, and other workspaces kept out."""

import re

import pytest
from django.db import connection

from apps.core.api.ratelimit import rate_limit_hit
from apps.planner import services
from apps.planner.chat import CHAT_PER_MINUTE
from apps.planner.models import ChatMessage, PlannerSettings, PlanVersion, Scenario
from apps.tenants.models import Role
from tests.support.clients import dashboard_client
from tests.support.workspaces import member

HTMX = {"HX-Request": "true"}


@pytest.fixture
def editor_client(tenant):
    return dashboard_client(tenant, member(tenant, Role.EDITOR))


def test_the_empty_list_explains_what_a_scenario_is(editor_client):
    page = editor_client.get("/plans/")

    assert page.status_code == 200
    assert 'id="planner-onboarding"' in page.text
    assert "A scenario is what you want to achieve" in page.text
    assert 'href="/plans/new/"' in page.text
    assert "<span>Marketing plans</span>" in page.text


def test_the_list_searches_filters_and_pages(tenant, editor_client):
    for n in range(27):
        services.scenario_create(name=f"Spring {n:02d}", theme="gifts", user_id=None)
    archived = services.scenario_create(name="Old winter", user_id=None)
    services.scenario_archive(scenario=archived)

    first = editor_client.get("/plans/")
    assert first.text.count('href="/plans/') >= 25
    assert "Page 1 of 2" in first.text
    assert "Old winter" not in first.text
    assert "Spring 01" not in first.text  # newest first
    assert "Spring 01" in editor_client.get("/plans/", {"page": 2}).text
    assert "Old winter" in editor_client.get("/plans/", {"status": "archived"}).text
    found = editor_client.get("/plans/", {"q": "spring 1"})
    assert "Spring 12" in found.text
    assert "Spring 21" not in found.text


def test_a_scenario_is_made_by_form_or_by_a_sentence(tenant, editor_client):
    made = editor_client.post("/plans/new/", {"name": "Cuvée launch", "theme": "Riesling"})
    scenario = Scenario.objects.get()
    assert made["Location"] == f"/plans/{scenario.pk}/"

    started = editor_client.post("/plans/start/", {"text": "create a scenario: Christmas gifts"})
    christmas = Scenario.objects.get(name="Christmas gifts")
    assert started["Location"] == f"/plans/{christmas.pk}/#chat"
    page = editor_client.get(f"/plans/{christmas.pk}/")
    assert "Scenario <strong>Christmas gifts</strong> created." in page.text
    assert 'value="add_objective"' in page.text


def test_the_scenario_page_runs_buttons_and_shows_the_plan(scenario, editor_client):
    url = f"/plans/{scenario.pk}/"
    page = editor_client.get(url)
    assert 'id="scenario-state"' in page.text
    assert "3 customers now" in page.text
    assert 'value="generate_plan"' in page.text

    done = editor_client.post(f"{url}act/", {"action": "generate_plan"})
    assert done["Location"] == f"{url}#chat"
    page = editor_client.get(url)
    assert 'id="plan-items"' in page.text
    assert "Plan version 1 is ready" in page.text
    assert 'value="campaign_drafts"' in page.text

    editor_client.post(f"{url}act/", {"action": "campaign_drafts"})
    page = editor_client.get(url)
    assert "/campaigns/" in page.text
    assert "campaign drafts, to review before sending" in page.text


def test_an_add_button_sends_its_form_and_htmx_swaps_the_sidebar_and_chat(scenario, editor_client):
    url = f"/plans/{scenario.pk}/act/"
    fields = {
        "action": "add_target",
        "target-label": "Who bought Riesling",
        "target-segment": "",
        "target-audience": "",
    }

    swapped = editor_client.post(url, fields, headers=HTMX)

    assert swapped.status_code == 200
    assert swapped.text.lstrip().startswith('<div id="planner-live"')
    assert "Who bought Riesling" in swapped.text
    assert "size unknown" in swapped.text
    assert "Target added: <strong>Who bought Riesling</strong>" in swapped.text
    assert "<html" not in swapped.text

    refused = editor_client.post(url, {**fields, "target-label": ""}, headers=HTMX)
    assert "<strong>Not done:</strong>" in refused.text
    assert scenario.targets.count() == 3


def test_a_typed_message_runs_its_intent(scenario, editor_client):
    url = f"/plans/{scenario.pk}/"

    editor_client.post(f"{url}say/", {"text": "ajoute un objectif : 200 commandes en mars"})
    swapped = editor_client.post(f"{url}say/", {"text": "生成计划"}, headers=HTMX)

    assert scenario.objectives.filter(metric="orders", target_value=200).exists()
    assert "Plan version 1 is ready" in swapped.text
    assert PlanVersion.objects.count() == 1


def test_versions_are_compared_and_restored(scenario, editor_client):
    first = services.plan_generate(scenario=scenario, user_id=None)
    services.resource_add(scenario=scenario, kind="people", label="Two more", amount=2)
    services.plan_generate(scenario=scenario, user_id=None)
    url = f"/plans/{scenario.pk}/"

    compared = editor_client.get(f"{url}versions/compare/", {"a": 1, "b": 2})
    assert compared.status_code == 200
    assert "Version 1" in compared.text
    assert "Version 2" in compared.text
    assert "Webinar" in compared.text

    editor_client.post(f"{url}versions/1/restore/")
    scenario.refresh_from_db()
    assert scenario.current_version == first
    assert "Plan version 1 is current again." in editor_client.get(url).text


def test_the_plan_is_exported_as_json_and_csv(scenario, editor_client):
    url = f"/plans/{scenario.pk}/"
    assert editor_client.get(f"{url}export.csv").status_code == 302  # no plan yet: back to the page
    services.plan_generate(scenario=scenario, user_id=None)

    exported = editor_client.get(f"{url}export.csv")
    data = editor_client.get(f"{url}export.json").json()

    assert exported["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in exported["Content-Disposition"]
    lines = exported.content.decode().splitlines()
    assert lines[0].startswith("# Cuvée launch — generated ")
    assert lines[1] == "Format,Message,Channel,Frequency,KPI"
    assert data["scenario"]["name"] == "Cuvée launch"
    assert data["plan"]["number"] == 1


def test_viewers_read_but_cannot_write(scenario, tenant):
    viewer = dashboard_client(tenant, member(tenant, Role.VIEWER))
    url = f"/plans/{scenario.pk}/"

    page = viewer.get(url)
    assert page.status_code == 200
    assert 'value="add_target"' not in page.text
    assert 'value="suggest_targets"' in page.text
    assert viewer.post(f"{url}act/", {"action": "generate_plan"}).status_code == 403
    assert viewer.post(f"{url}say/", {"text": "add a target: Everyone"}).status_code == 403
    assert viewer.post("/plans/new/", {"name": "Mine"}).status_code == 403
    assert viewer.post("/plans/start/", {"text": "Mine"}).status_code == 403
    assert viewer.post(f"{url}versions/1/restore/").status_code == 403
    assert viewer.post(f"{url}act/", {"action": "suggest_targets"}).status_code == 302
    assert not PlanVersion.objects.exists()
    assert scenario.targets.count() == 2
    assert Scenario.objects.count() == 1


def test_the_31st_chat_request_in_a_minute_gets_429_with_retry_after(scenario, editor_client):
    url = f"/plans/{scenario.pk}/"
    for n in range(30):
        response = editor_client.post(
            f"{url}act/" if n % 2 else f"{url}say/", {"action": "suggest_targets", "text": "hi"}
        )
        assert response.status_code == 302

    limited = editor_client.post(f"{url}say/", {"text": "suggest targets"})

    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert "Too many chat requests: wait" in limited.text
    assert ChatMessage.objects.count() == 60
    assert editor_client.get(url).status_code == 200  # reading the page is not limited


def test_admins_set_how_long_chat_messages_are_kept(tenant, editor_client):
    admin = dashboard_client(tenant, member(tenant, Role.ADMIN))

    assert editor_client.get("/plans/settings/").status_code == 403
    assert admin.post("/plans/settings/", {"chat_ttl_days": 0}).status_code == 200
    saved = admin.post("/plans/settings/", {"chat_ttl_days": 30})

    assert saved.status_code == 302
    assert PlannerSettings.objects.get().chat_ttl_days == 30


def test_markdown_in_the_chat_never_brings_a_script_or_a_javascript_link(scenario, editor_client):
    url = f"/plans/{scenario.pk}/"
    editor_client.post(
        f"{url}say/", {"text": "add a target: <script>alert(1)</script> [x](javascript:alert(1))"}
    )
    editor_client.post(f"{url}say/", {"text": "<img src=x onerror=alert(1)>"})
    ChatMessage.objects.create(
        scenario=scenario, role="assistant", text="[y](javascript:alert(2)) <script>b</script>"
    )

    page = editor_client.get(url).text

    assert "<script>alert" not in page
    assert "<script>b" not in page
    assert not re.search(r"=\s*[\"']?\s*javascript:", page, re.IGNORECASE)  # in no href or attribute
    assert "[y](javascript:alert(2))" in page  # shown as text
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_another_workspace_cannot_read_or_post_to_a_scenario(other_tenant, tenant, scenario):
    intruder = dashboard_client(other_tenant, member(other_tenant, Role.OWNER))
    url = f"/plans/{scenario.pk}/"

    responses = [
        intruder.get(url),
        intruder.post(f"{url}act/", {"action": "generate_plan"}),
        intruder.post(f"{url}say/", {"text": "generate the plan"}),
        intruder.get(f"{url}export.json"),
        intruder.get(f"{url}export.csv"),
        intruder.get(f"{url}versions/compare/"),
        intruder.post(f"{url}versions/1/restore/"),
    ]
    listed = intruder.get("/plans/")

    connection.set_tenant(tenant)
    assert [response.status_code for response in responses] == [404] * 7
    assert "Cuvée launch" not in listed.text
    assert not PlanVersion.objects.exists()
    assert not ChatMessage.objects.exists()


# --- editing and archiving a scenario ------------------------------------------------------------


def test_an_editor_edits_a_scenario_from_its_page(scenario, editor_client):
    url = f"/plans/{scenario.pk}/"
    assert f'href="{url}edit/"' in editor_client.get(url).text

    form = editor_client.get(f"{url}edit/")
    assert form.status_code == 200
    assert 'value="Cuvée launch"' in form.text
    assert 'value="2026-03-01"' in form.text

    saved = editor_client.post(
        f"{url}edit/",
        {"name": "Cuvée launch, spring", "theme": "Riesling", "period_start": "2026-04-01", "period_end": ""},
    )

    assert saved["Location"] == url
    scenario.refresh_from_db()
    assert (scenario.name, scenario.theme, str(scenario.period_start), scenario.period_end) == (
        "Cuvée launch, spring",
        "Riesling",
        "2026-04-01",
        None,
    )
    assert "The scenario is saved." in editor_client.get(url).text


def test_the_services_problems_show_under_their_fields(scenario, editor_client):
    refused = editor_client.post(
        f"/plans/{scenario.pk}/edit/",
        {"name": "Two\nlines", "theme": "", "period_start": "2026-03-31", "period_end": "2026-03-01"},
    )

    assert refused.status_code == 200
    errors = re.findall(r'<div class="field has-error">.*?<label for="id_(\w+)"', refused.text, re.DOTALL)
    assert errors == ["name", "period_end"]
    assert "The end comes before the start." in refused.text
    scenario.refresh_from_db()
    assert scenario.name == "Cuvée launch"


def test_an_archived_scenario_cannot_be_edited(scenario, editor_client):
    services.scenario_archive(scenario=scenario)
    url = f"/plans/{scenario.pk}/"

    page = editor_client.get(url)
    shown = editor_client.get(f"{url}edit/")
    refused = editor_client.post(f"{url}edit/", {"name": "Renamed", "theme": ""})

    assert f'href="{url}edit/"' not in page.text
    assert "This scenario is archived: it can be read and exported" in page.text
    assert "This scenario is archived: it can no longer be changed." in shown.text
    assert '<form method="post" class="form">' not in shown.text
    assert refused.status_code == 409
    assert "This scenario is archived: it can no longer be changed." in refused.text
    scenario.refresh_from_db()
    assert scenario.name == "Cuvée launch"


def test_a_scenario_is_archived_after_a_confirmation(scenario, editor_client):
    url = f"/plans/{scenario.pk}/"
    assert f'href="{url}archive/"' in editor_client.get(url).text

    confirm = editor_client.get(f"{url}archive/")
    assert confirm.status_code == 200
    assert "Archive “Cuvée launch”?" in confirm.text
    assert "Archive the scenario" in confirm.text
    scenario.refresh_from_db()
    assert scenario.status == Scenario.Status.DRAFT  # asking is not archiving

    archived = editor_client.post(f"{url}archive/")

    assert archived["Location"] == url
    scenario.refresh_from_db()
    assert scenario.status == Scenario.Status.ARCHIVED
    page = editor_client.get(url).text
    assert "The scenario is archived: it can still be read and exported." in page
    assert '<span class="badge" id="scenario-status">Archived</span>' in page
    assert 'value="add_target"' not in page
    assert 'value="suggest_targets"' in page
    assert "/remove/" not in page
    assert f'href="{url}archive/"' not in page
    assert "Cuvée launch" not in editor_client.get("/plans/").text
    assert "Cuvée launch" in editor_client.get("/plans/", {"status": "archived"}).text


def test_viewers_neither_edit_nor_archive(scenario, tenant):
    viewer = dashboard_client(tenant, member(tenant, Role.VIEWER))
    url = f"/plans/{scenario.pk}/"

    page = viewer.get(url).text

    assert f"{url}edit/" not in page
    assert f"{url}archive/" not in page
    assert "/remove/" not in page
    assert viewer.get(f"{url}edit/").status_code == 403
    assert viewer.post(f"{url}edit/", {"name": "Mine"}).status_code == 403
    assert viewer.get(f"{url}archive/").status_code == 403
    assert viewer.post(f"{url}archive/").status_code == 403
    scenario.refresh_from_db()
    assert (scenario.name, scenario.status) == ("Cuvée launch", Scenario.Status.DRAFT)


# --- the sidebar: parts removed, suggested segments added ----------------------------------------


def test_a_part_is_removed_from_the_sidebar_with_or_without_htmx(scenario, editor_client):
    url = f"/plans/{scenario.pk}/"
    budget = scenario.resources.get(label="Budget")
    champions = scenario.targets.get(label="Champions")
    objective = scenario.objectives.get()
    page = editor_client.get(url).text
    assert f'action="{url}resources/{budget.pk}/remove/"' in page
    assert 'aria-label="Remove resource “Budget”"' in page
    assert 'aria-label="Remove target “Champions”"' in page
    assert 'aria-label="Remove objective “Launch revenue”"' in page

    removed = editor_client.post(f"{url}resources/{budget.pk}/remove/")
    assert removed["Location"] == f"{url}#scenario-state"
    assert "Resource “Budget” removed." in editor_client.get(url).text

    swapped = editor_client.post(f"{url}targets/{champions.pk}/remove/", headers=HTMX)
    assert swapped.status_code == 200
    assert swapped.text.lstrip().startswith('<div id="planner-live"')
    assert "<html" not in swapped.text
    assert 'id="messages"' in swapped.text
    assert 'hx-swap-oob="true"' in swapped.text
    assert "Target “Champions” removed." in swapped.text
    assert 'aria-label="Remove target “Champions”"' not in swapped.text

    editor_client.post(f"{url}objectives/{objective.pk}/remove/", headers=HTMX)
    assert list(scenario.resources.values_list("label", flat=True)) == ["One designer", "Instagram"]
    assert list(scenario.targets.values_list("label", flat=True)) == ["Lapsed buyers"]
    assert not scenario.objectives.exists()


def test_a_part_is_not_removed_by_a_viewer_nor_from_an_archived_scenario(scenario, tenant, editor_client):
    viewer = dashboard_client(tenant, member(tenant, Role.VIEWER))
    url = f"/plans/{scenario.pk}/"
    budget = scenario.resources.get(label="Budget")

    assert viewer.post(f"{url}resources/{budget.pk}/remove/").status_code == 403
    assert viewer.post(f"{url}resources/{budget.pk}/remove/", headers=HTMX).status_code == 403
    services.scenario_archive(scenario=scenario)
    plain = editor_client.post(f"{url}resources/{budget.pk}/remove/")
    page = editor_client.get(url)
    swapped = editor_client.post(f"{url}resources/{budget.pk}/remove/", headers=HTMX)

    assert plain["Location"] == f"{url}#scenario-state"
    assert "This scenario is archived: it can no longer be changed." in page.text
    assert '<p class="error" role="alert" id="state-error">' in swapped.text
    assert "This scenario is archived: it can no longer be changed." in swapped.text
    assert scenario.resources.filter(pk=budget.pk).exists()


def test_a_part_is_removed_only_from_its_own_scenario(scenario, editor_client):
    other = services.scenario_create(name="Another", user_id=None)
    budget = scenario.resources.get(label="Budget")

    assert editor_client.post(f"/plans/{other.pk}/resources/{budget.pk}/remove/").status_code == 404
    assert editor_client.post(f"/plans/{scenario.pk}/campaigns/{budget.pk}/remove/").status_code == 404
    assert editor_client.post(f"/plans/{scenario.pk}/targets/{budget.pk}/remove/").status_code == 404
    assert scenario.resources.filter(pk=budget.pk).exists()


def test_a_suggested_segment_becomes_a_target_in_one_click_recorded_in_the_chat(scenario, editor_client):
    url = f"/plans/{scenario.pk}/"
    scenario.targets.get(segment="at_risk").delete()

    page = editor_client.get(url).text
    suggestions = page[page.index('id="state-suggestions"') :]
    suggestions = suggestions[: suggestions.index("</ul>")]
    assert 'aria-label="Add as target: At risk"' in suggestions
    assert "Champions" not in suggestions  # already a target

    swapped = editor_client.post(
        f"{url}act/",
        {"action": "add_target", "target-label": "At risk", "target-segment": "at_risk"},
        headers=HTMX,
    )

    target = scenario.targets.get(label="At risk")
    assert target.segment == "at_risk"
    assert "Target added: <strong>At risk</strong> (2 customers now)." in swapped.text
    assert 'id="state-suggestions"' not in swapped.text  # nothing left to suggest
    said = list(ChatMessage.objects.filter(action="add_target").values_list("role", flat=True))
    assert said == ["user", "assistant"]


def test_suggested_segments_are_offered_to_editors_of_an_active_scenario_only(
    scenario, tenant, editor_client
):
    scenario.targets.get(segment="at_risk").delete()
    viewer = dashboard_client(tenant, member(tenant, Role.VIEWER))
    url = f"/plans/{scenario.pk}/"

    assert 'id="state-suggestions"' in editor_client.get(url).text
    assert 'id="state-suggestions"' not in viewer.get(url).text
    services.scenario_archive(scenario=scenario)
    assert 'id="state-suggestions"' not in editor_client.get(url).text


# --- what htmx shows when a request is refused ----------------------------------------------------


def test_dashboard_pages_have_an_alert_region_for_htmx_errors(editor_client):
    page = editor_client.get("/plans/").text

    assert '<div id="htmx-error" class="htmx-error" role="alert"' in page
    assert 'data-failed="The request failed (error {status}). Reload the page and try again."' in page
    assert '<script src="/static/js/htmx-errors.js" defer></script>' in page


def test_htmx_403_and_429_answers_carry_a_readable_message(scenario, tenant):
    viewer = dashboard_client(tenant, member(tenant, Role.VIEWER))
    editor = member(tenant, Role.EDITOR)
    editor_client = dashboard_client(tenant, editor)
    url = f"/plans/{scenario.pk}/"

    refused = viewer.post(f"{url}act/", {"action": "generate_plan"}, headers=HTMX)
    for _n in range(CHAT_PER_MINUTE):  # the editor's minute used up just before they click
        rate_limit_hit(bucket=("planner-chat", f"user:{editor.pk}"), limit=CHAT_PER_MINUTE, window=60)
    limited = editor_client.post(f"{url}act/", {"action": "suggest_targets"}, headers=HTMX)

    assert refused.status_code == 403
    box = re.search(r'<section class="empty-state">(.*?)</section>', refused.text, re.DOTALL).group(1)
    assert "You cannot open this page" in box
    assert "It needs the Editor role or higher in this workspace." in box
    assert limited.status_code == 429
    box = re.search(r"<section [^>]*data-htmx-error>(.*?)</section>", limited.text, re.DOTALL).group(1)
    assert "Too many chat requests: wait" in box


# --- other workspaces ------------------------------------------------------------------------------


def test_another_workspace_cannot_edit_archive_or_remove(other_tenant, tenant, scenario):
    intruder = dashboard_client(other_tenant, member(other_tenant, Role.OWNER))
    url = f"/plans/{scenario.pk}/"
    budget = scenario.resources.get(label="Budget")

    responses = [
        intruder.get(f"{url}edit/"),
        intruder.post(f"{url}edit/", {"name": "Taken", "theme": ""}),
        intruder.get(f"{url}archive/"),
        intruder.post(f"{url}archive/"),
        intruder.post(f"{url}resources/{budget.pk}/remove/"),
        intruder.post(f"{url}resources/{budget.pk}/remove/", headers=HTMX),
        intruder.post(f"{url}act/", {"action": "add_target", "target-label": "X", "target-segment": "new"}),
    ]

    connection.set_tenant(tenant)
    assert [response.status_code for response in responses] == [404] * 7
    scenario.refresh_from_db()
    assert (scenario.name, scenario.status) == ("Cuvée launch", Scenario.Status.DRAFT)
    assert scenario.resources.filter(pk=budget.pk).exists()
    assert scenario.targets.count() == 2
