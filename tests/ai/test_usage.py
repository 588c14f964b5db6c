"""Usage records: written for every call (also failed ones); reported per workspace to operators."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from apps.ai.errors import TransientAIError
from apps.ai.models import AIUsage
from apps.ai.providers.offline import OfflineProvider
from apps.ai.services import ai_call


def test_ai_call_records_the_outcome_units_and_cost(tenant):
    with ai_call(provider="openai", model="gpt-image-1", operation="image.generate", design_id=3) as call:
        call.units, call.tokens, call.cost = 1, 1040, Decimal("0.063")

    usage = AIUsage.objects.get()
    assert (usage.ok, usage.error_code, usage.units, usage.tokens, usage.cost, usage.design_id) == (
        True,
        "",
        1,
        1040,
        Decimal("0.063"),
        3,
    )


def test_ai_call_records_a_failure_and_lets_it_through(tenant):
    with pytest.raises(TransientAIError):
        with ai_call(provider="openai", model="gpt-image-1", operation="image.generate"):
            raise TransientAIError(code="provider_timeout")

    usage = AIUsage.objects.get()
    assert (usage.ok, usage.error_code) == (False, "provider_timeout")


def use_ai(tenant, other_tenant):
    """Alpha: two generations and a moderation; beta: one moderation."""
    provider = OfflineProvider()
    connection.set_tenant(tenant)
    for seed in (1, 2):
        provider.generate_image(prompt="fox", style="minimal-line", width=64, height=64, seed=seed)
    provider.moderate_text(text="fox")
    connection.set_tenant(other_tenant)
    provider.moderate_text(text="owl")
    connection.set_schema_to_public()


def test_report_command_prints_totals_per_workspace(tenant, other_tenant):
    use_ai(tenant, other_tenant)
    out = StringIO()

    call_command("ai_usage_report", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("alpha: 3 calls, 0 failed, avg ")
    assert "  offline image.generate: 2 calls, 0 failed" in lines[1]
    assert "  offline text.moderate: 1 calls, 0 failed" in lines[2]
    assert lines[3].startswith("beta: 1 calls, 0 failed")


def test_report_command_filters_one_workspace_and_refuses_an_unknown_one(tenant, other_tenant):
    use_ai(tenant, other_tenant)
    out = StringIO()

    call_command("ai_usage_report", "--tenant", "beta", "--operation", "text.moderate", stdout=out)

    assert out.getvalue().startswith("beta: 1 calls")
    assert "alpha" not in out.getvalue()
    with pytest.raises(Exception, match="No workspace"):
        call_command("ai_usage_report", "--tenant", "nope")


def report_url() -> str:
    return reverse("admin:ai_aiusage_changelist", urlconf="config.urls_public")


def test_admin_reports_usage_of_every_workspace(operator, tenant, other_tenant):
    use_ai(tenant, other_tenant)

    response = operator.get(report_url())

    assert response.status_code == 200
    report = {usage.tenant.schema_name: usage for usage in response.context["report"]}
    assert (report["alpha"].calls, report["beta"].calls) == (3, 1)
    assert response.context["totals"]["calls"] == 4
    assert "image.generate" in response.content.decode()


def test_admin_filters_by_workspace_operation_and_outcome(operator, tenant, other_tenant):
    use_ai(tenant, other_tenant)

    response = operator.get(report_url(), {"tenant": "alpha", "operation": "image.generate", "outcome": "ok"})
    failed = operator.get(report_url(), {"outcome": "failed"})

    assert [(usage.tenant.schema_name, usage.calls) for usage in response.context["report"]] == [("alpha", 2)]
    assert failed.context["report"] == []
    assert "No AI usage matches." in failed.content.decode()


def test_admin_report_needs_a_staff_login(tenant):
    connection.set_schema_to_public()

    response = Client(HTTP_HOST="localhost").get(report_url())

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
