"""Scenarios and their parts: made, changed, archived, checked with clear messages, and kept to
their workspace."""

from datetime import date

import pytest
from django.db import connection

from apps.campaigns.services import audience_save
from apps.core.errors import ValidationFailed
from apps.planner import selectors, services
from apps.planner.errors import ScenarioArchived
from apps.planner.models import Scenario


def test_a_scenario_is_made_changed_and_archived(tenant):
    scenario = services.scenario_create(name="  Spring  ", theme="Gifts", user_id=3)
    assert (scenario.name, scenario.status, scenario.created_by) == ("Spring", "draft", 3)

    services.scenario_update(
        scenario=scenario, name="Spring 2026", theme="", period_start=date(2026, 3, 1), period_end=None
    )
    scenario.refresh_from_db()
    assert (scenario.name, scenario.theme, scenario.period_start) == ("Spring 2026", "", date(2026, 3, 1))

    services.scenario_archive(scenario=scenario)
    assert list(selectors.scenario_search()) == []
    assert list(selectors.scenario_search(status="archived")) == [scenario]
    with pytest.raises(ScenarioArchived):
        services.objective_add(scenario=scenario, label="Sales", metric="orders", target_value=10)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"name": "nul\x00"}, "name"),
        ({"name": "half \ud800"}, "name"),
        ({"name": "two\nlines"}, "name"),
        ({"name": 12}, "name"),
        ({"theme": "t" * 301}, "theme"),
        ({"period_start": "2026-13-01"}, "period_start"),
        ({"period_start": date(2026, 3, 2), "period_end": date(2026, 3, 1)}, "period_end"),
    ],
)
def test_a_scenario_with_bad_fields_is_refused_naming_them(tenant, fields, field):
    with pytest.raises(ValidationFailed) as refused:
        services.scenario_create(**{"name": "Spring", **fields}, user_id=None)

    assert list(refused.value.details) == [field]
    assert Scenario.objects.count() == 0


def test_objectives_targets_and_resources_are_added_and_removed(scenario):
    objective = scenario.objectives.get()
    assert str(objective.target_value) == "2000.00"
    resource = services.resource_add(
        scenario=scenario, kind="lead_time", label="Printing", amount=10, unit="days"
    )

    services.part_remove(part=objective)
    services.part_remove(part=resource)

    assert not scenario.objectives.exists()
    assert not scenario.resources.filter(kind="lead_time").exists()
    assert [target.label for target in scenario.targets.all()] == ["Champions", "Lapsed buyers"]


def test_a_target_is_free_text_a_segment_or_an_audience(scenario):
    audience = audience_save(name="Alsace", rules={"countries": ["FR"]}, user_id=None)

    free = services.target_add(scenario=scenario, label="Who bought Riesling last year")
    chosen = services.target_add(scenario=scenario, label="Alsace", audience=audience)

    assert (free.segment, free.audience) == ("", None)
    assert chosen.audience == audience


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"label": "champions"}, "label"),  # the scenario already has "Champions"
        ({"label": "Ghosts", "segment": "ghosts"}, "segment"),
        ({"label": "l" * 201}, "label"),
        ({"label": "a\x00b"}, "label"),
    ],
)
def test_a_bad_target_is_refused(scenario, fields, field):
    with pytest.raises(ValidationFailed) as refused:
        services.target_add(scenario=scenario, **fields)

    assert field in refused.value.details
    assert scenario.targets.count() == 2


def test_a_target_is_a_segment_or_an_audience_not_both(scenario):
    audience = audience_save(name="Alsace", rules={}, user_id=None)

    with pytest.raises(ValidationFailed) as refused:
        services.target_add(scenario=scenario, label="Both", segment="loyal", audience=audience)

    assert "audience" in refused.value.details


@pytest.mark.parametrize(
    ("kind", "fields", "field"),
    [
        ("ships", {}, "kind"),
        ("budget", {"amount": "lots"}, "amount"),
        ("budget", {"amount": float("nan")}, "amount"),
        ("budget", {"amount": True}, "amount"),
        ("lead_time", {}, "amount"),
        ("lead_time", {"amount": -3}, "amount"),
        ("budget", {"unit": "u" * 21}, "unit"),
    ],
)
def test_a_bad_resource_is_refused(scenario, kind, fields, field):
    with pytest.raises(ValidationFailed) as refused:
        services.resource_add(scenario=scenario, kind=kind, label="Thing", **fields)

    assert field in refused.value.details
    assert scenario.resources.count() == 3


def test_an_objective_needs_a_label_metric_and_value(scenario):
    with pytest.raises(ValidationFailed) as refused:
        services.objective_add(
            scenario=scenario, label="", metric="m" * 101, target_value=None, deadline="soon"
        )

    assert set(refused.value.details) == {"label", "metric", "target_value", "deadline"}


def test_a_workspace_never_sees_another_workspaces_scenarios(scenario, other_tenant):
    connection.set_tenant(other_tenant)

    assert selectors.scenario_get(pk=scenario.pk) is None
    assert list(selectors.scenario_search()) == []
    assert Scenario.objects.count() == 0
