"""Audiences: rules checked, evaluated in SQL, counted with who is left out and why; the pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.campaigns import services
from apps.campaigns.models import Audience, Suppression
from apps.campaigns.selectors import audience_recipients, audience_size
from apps.core.errors import ValidationFailed
from apps.tenants.models import Role
from tests.support.campaigns import campaign_make
from tests.support.clients import dashboard_client
from tests.support.crm_pages import customer_make, item_make, line_make, score_make
from tests.support.workspaces import member

TODAY = timezone.localdate()


@pytest.fixture
def people(tenant):
    """Five customers: two who may receive (Loïc, a Champion who bought Riesling, French; Anna,
    At risk), and one left out for each reason (no consent, no e-mail, suppressed)."""
    riesling = item_make("RIES", "Riesling", family="Alsace")
    loic = customer_make(
        first_name="Loïc", email="loic@example.fr", marketing_consent=True, language="fr", country="FR"
    )
    anna = customer_make(first_name="Anna", email="anna@example.de", marketing_consent=True, country="DE")
    refused = customer_make(first_name="Marie", email="marie@example.fr", marketing_consent=False)
    unknown = customer_make(first_name="Paul", email="paul@example.fr")
    no_email = customer_make(first_name="Nomail", email="", marketing_consent=True)
    bounced = customer_make(first_name="Bob", email="bob@example.fr", marketing_consent=True)
    Suppression.objects.create(email="bob@example.fr", reason=Suppression.Reason.HARD_BOUNCE)
    line_make(loic, riesling, day=TODAY - timedelta(days=5))
    score_make(loic, "champions")
    score_make(anna, "at_risk")
    return {
        "riesling": riesling,
        "loic": loic,
        "anna": anna,
        "refused": refused,
        "unknown": unknown,
        "no_email": no_email,
        "bounced": bounced,
    }


def test_the_size_says_who_receives_and_why_the_others_are_left_out(people):
    size = audience_size(services.rules_clean({}))

    assert (size.matching, size.sendable) == (6, 2)
    assert (size.no_consent, size.no_email, size.suppressed, size.shared) == (2, 1, 1, 0)
    assert {customer.first_name for customer in size.sample} == {"Loïc", "Anna"}


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        ({"segments": ["champions"]}, {"Loïc"}),
        ({"segments": ["at_risk", "champions"]}, {"Loïc", "Anna"}),
        ({"last_purchase": "30"}, {"Loïc"}),
        ({"last_purchase": "never"}, {"Anna"}),
        ({"families": ["Alsace"]}, {"Loïc"}),
        ({"languages": ["FR"]}, {"Loïc"}),
        ({"countries": ["de"]}, {"Anna"}),
        ({"segments": ["new"]}, set()),
    ],
)
def test_each_rule_narrows_the_audience(people, rules, expected):
    chosen = audience_recipients(services.rules_clean(rules))

    assert {customer.first_name for customer in chosen} == expected


def test_an_item_rule_selects_its_buyers(people):
    rules = services.rules_clean({"items": [people["riesling"].pk]})

    assert [customer.first_name for customer in audience_recipients(rules)] == ["Loïc"]


@pytest.mark.parametrize(
    ("rules", "field"),
    [
        ([], "rules"),
        ({"colour": ["red"]}, "rules"),
        ({"segments": ["vip"]}, "segments"),
        ({"segments": "champions"}, "segments"),
        ({"items": [999999]}, "items"),
        ({"items": ["RIES"]}, "items"),
        ({"last_purchase": "yesterday"}, "last_purchase"),
        ({"countries": [{"nested": ["deep"]}]}, "countries"),
        ({"families": ["x"] * 201}, "families"),
    ],
)
def test_bad_rules_are_refused_with_the_field_named(tenant, rules, field):
    with pytest.raises(ValidationFailed) as error:
        services.rules_clean(rules)

    assert field in error.value.details


def test_the_editor_saves_an_audience_and_shows_its_live_size(tenant, people):
    client = dashboard_client(tenant, member(tenant, Role.EDITOR))

    page = client.post(
        "/campaigns/audiences/new/",
        {"name": "French champions", "segments": ["champions"], "languages": ["fr"], "countries": "fr"},
    )

    audience = Audience.objects.get()
    assert page.status_code == 302
    assert page["Location"] == f"/campaigns/audiences/{audience.pk}/"
    assert audience.rules["segments"] == ["champions"]
    assert audience.rules["countries"] == ["FR"]
    shown = client.get(page["Location"])
    assert "1 address will receive it" in shown.text
    assert "loic@example.fr" in shown.text
    live = client.get("/campaigns/audiences/size/", {"name": "x", "segments": ["at_risk", "champions"]})
    assert "2 addresses will receive it" in live.text
    everyone = client.get("/campaigns/audiences/size/", {"name": "x"})
    assert "2 left out: no marketing consent" in everyone.text
    assert "1 left out: no e-mail address" in everyone.text
    assert "French champions" in client.get("/campaigns/audiences/").text


def test_bad_input_is_a_form_error_not_a_500(tenant, people):
    client = dashboard_client(tenant, member(tenant, Role.EDITOR))

    page = client.post(
        "/campaigns/audiences/new/", {"name": "a\x00b", "countries": "France", "segments": ["vip"]}
    )

    assert page.status_code == 200
    assert not Audience.objects.exists()
    assert "two-letter" in page.text


def test_viewers_read_audiences_but_cannot_write_them(tenant, people):
    viewer = dashboard_client(tenant, member(tenant, Role.VIEWER))

    assert viewer.get("/campaigns/audiences/").status_code == 200
    assert viewer.post("/campaigns/audiences/new/", {"name": "x"}).status_code == 403
    assert not Audience.objects.exists()


def test_an_audience_used_by_a_campaign_cannot_be_deleted(tenant, people):
    campaign = campaign_make()
    client = dashboard_client(tenant, member(tenant, Role.EDITOR))

    page = client.post(f"/campaigns/audiences/{campaign.audience.pk}/delete/", follow=True)

    assert page.status_code == 200
    assert "used by a campaign" in page.text
    assert Audience.objects.filter(pk=campaign.audience.pk).exists()


def test_another_workspace_cannot_see_or_change_an_audience(other_tenant, tenant, people):
    audience = services.audience_save(name="Alpha only", rules={}, user_id=None)
    intruder = dashboard_client(other_tenant, member(other_tenant, Role.OWNER))

    assert intruder.get(f"/campaigns/audiences/{audience.pk}/").status_code == 404
    assert intruder.post(f"/campaigns/audiences/{audience.pk}/delete/").status_code == 404
    assert "Alpha only" not in intruder.get("/campaigns/audiences/").text
    assert "will receive it" in intruder.get("/campaigns/audiences/size/", {"name": "x"}).text
    assert "loic@example.fr" not in intruder.get("/campaigns/audiences/size/", {"name": "x"}).text
