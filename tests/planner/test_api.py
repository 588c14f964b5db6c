"""The planner API: scenarios and their parts, plans generated offline, versions and restore,
exports byte-checked, campaign drafts made once, target suggestions; scopes, bad input and
another workspace's key."""

import json

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from apps.campaigns.models import Campaign
from apps.campaigns.services import audience_save
from apps.planner import services
from apps.planner.models import PlanVersion, Scenario, Target
from tests.support.clients import api_client, error_code, post_json

BASE = "/api/v1/planner"
READ = ["planner:read"]
READ_WRITE = ["planner:read", "planner:write"]


def _patch(client, path, data):
    return client.patch(path, json.dumps(data), content_type="application/json")


@pytest.fixture
def client(tenant):
    return api_client(tenant, READ_WRITE)


def _generate(client, scenario) -> dict:
    response = post_json(client, f"{BASE}/scenarios/{scenario.pk}/plan")
    assert response.status_code == 201, response.content
    return response.json()


# --- scenarios -----------------------------------------------------------------------------------


def test_a_scenario_is_created_read_changed_listed_and_archived(client):
    created = post_json(
        client,
        f"{BASE}/scenarios",
        {"name": " Spring launch ", "theme": "New cuvée", "period_start": "2026-03-01"},
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["name"], body["status"], body["plan_version"]) == ("Spring launch", "draft", None)
    assert (body["period_start"], body["period_end"]) == ("2026-03-01", None)
    assert body["missing"] == ["objectives", "targets", "resources"]
    assert (body["objectives"], body["targets"], body["resources"]) == ([], [], [])
    path = f"{BASE}/scenarios/{body['id']}"
    assert client.get(path).json()["theme"] == "New cuvée"

    changed = _patch(client, path, {"name": "Summer launch", "period_end": "2026-06-30"})
    assert changed.status_code == 200, changed.content
    assert (changed.json()["name"], changed.json()["theme"]) == ("Summer launch", "New cuvée")
    assert changed.json()["period_end"] == "2026-06-30"
    backwards = _patch(client, path, {"period_end": "2026-01-01"})
    assert (backwards.status_code, error_code(backwards)) == (422, "scenario_invalid")
    assert "period_end" in backwards.json()["error"]["details"]["fields"]

    post_json(client, f"{BASE}/scenarios", {"name": "Black Friday"})
    assert [row["name"] for row in client.get(f"{BASE}/scenarios?search=summer").json()["results"]] == [
        "Summer launch"
    ]
    assert len(client.get(f"{BASE}/scenarios").json()["results"]) == 2

    archived = _patch(client, path, {"status": "archived"})
    assert archived.json()["status"] == "archived"
    assert [row["name"] for row in client.get(f"{BASE}/scenarios").json()["results"]] == ["Black Friday"]
    listed = client.get(f"{BASE}/scenarios?status=archived").json()["results"]
    assert [row["name"] for row in listed] == ["Summer launch"]
    frozen = _patch(client, path, {"name": "Again"})
    assert (frozen.status_code, error_code(frozen)) == (409, "scenario_archived")
    assert client.delete(path).status_code == 405  # archived, never deleted


def test_scenarios_come_in_cursor_pages(client, tenant):
    for n in range(5):
        services.scenario_create(name=f"Scenario {n}", user_id=None)

    first = client.get(f"{BASE}/scenarios?page_size=3").json()
    second = client.get(first["next"]).json()

    assert [len(first["results"]), len(second["results"]), second["next"]] == [3, 2, None]


def test_parts_are_added_with_the_targets_live_size_and_removed(client, crm):
    scenario = services.scenario_create(name="Launch", user_id=None)
    path = f"{BASE}/scenarios/{scenario.pk}"
    alsace = audience_save(name="Alsace", rules={"segments": ["at_risk"]}, user_id=None)

    objective = post_json(
        client, f"{path}/objectives", {"label": "Revenue", "metric": "revenue", "target_value": "2000"}
    )
    champions = post_json(client, f"{path}/targets", {"label": "Champions", "segment": "champions"})
    audience = post_json(client, f"{path}/targets", {"label": "Alsace", "audience": alsace.pk})
    free = post_json(client, f"{path}/targets", {"label": "Wine lovers"})
    same = post_json(client, f"{path}/targets", {"label": "CHAMPIONS"})
    resource = post_json(
        client, f"{path}/resources", {"kind": "lead_time", "label": "Printing", "amount": 10, "unit": "days"}
    )
    no_days = post_json(client, f"{path}/resources", {"kind": "lead_time", "label": "Printing"})

    assert objective.status_code == 201, objective.content
    assert objective.json()["target_value"] == "2000.00"
    assert (champions.json()["size"], champions.json()["segment"]) == (3, "champions")
    assert (audience.json()["size"], audience.json()["audience"]) == (2, alsace.pk)
    assert free.json()["size"] is None
    assert (same.status_code, list(same.json()["error"]["details"]["fields"])) == (422, ["label"])
    assert resource.json() == {
        "id": resource.json()["id"],
        "kind": "lead_time",
        "label": "Printing",
        "amount": "10.00",
        "unit": "days",
    }
    assert (no_days.status_code, list(no_days.json()["error"]["details"]["fields"])) == (422, ["amount"])
    detail = client.get(path).json()
    assert detail["missing"] == []
    assert [(target["label"], target["size"]) for target in detail["targets"]] == [
        ("Champions", 3),
        ("Alsace", 2),
        ("Wine lovers", None),
    ]

    removed = client.delete(f"{path}/targets/{free.json()['id']}")
    again = client.delete(f"{path}/targets/{free.json()['id']}")

    assert (removed.status_code, again.status_code) == (204, 404)
    assert client.delete(f"{path}/objectives/{objective.json()['id']}").status_code == 204
    assert client.get(path).json()["missing"] == ["objectives"]


def test_a_target_may_not_be_both_a_segment_and_an_audience(client, tenant):
    scenario = services.scenario_create(name="Launch", user_id=None)
    alsace = audience_save(name="Alsace", rules={}, user_id=None)

    response = post_json(
        client,
        f"{BASE}/scenarios/{scenario.pk}/targets",
        {"label": "Both", "segment": "champions", "audience": alsace.pk},
    )
    unknown = post_json(client, f"{BASE}/scenarios/{scenario.pk}/targets", {"label": "X", "audience": 99999})

    assert (response.status_code, error_code(response)) == (422, "scenario_invalid")
    assert "audience" in response.json()["error"]["details"]["fields"]
    assert (unknown.status_code, error_code(unknown)) == (404, "audience_not_found")
    assert not Target.objects.exists()


# --- plans ---------------------------------------------------------------------------------------


def test_a_plan_is_refused_naming_what_the_scenario_lacks(client, tenant):
    scenario = services.scenario_create(name="Launch", user_id=None)
    services.objective_add(scenario=scenario, label="Revenue", metric="revenue", target_value=1)

    response = post_json(client, f"{BASE}/scenarios/{scenario.pk}/plan")

    assert (response.status_code, error_code(response)) == (422, "scenario_incomplete")
    error = response.json()["error"]
    assert error["details"]["missing"] == ["targets", "resources"]
    assert "targets, resources" in error["message"]
    assert not PlanVersion.objects.exists()


def test_plans_are_generated_as_versions_listed_read_and_restored(client, scenario):
    first = _generate(client, scenario)
    second = _generate(client, scenario)

    assert (first["number"], second["number"], second["provider"]) == (1, 2, "offline")
    assert second["summary"].startswith("Offline assistant")
    assert len(second["items"]) >= 3
    assert {item["format"] for item in second["items"]} >= {"email", "video", "article"}
    assert {item["target"] for item in second["items"]} >= {"Champions", "Lapsed buyers"}
    detail = client.get(f"{BASE}/scenarios/{scenario.pk}").json()
    assert (detail["status"], detail["plan_version"]) == ("ready", 2)

    listed = client.get(f"{BASE}/scenarios/{scenario.pk}/plans").json()["results"]
    assert [(row["number"], row["current"]) for row in listed] == [(2, True), (1, False)]
    one = client.get(f"{BASE}/plans/{first['id']}").json()
    assert (one["number"], one["scenario"], one["items"]) == (1, scenario.pk, first["items"])

    restored = post_json(client, f"{BASE}/plans/{first['id']}/restore")

    assert restored.status_code == 200, restored.content
    assert restored.json()["plan_version"] == 1
    listed = client.get(f"{BASE}/scenarios/{scenario.pk}/plans").json()["results"]
    assert [(row["number"], row["current"]) for row in listed] == [(2, False), (1, True)]


def test_an_archived_scenario_makes_no_plan_and_restores_none(client, scenario):
    version = _generate(client, scenario)
    services.scenario_archive(scenario=scenario)

    answers = [
        post_json(client, f"{BASE}/scenarios/{scenario.pk}/plan"),
        post_json(client, f"{BASE}/plans/{version['id']}/restore"),
        post_json(
            client,
            f"{BASE}/scenarios/{scenario.pk}/objectives",
            {"label": "X", "metric": "m", "target_value": 1},
        ),
        client.delete(f"{BASE}/scenarios/{scenario.pk}/targets/{scenario.targets.first().pk}"),
    ]

    assert {(answer.status_code, error_code(answer)) for answer in answers} == {(409, "scenario_archived")}
    assert PlanVersion.objects.count() == 1


# --- exports -------------------------------------------------------------------------------------


def test_the_csv_export_is_a_file_with_its_header_line_and_columns(client, scenario):
    path = f"{BASE}/scenarios/{scenario.pk}/export.csv"
    before = client.get(path)
    version = _generate(client, scenario)

    response = client.get(path, HTTP_ACCEPT="text/csv")

    assert (before.status_code, error_code(before)) == (409, "no_plan")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="scenario-{scenario.pk}-plan-v1.csv"'
    lines = response.content.decode().split("\r\n")
    assert lines[0] == f"# Cuvée launch — generated {timezone.localdate().isoformat()}"
    assert lines[1] == "Format,Message,Channel,Frequency,KPI"
    assert len(lines) == 2 + len(version["items"]) + 1  # the last line ends too
    assert lines[-1] == ""
    assert lines[2].startswith(("E-mail,", "Social post,", "Video,", "Article,"))


def test_the_json_export_holds_the_scenario_its_parts_and_the_plan(client, scenario):
    path = f"{BASE}/scenarios/{scenario.pk}/export.json"
    assert client.get(path).json()["plan"] is None
    version = _generate(client, scenario)

    data = client.get(path).json()

    assert set(data) == {"scenario", "objectives", "targets", "resources", "plan"}
    assert data["scenario"]["name"] == "Cuvée launch"
    assert data["objectives"] == [
        {"label": "Launch revenue", "metric": "revenue", "target_value": "2000.00", "deadline": None}
    ]
    assert [target["segment"] for target in data["targets"]] == ["champions", "at_risk"]
    assert len(data["resources"]) == 3
    assert (data["plan"]["number"], data["plan"]["summary"]) == (1, version["summary"])
    assert set(data["plan"]["items"][0]) == {
        "position",
        "format",
        "message",
        "channel",
        "frequency",
        "kpi",
        "target",
        "deadline",
    }


# --- campaign drafts and target suggestions ------------------------------------------------------


def test_a_plans_email_items_become_campaign_drafts_once(client, scenario):
    version = _generate(client, scenario)
    path = f"{BASE}/plans/{version['id']}/campaign-drafts"

    drafts = post_json(client, path)
    again = post_json(client, path)

    assert drafts.status_code == 200, drafts.content
    emails = [item for item in version["items"] if item["format"] == "email"]
    assert len(drafts.json()) == len(emails) > 0
    assert drafts.json() == again.json()
    assert {draft["name"] for draft in drafts.json()} <= {
        "Cuvée launch — Champions",
        "Cuvée launch — Lapsed buyers",
    }
    assert Campaign.objects.filter(status="draft").count() == len(emails)
    items = client.get(f"{BASE}/plans/{version['id']}").json()["items"]
    assert {item["campaign"] for item in items if item["format"] == "email"} == {
        draft["id"] for draft in drafts.json()
    }


def test_target_suggestions_are_the_workspaces_segments_explained(client, crm):
    response = client.get(f"{BASE}/target-suggestions")

    assert response.status_code == 200
    rows = response.json()
    assert [(row["segment"], row["customers"], row["monetary"]) for row in rows] == [
        ("champions", 3, "903.00"),
        ("at_risk", 2, "100.00"),
    ]
    assert rows[0]["recency_days"] == 40
    assert rows[0]["explanation"].startswith("3 customers, worth 903")


# --- scopes, bad input, another workspace --------------------------------------------------------


def test_a_read_only_key_reads_but_cannot_write(tenant, scenario):
    reader = api_client(tenant, READ)
    stranger = api_client(tenant, ["campaigns:read"])
    path = f"{BASE}/scenarios/{scenario.pk}"

    writes = [
        post_json(reader, f"{BASE}/scenarios", {"name": "X"}),
        _patch(reader, path, {"name": "X"}),
        post_json(reader, f"{path}/targets", {"label": "X"}),
        reader.delete(f"{path}/targets/{scenario.targets.first().pk}"),
        post_json(reader, f"{path}/plan"),
    ]

    assert reader.get(path).status_code == 200
    assert reader.get(f"{path}/export.json").status_code == 200
    assert {(answer.status_code, error_code(answer)) for answer in writes} == {(403, "insufficient_scope")}
    assert stranger.get(f"{BASE}/scenarios").status_code == 403
    assert not PlanVersion.objects.exists()
    assert Scenario.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {"name": "a\x00b"},
        {"name": "a\ud800b"},
        {"name": "x" * 10_000},
        {"name": "Two\nlines"},
        {"name": ""},
        {"name": 12},
        {"name": ["a"]},
        {"name": {"a": {"b": "c"}}},
        {"name": "Ok", "theme": 3},
        {"name": "Ok", "period_start": "2026-13-01"},
        {"name": "Ok", "period_start": 20260301},
        {"name": "Ok", "colour": "red"},
        [{"name": "Ok"}],
        "Ok",
    ],
)
def test_a_bad_scenario_is_a_400_and_nothing_is_made(client, body):
    response = post_json(client, f"{BASE}/scenarios", body)

    assert response.status_code == 400, response.content
    assert error_code(response) in {"validation_error", "malformed_request"}
    assert not Scenario.objects.exists()


def test_deeply_nested_or_unreadable_json_is_a_400(client, tenant):
    nested = '{"name": ' + "[" * 5000 + "]" * 5000 + "}"

    answers = [
        client.post(f"{BASE}/scenarios", body, content_type="application/json")
        for body in (nested, '{"name": "a', '{"name": "\\udc00"}')
    ]

    assert {answer.status_code for answer in answers} == {400}
    assert not Scenario.objects.exists()


@pytest.mark.parametrize(
    ("part", "body"),
    [
        ("objectives", {"label": "R", "metric": "revenue", "target_value": "NaN"}),
        ("objectives", {"label": "R", "metric": "revenue", "target_value": "1e300"}),
        ("objectives", {"label": "R", "metric": "revenue", "target_value": True}),
        ("objectives", {"label": "R", "metric": "revenue"}),
        ("objectives", {"label": "R", "metric": "revenue", "target_value": 1, "deadline": "soon"}),
        ("targets", {"label": "X", "segment": "vip"}),
        ("targets", {"label": "X" * 201}),
        ("targets", {"label": "X", "audience": "one"}),
        ("resources", {"kind": "money", "label": "X"}),
        ("resources", {"kind": "budget", "label": "X", "amount": "Infinity"}),
        ("resources", {"kind": "budget", "label": "X", "unit": "a\u2028b"}),
    ],
)
def test_a_bad_part_is_a_400(client, tenant, part, body):
    scenario = services.scenario_create(name="Launch", user_id=None)

    response = post_json(client, f"{BASE}/scenarios/{scenario.pk}/{part}", body)

    assert (response.status_code, error_code(response)) == (400, "validation_error"), response.content
    assert not getattr(scenario, part).exists()


def test_bad_filters_are_a_400(client, tenant):
    answers = [
        client.get(f"{BASE}/scenarios?status=gone"),
        client.get(f"{BASE}/scenarios?search=" + "x" * 201),
        client.get(f"{BASE}/scenarios?page_size=0"),
    ]

    assert {(answer.status_code, error_code(answer)) for answer in answers} == {(400, "validation_error")}


def test_another_workspaces_key_gets_404s_and_empty_lists(other_tenant, tenant, scenario):
    version = services.plan_generate(scenario=scenario, user_id=None)
    target, objective, resource = (
        getattr(scenario, part).first() for part in ("targets", "objectives", "resources")
    )
    with tenant_context(other_tenant):
        stranger = api_client(other_tenant, READ_WRITE)
    path = f"{BASE}/scenarios/{scenario.pk}"

    answers = [
        stranger.get(path),
        _patch(stranger, path, {"status": "archived"}),
        post_json(stranger, f"{path}/objectives", {"label": "X", "metric": "m", "target_value": 1}),
        post_json(stranger, f"{path}/targets", {"label": "X"}),
        post_json(stranger, f"{path}/resources", {"kind": "budget", "label": "X"}),
        stranger.delete(f"{path}/targets/{target.pk}"),
        stranger.delete(f"{path}/objectives/{objective.pk}"),
        stranger.delete(f"{path}/resources/{resource.pk}"),
        post_json(stranger, f"{path}/plan"),
        stranger.get(f"{path}/plans"),
        stranger.get(f"{path}/export.json"),
        stranger.get(f"{path}/export.csv"),
        stranger.get(f"{BASE}/plans/{version.pk}"),
        post_json(stranger, f"{BASE}/plans/{version.pk}/restore"),
        post_json(stranger, f"{BASE}/plans/{version.pk}/campaign-drafts"),
    ]
    lists = [
        stranger.get(f"{BASE}/scenarios").json()["results"],
        stranger.get(f"{BASE}/target-suggestions").json(),
    ]

    assert {answer.status_code for answer in answers} == {404}
    assert lists == [[], []]
    with tenant_context(tenant):
        scenario.refresh_from_db()
        assert (scenario.status, scenario.targets.count(), PlanVersion.objects.count()) == ("ready", 2, 1)
        assert not Campaign.objects.exists()


def test_the_schema_documents_every_endpoint_with_its_scope_and_errors(client):
    schema = client.get("/api/schema/?format=json").json()

    paths = {path for path in schema["paths"] if path.startswith(BASE)}
    scenario = f"{BASE}/scenarios/{{id}}"
    assert paths == {
        f"{BASE}/scenarios",
        scenario,
        *(f"{scenario}/{part}" for part in ("objectives", "targets", "resources")),
        *(f"{scenario}/{part}/{{part_pk}}" for part in ("objectives", "targets", "resources")),
        f"{scenario}/chat",
        f"{scenario}/plan",
        f"{scenario}/plans",
        f"{scenario}/export.json",
        f"{scenario}/export.csv",
        f"{BASE}/plans/{{id}}",
        f"{BASE}/plans/{{id}}/restore",
        f"{BASE}/plans/{{id}}/campaign-drafts",
        f"{BASE}/target-suggestions",
    }
    generate = schema["paths"][f"{scenario}/plan"]["post"]
    assert "`planner:write`" in generate["description"]
    assert "details.missing" in generate["description"]
    assert "Idempotency-Key" in {parameter["name"] for parameter in generate["parameters"]}
    csv = schema["paths"][f"{scenario}/export.csv"]["get"]["responses"]["200"]["content"]
    assert set(csv) == {"text/csv"}
    assert "no_plan" in schema["paths"][f"{scenario}/export.csv"]["get"]["responses"]["409"]["description"]
    assert "`planner:read`" in schema["paths"][f"{BASE}/scenarios"]["get"]["description"]
    assert (
        "there is no delete"
        in schema["paths"][scenario]["patch"]["requestBody"]["content"]["application/json"]["schema"].get(
            "$ref", ""
        )
        or "never deleted" in schema["paths"][scenario]["patch"]["description"]
    )
