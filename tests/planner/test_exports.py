"""Exports byte-checked, and a plan's e-mail items turned into campaign drafts once."""

import copy

import pytest
from django.utils import timezone

from apps.campaigns.models import Campaign
from apps.campaigns.services import audience_save
from apps.core.errors import ValidationFailed
from apps.planner import services
from apps.planner.errors import NoPlan
from apps.planner.exports import plan_csv, plan_json

ITEM = {
    "format": "email",
    "message": "Early access, for you.",
    "channel": "E-mail",
    "frequency": "Monthly",
    "kpi": "Open rate",
    "target": "Champions",
    "deadline": None,
}
PLAN = {
    "summary": "Plan.",
    "items": [
        {**ITEM, "message": '=HYPERLINK("http://evil.example","click")'},
        {
            **ITEM,
            "format": "social_post",
            "channel": "Instagram",
            "message": "Show, then ask",
            "target": None,
        },
        {
            **ITEM,
            "format": "video",
            "message": "+1, made in 3D",
            "deadline": "2026-02-20",
            "kpi": "3D/AR view rate",
        },
    ],
}


def _saved(scenario, plan=PLAN):
    return services.plan_save(scenario=scenario, data=plan, provider="offline", user_id=7)


def test_the_csv_has_its_header_line_columns_and_no_formula(scenario):
    _saved(scenario)
    scenario.refresh_from_db()
    today = timezone.localdate().isoformat()

    text = plan_csv(scenario)

    assert text == (
        f"# Cuvée launch — generated {today}\r\n"
        "Format,Message,Channel,Frequency,KPI\r\n"
        'E-mail,"\'=HYPERLINK(""http://evil.example"",""click"")",E-mail,Monthly,Open rate\r\n'
        'Social post,"Show, then ask",Instagram,Monthly,Open rate\r\n'
        'Video,"\'+1, made in 3D",E-mail,Monthly,3D/AR view rate\r\n'
    )


def test_there_is_no_csv_before_a_plan(scenario):
    with pytest.raises(NoPlan):
        plan_csv(scenario)


def test_the_json_holds_the_scenario_its_parts_and_the_current_plan(scenario):
    assert plan_json(scenario)["plan"] is None
    version = _saved(scenario)
    scenario.refresh_from_db()

    data = plan_json(scenario)

    assert set(data) == {"scenario", "objectives", "targets", "resources", "plan"}
    assert data["scenario"] == {
        "id": scenario.pk,
        "name": "Cuvée launch",
        "theme": "Our new Riesling cuvée",
        "period_start": "2026-03-01",
        "period_end": "2026-03-31",
        "status": "ready",
    }
    assert data["objectives"] == [
        {"label": "Launch revenue", "metric": "revenue", "target_value": "2000.00", "deadline": None}
    ]
    assert data["targets"][0] == {"label": "Champions", "segment": "champions", "audience": None}
    assert data["resources"][0] == {"kind": "budget", "label": "Budget", "amount": "2000.00", "unit": "EUR"}
    plan = data["plan"]
    assert (plan["number"], plan["provider"], plan["summary"]) == (version.number, "offline", "Plan.")
    assert plan["items"][2] == {
        "position": 3,
        "format": "video",
        "message": "+1, made in 3D",
        "channel": "E-mail",
        "frequency": "Monthly",
        "kpi": "3D/AR view rate",
        "target": "Champions",
        "deadline": "2026-02-20",
    }


def test_email_items_become_campaign_drafts_once(scenario):
    alsace = audience_save(name="Alsace", rules={"countries": ["FR"]}, user_id=None)
    services.target_add(scenario=scenario, label="Alsace", audience=alsace)
    services.target_add(scenario=scenario, label="Wine lovers")  # free text: no audience, no draft
    plan = copy.deepcopy(PLAN)
    plan["items"][0]["message"] = "Early access, for you."
    plan["items"] += [
        {**ITEM, "target": "Alsace"},
        {**ITEM, "target": "Wine lovers"},
        {**ITEM, "target": None},
    ]
    version = _saved(scenario, plan)

    drafts = services.plan_to_campaign_drafts(version=version, user_id=7)
    again = services.plan_to_campaign_drafts(version=version, user_id=7)

    assert again == drafts
    assert Campaign.objects.count() == 2
    champions, alsace_draft = drafts
    assert (champions.status, champions.created_by) == ("draft", 7)
    assert champions.name == "Cuvée launch — Champions"
    assert champions.audience.rules["segments"] == ["champions"]
    assert alsace_draft.audience == alsace
    assert champions.template.content["en"]["blocks"] == [
        {"kind": "heading", "text": "Our new Riesling cuvée"},
        {"kind": "text", "text": "Early access, for you."},
    ]


def test_a_message_the_email_editor_refuses_makes_no_draft(scenario):
    plan = copy.deepcopy(PLAN)
    plan["items"][0]["message"] = "Hello {{ nickname }}"
    version = _saved(scenario, plan)

    with pytest.raises(ValidationFailed) as refused:
        services.plan_to_campaign_drafts(version=version, user_id=None)

    assert list(refused.value.details) == ["items.0.message"]
    assert not Campaign.objects.exists()
