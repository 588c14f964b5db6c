"""Plans: the strict schema, versions and restore, the refusal that names what is missing, and the
offline assistant's plan grounded in the workspace's CRM."""

import copy
from datetime import date

import pytest
from django.db import connection

from apps.core.errors import ValidationFailed
from apps.planner import selectors, services
from apps.planner.checks import plan_validate
from apps.planner.models import PlanVersion, Scenario
from tests.support.crm_pages import customer_make, score_make

ITEM = {
    "format": "email",
    "message": "Our new cuvée, for Champions: early access.",
    "channel": "E-mail",
    "frequency": "Every 2 weeks",
    "kpi": "Open rate, click rate, revenue",
    "target": "Champions",
    "deadline": None,
}
PLAN = {
    "summary": "Three steps.",
    "items": [
        ITEM,
        {**ITEM, "format": "video", "channel": "Instagram", "target": None, "deadline": "2026-02-20"},
        {**ITEM, "format": "social_post", "channel": "Instagram", "target": "lapsed buyers"},
    ],
}


def _broken(change) -> dict:
    plan = copy.deepcopy(PLAN)
    change(plan)
    return plan


@pytest.mark.parametrize(
    ("plan", "field"),
    [
        (_broken(lambda plan: plan["items"].pop()), "items"),
        (_broken(lambda plan: plan.update(items=[ITEM] * 21)), "items"),
        (_broken(lambda plan: plan["items"][1].update(format="podcast")), "items.1.format"),
        (_broken(lambda plan: plan["items"][2].pop("kpi")), "items.2.kpi"),
        (_broken(lambda plan: plan["items"][0].update(source="https://example.com")), "items.0.source"),
        (_broken(lambda plan: plan.update(confidence=1)), "confidence"),
        (_broken(lambda plan: plan.pop("summary")), "summary"),
        (_broken(lambda plan: plan["items"][0].update(deadline="next week")), "items.0.deadline"),
        (_broken(lambda plan: plan["items"][0].update(message="")), "items.0.message"),
        (_broken(lambda plan: plan["items"][0].update(message="\x00")), "items.0.message"),
        (_broken(lambda plan: plan["items"][0].update(channel=None)), "items.0.channel"),
        ("a plan", "plan"),
    ],
)
def test_a_plan_off_the_schema_is_refused_and_never_stored(scenario, plan, field):
    with pytest.raises(ValidationFailed) as refused:
        services.plan_save(scenario=scenario, data=plan, provider="openai", user_id=None)

    assert field in refused.value.details
    assert not PlanVersion.objects.exists()
    scenario.refresh_from_db()
    assert (scenario.status, scenario.current_version) == ("draft", None)


def test_a_valid_plan_comes_back_clean():
    clean = plan_validate(PLAN)

    assert clean["items"][1]["deadline"] == date(2026, 2, 20)
    assert [item["format"] for item in clean["items"]] == ["email", "video", "social_post"]


def test_a_plan_naming_a_target_the_scenario_lacks_is_refused(scenario):
    plan = _broken(lambda plan: plan["items"][0].update(target="Strangers"))

    with pytest.raises(ValidationFailed) as refused:
        services.plan_save(scenario=scenario, data=plan, provider="openai", user_id=None)

    assert list(refused.value.details) == ["items.0.target"]
    assert not PlanVersion.objects.exists()


def test_each_plan_is_a_new_version_and_an_earlier_one_can_be_restored(scenario):
    first = services.plan_save(scenario=scenario, data=PLAN, provider="openai", user_id=7)
    second = services.plan_save(
        scenario=scenario,
        data=_broken(lambda plan: plan.update(summary="Again.")),
        provider="openai",
        user_id=7,
    )
    scenario.refresh_from_db()
    assert (first.number, second.number) == (1, 2)
    assert (scenario.status, scenario.current_version) == ("ready", second)
    assert [item.target.label if item.target else None for item in first.items.all()] == [
        "Champions",
        None,
        "Lapsed buyers",
    ]

    services.plan_restore(version=first)

    scenario.refresh_from_db()
    assert scenario.current_version == first
    assert list(selectors.version_list(scenario)) == [second, first]


def test_generating_is_refused_until_the_scenario_has_objectives_targets_and_resources(tenant):
    scenario = services.scenario_create(name="Empty", user_id=None)
    services.target_add(scenario=scenario, label="Everyone")

    with pytest.raises(ValidationFailed) as refused:
        services.plan_generate(scenario=scenario, user_id=None)

    assert refused.value.details == {"missing": ["objectives", "resources"]}
    assert "objectives, resources" in refused.value.message
    assert not PlanVersion.objects.exists()


def test_the_offline_plan_is_grounded_in_the_crm_and_labelled(scenario):
    version = services.plan_generate(scenario=scenario, user_id=7)

    items = list(version.items.all())
    scenario.refresh_from_db()
    assert (version.provider, version.created_by, scenario.status) == ("offline", 7, Scenario.Status.READY)
    assert version.summary.startswith("Offline assistant:")
    assert "Champions (3 customers now)" in version.summary
    assert "Lapsed buyers (2 customers now)" in version.summary
    assert "E-mail: 4 customers may receive it." in version.summary
    assert [(item.format, item.target.label if item.target else None) for item in items[:2]] == [
        ("email", "Champions"),
        ("email", "Lapsed buyers"),
    ]
    assert items[0].frequency == "Every 2 weeks"
    assert items[1].frequency == "Once, with a reminder 7 days later"
    assert items[0].message.startswith("Our new Riesling cuvée, for Champions:")
    assert {item.format for item in items} >= {"email", "social_post", "video", "article"}
    kpis = " ".join(item.kpi for item in items)
    for kpi in (
        "Open rate",
        "click rate",
        "revenue",
        "Design-start rate",
        "Design-completion rate",
        "3D/AR view",
    ):
        assert kpi in kpis
    assert "http" not in version.summary + " ".join(item.message for item in items)


def test_the_offline_plan_is_the_same_for_the_same_data(scenario):
    def content(version):
        return [(item.format, item.message, item.channel, item.kpi) for item in version.items.all()]

    first = services.plan_generate(scenario=scenario, user_id=None)
    second = services.plan_generate(scenario=scenario, user_id=None)

    assert (first.summary, content(first)) == (second.summary, content(second))


def test_without_consent_the_offline_plan_has_no_email(tenant):
    scenario = services.scenario_create(name="Quiet", theme="Autumn", user_id=None)
    services.objective_add(scenario=scenario, label="Designs", metric="designs started", target_value=50)
    services.target_add(scenario=scenario, label="Wine lovers")
    services.resource_add(scenario=scenario, kind="asset", label="Our label artwork")

    version = services.plan_generate(scenario=scenario, user_id=None)

    formats = [item.format for item in version.items.all()]
    assert "email" not in formats
    assert formats == ["social_post", "video", "article", "infographic"]
    assert "Wine lovers (size unknown)" in version.summary
    assert "No customer has agreed to receive e-mail" in version.summary


def test_a_production_lead_time_becomes_hard_deadlines(scenario):
    services.resource_add(scenario=scenario, kind="lead_time", label="Printing", amount=10, unit="days")

    version = services.plan_generate(scenario=scenario, user_id=None)

    deadlines = {item.format: item.deadline for item in version.items.all()}
    assert deadlines["video"] == deadlines["article"] == date(2026, 2, 19)  # 10 days before 1 March
    assert deadlines["email"] is None
    assert "2026-02-19" in version.summary


def test_target_suggestions_are_the_real_segments_best_first(crm):
    suggestions = selectors.target_suggestions()

    assert [(row["segment"], row["customers"]) for row in suggestions] == [("champions", 3), ("at_risk", 2)]
    assert str(suggestions[0]["monetary"]) == "903.00"
    assert suggestions[0]["recency_days"] == 40
    assert suggestions[1]["explanation"].startswith(
        "2 customers, worth 100.00 in all, last bought 200 days ago"
    )
    assert "win them back" in suggestions[1]["explanation"]


def test_another_workspaces_customers_never_count_in_a_plan(scenario, tenant, other_tenant):
    connection.set_tenant(other_tenant)
    for _n in range(4):
        score_make(customer_make(marketing_consent=True), "champions")
    connection.set_tenant(tenant)

    version = services.plan_generate(scenario=scenario, user_id=None)

    assert "Champions (3 customers now)" in version.summary
    assert "E-mail: 4 customers may receive it." in version.summary
