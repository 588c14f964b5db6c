"""A scenario the planner's tests share: a cuvée launch with objectives, targets and resources,
in a workspace whose CRM has real segments (3 Champions, 2 At risk; 4 of them accept e-mail)."""

from datetime import date

import pytest

from apps.planner import services
from tests.support.crm_pages import customer_make, score_make


@pytest.fixture
def crm(tenant):
    """Champions: three (two with consent, 40 days since they bought); At risk: two (both with
    consent, 200 days); one customer without a score."""
    for n, (segment, consent) in enumerate([("champions", True), ("champions", True), ("champions", False)]):
        score_make(customer_make(marketing_consent=consent), segment, monetary=300 + n, recency_days=40)
    for _n in range(2):
        score_make(customer_make(marketing_consent=True), "at_risk", monetary=50, recency_days=200)
    customer_make(marketing_consent=False)


@pytest.fixture
def scenario(crm):
    scenario = services.scenario_create(
        name="Cuvée launch",
        theme="Our new Riesling cuvée",
        period_start=date(2026, 3, 1),
        period_end=date(2026, 3, 31),
        user_id=7,
    )
    services.objective_add(scenario=scenario, label="Launch revenue", metric="revenue", target_value="2000")
    services.target_add(scenario=scenario, label="Champions", segment="champions")
    services.target_add(scenario=scenario, label="Lapsed buyers", segment="at_risk")
    services.resource_add(scenario=scenario, kind="budget", label="Budget", amount=2000, unit="EUR")
    services.resource_add(scenario=scenario, kind="people", label="One designer", amount=1, unit="people")
    services.resource_add(scenario=scenario, kind="channel", label="Instagram")
    return scenario
