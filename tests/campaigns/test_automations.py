"""Automations: a design left unordered and an occasion coming back schedule one e-mail for one
customer when they happen (not by cron), sent once when due, through the campaigns' sender."""

import json
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from apps.campaigns import automations, services
from apps.campaigns.models import Campaign, Recipient
from apps.campaigns.selectors import campaign_list
from apps.campaigns.sending import batch_send, stalled
from apps.core.errors import Conflict, ValidationFailed
from apps.crm.models import Customer
from apps.tenants.models import Role
from tests.support.campaigns import template_make
from tests.support.clients import api_client, dashboard_client, error_code
from tests.support.crm_pages import design_started, widget_order
from tests.support.factories.orders import order_make
from tests.support.factories.products import product_make
from tests.support.workspaces import member

Kind = Campaign.Automation
ANNA = {"email": "anna@example.com", "name": "Anna Weber", "phone": ""}
DESIGNS_BLOCK = {
    "kind": "rebuy_design",
    "title": "Your design is waiting",
    "text": "",
    "count": 1,
    "product": "",
    "label": "Order it",
    "url": "https://shop.example/mug",
}


def automation_on(kind: str, delay: int = 24) -> Campaign:
    template = template_make(name=f"{kind} template")
    template.content["en"]["blocks"].append(DESIGNS_BLOCK)
    template.save()
    return automations.automation_save(kind=kind, template=template, delay=delay, enabled=True, user_id=None)


def fall_due(campaign: Campaign) -> None:
    campaign.recipients.update(due_at=timezone.now() - timedelta(seconds=1))


@pytest.fixture
def anna(tenant):
    """A customer who ordered from widget session s-anna and agreed to marketing e-mails."""
    mug = product_make()
    widget_order(mug, email="anna@example.com", name="Anna Weber", session="s-anna")
    Customer.objects.filter(email="anna@example.com").update(marketing_consent=True)
    return Customer.objects.get(email="anna@example.com")


def test_a_design_left_unordered_is_followed_up_once_after_the_delay(anna):
    campaign = automation_on(Kind.DESIGN_ABANDONED, delay=24)
    mug = product_make()

    design = design_started(mug, session="s-anna", prompt="A fox in the snow", ready=True)
    scheduled = Recipient.objects.get(campaign=campaign)
    early = batch_send(campaign)
    fall_due(campaign)
    sent = batch_send(campaign)
    again = batch_send(campaign)

    assert scheduled.customer_id == anna.pk
    assert scheduled.key == f"design:{design.pk}"
    expected = timezone.now() + timedelta(hours=24)
    assert abs((scheduled.due_at - expected).total_seconds()) < 60
    assert (early, sent, again) == (0, 1, 0)
    assert [message.to for message in mail.outbox] == [["anna@example.com"]]
    html = mail.outbox[0].alternatives[0][0]
    assert "Your design is waiting" in html
    assert "/designs/assets/" in html
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENDING  # an automation never finishes


def test_a_design_ordered_before_its_reminder_is_due_gets_none(anna):
    campaign = automation_on(Kind.DESIGN_ABANDONED)
    mug = product_make()
    design = design_started(mug, session="s-anna", prompt="A fox in the snow", ready=True)
    order_make(design, customer=ANNA, shopper_session="s-anna")
    fall_due(campaign)

    batch_send(campaign)

    assert mail.outbox == []
    row = Recipient.objects.get(campaign=campaign, key=f"design:{design.pk}")
    assert (row.status, row.error) == ("skipped", "no longer due: the design was ordered")


def test_nothing_is_scheduled_for_a_stranger_without_consent_or_while_off(anna):
    campaign = automation_on(Kind.DESIGN_ABANDONED)
    mug = product_make()

    design_started(mug, session="s-stranger", prompt="A fox", ready=True)  # nobody known
    Customer.objects.filter(pk=anna.pk).update(marketing_consent=False)
    design_started(mug, session="s-anna", prompt="A fox", ready=True)
    Customer.objects.filter(pk=anna.pk).update(marketing_consent=True)
    automations.automation_save(
        kind=Kind.DESIGN_ABANDONED, template=campaign.template, delay=24, enabled=False, user_id=None
    )
    design_started(mug, session="s-anna", prompt="A fox", ready=True)

    assert not Recipient.objects.filter(campaign=campaign).exists()


def test_turned_off_what_is_due_waits_and_leaves_when_turned_on(anna, send_eagerly):
    campaign = automation_on(Kind.DESIGN_ABANDONED)
    design_started(product_make(), session="s-anna", prompt="A fox", ready=True)
    fall_due(campaign)
    automations.automation_save(
        kind=Kind.DESIGN_ABANDONED, template=campaign.template, delay=24, enabled=False, user_id=None
    )

    off = batch_send(campaign)
    with send_eagerly():
        automations.automation_save(
            kind=Kind.DESIGN_ABANDONED, template=campaign.template, delay=24, enabled=True, user_id=None
        )

    assert off == 0
    assert [message.to for message in mail.outbox] == [["anna@example.com"]]


def test_an_occasion_in_an_ordered_design_is_remembered_every_year(tenant):
    campaign = automation_on(Kind.OCCASION, delay=14)
    mug = product_make()
    birthday = ["Joyeux anniversaire Marie 25.03.1986"]

    widget_order(mug, email="lea@example.fr", name="Léa Roux", session="s-lea", texts=birthday)
    without_consent = Recipient.objects.filter(campaign=campaign).count()
    Customer.objects.filter(email="lea@example.fr").update(marketing_consent=True)
    widget_order(mug, email="lea@example.fr", name="Léa Roux", session="s-lea", texts=birthday)
    first = Recipient.objects.get(campaign=campaign)
    fall_due(campaign)
    batch_send(campaign)
    following = Recipient.objects.filter(campaign=campaign).exclude(pk=first.pk).get()

    on = date.fromisoformat(first.key.rsplit(":", 1)[1])
    due = timezone.localtime(first.due_at)
    assert without_consent == 0
    assert ":birthday:" in first.key
    assert (on.month, on.day) == (3, 25)
    assert on > timezone.localdate() + timedelta(days=300)  # the next birthday after the one it was for
    assert (due.date(), due.hour, due.minute) == (on - timedelta(days=14), 9, 0)
    assert [message.to for message in mail.outbox] == [["lea@example.fr"]]
    assert following.key == first.key.replace(on.isoformat(), on.replace(year=on.year + 1).isoformat())
    assert following.status == Recipient.Status.QUEUED


def test_the_tick_starts_an_automation_whose_messages_fell_due(anna):
    campaign = automation_on(Kind.DESIGN_ABANDONED)
    design_started(product_make(), session="s-anna", prompt="A fox", ready=True)

    waiting = stalled()
    fall_due(campaign)
    due = stalled()

    assert campaign not in waiting
    assert campaign in due


def test_an_automation_is_paused_and_resumed_but_never_cancelled_or_listed_as_a_campaign(tenant):
    campaign = automation_on(Kind.OCCASION)

    with pytest.raises(Conflict):
        services.campaign_cancel(campaign=campaign)
    with pytest.raises(Conflict):
        services.campaign_start(campaign=campaign)
    paused = services.campaign_pause(campaign=campaign)

    assert paused.status == Campaign.Status.PAUSED
    assert campaign not in campaign_list()


@pytest.mark.parametrize(
    ("delay", "kind"), [(0, Kind.OCCASION), (61, Kind.OCCASION), (721, Kind.DESIGN_ABANDONED)]
)
def test_a_delay_out_of_range_is_refused(tenant, delay, kind):
    with pytest.raises(ValidationFailed):
        automations.automation_save(
            kind=kind, template=template_make(), delay=delay, enabled=True, user_id=None
        )


# --- the page ------------------------------------------------------------------------------------


def test_the_page_sets_up_an_automation_and_shows_what_it_sent(tenant):
    template = template_make()
    client = dashboard_client(tenant, member(tenant, Role.EDITOR))

    empty = client.get("/campaigns/automations/")
    saved = client.post(
        "/campaigns/automations/design_abandoned/", {"template": template.pk, "delay": "6", "enabled": "on"}
    )
    page = client.get("/campaigns/automations/")
    listed = client.get("/campaigns/")

    assert empty.status_code == 200
    assert "Left a design unordered" in empty.text
    assert saved.status_code == 302
    campaign = Campaign.objects.get(automation=Kind.DESIGN_ABANDONED)
    assert (campaign.template, campaign.automation_delay, campaign.status) == (template, 6, "sending")
    assert 'id="automation-design_abandoned"' in page.text
    assert "Left a design unordered" not in listed.text  # not among the campaigns


def test_without_a_template_the_page_says_to_make_one_first(tenant):
    client = dashboard_client(tenant, member(tenant, Role.EDITOR))

    page = client.get("/campaigns/automations/")

    assert 'id="automations-onboarding"' in page.text
    assert "<form" not in page.text.split('id="automations-onboarding"')[1].split("</section>")[0]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"delay": "0", "enabled": "on"}, "greater than or equal to 1"),
        ({"delay": "100", "enabled": "on"}, "less than or equal to 60"),
        ({"delay": "six", "enabled": "on"}, "Enter a whole number"),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_saved(tenant, data, message):
    template = template_make()
    client = dashboard_client(tenant, member(tenant, Role.EDITOR))

    response = client.post("/campaigns/automations/occasion/", {"template": template.pk, **data})

    assert response.status_code == 400
    assert message in response.text
    assert not Campaign.objects.filter(automation=Kind.OCCASION).exists()


def test_a_viewer_reads_but_cannot_change_and_an_unknown_kind_is_404(tenant):
    template = template_make()
    viewer = dashboard_client(tenant, member(tenant, Role.VIEWER))
    editor = dashboard_client(tenant, member(tenant, Role.EDITOR))

    page = viewer.get("/campaigns/automations/")
    refused = viewer.post("/campaigns/automations/occasion/", {"template": template.pk, "delay": "3"})
    unknown = editor.post("/campaigns/automations/birthday/", {"template": template.pk, "delay": "3"})

    assert page.status_code == 200
    assert "<form" not in page.text.split('id="automation-occasion"')[1]
    assert refused.status_code == 403
    assert unknown.status_code == 404
    assert not Campaign.objects.exclude(automation="").exists()


def test_another_workspace_sees_nothing_of_an_automation(other_tenant, tenant):
    campaign = automation_on(Kind.OCCASION)
    template = campaign.template
    connection.set_tenant(other_tenant)
    intruder = dashboard_client(other_tenant, member(other_tenant, Role.OWNER))

    page = intruder.get("/campaigns/automations/")
    report = intruder.get(f"/campaigns/{campaign.pk}/")
    changed = intruder.post("/campaigns/automations/occasion/", {"template": template.pk, "delay": "3"})
    connection.set_tenant(tenant)

    assert page.status_code == 200
    assert "Results and recipients" not in page.text
    assert report.status_code == 404
    assert changed.status_code == 400  # this workspace's template is no choice there
    campaign.refresh_from_db()
    assert campaign.automation_delay == 24


# --- the API -------------------------------------------------------------------------------------

API = "/api/v1/campaigns/automations"


def _put(client, path, data):
    return client.put(path, json.dumps(data), content_type="application/json")


def test_the_api_lists_sets_up_and_turns_off_an_automation(tenant):
    template = template_make()
    client = api_client(tenant, ["campaigns:read", "campaigns:write"])

    before = client.get(API)
    on = _put(client, f"{API}/occasion", {"template": template.pk, "delay": 10, "enabled": True})
    off = _put(client, f"{API}/occasion", {"template": template.pk, "delay": 10, "enabled": False})
    report = client.get(f"/api/v1/campaigns/{off.json()['campaign']}")

    assert [(row["kind"], row["enabled"], row["campaign"]) for row in before.json()] == [
        ("design_abandoned", False, None),
        ("occasion", False, None),
    ]
    assert (on.status_code, on.json()["enabled"], on.json()["delay"]) == (200, True, 10)
    assert (off.json()["enabled"], off.json()["campaign"]) == (False, on.json()["campaign"])
    assert report.json()["automation"] == "occasion"
    assert report.json()["audience"] is None
    assert Campaign.objects.get(automation="occasion").status == Campaign.Status.PAUSED


@pytest.mark.parametrize(
    ("path", "data", "status", "code"),
    [
        ("occasion", {"delay": 61, "enabled": True}, 400, "validation_error"),
        ("occasion", {"delay": 5, "enabled": True, "extra": 1}, 400, "validation_error"),
        ("occasion", {"delay": "5\u0000", "enabled": True}, 400, None),
        ("occasion", {"template": 999999, "delay": 5, "enabled": True}, 404, None),
        ("birthday", {"delay": 5, "enabled": True}, 404, None),
    ],
)
def test_the_api_refuses_bad_input_in_the_error_format(tenant, path, data, status, code):
    template = template_make()
    client = api_client(tenant, ["campaigns:read", "campaigns:write"])

    response = _put(client, f"{API}/{path}", {"template": template.pk, **data})

    assert response.status_code == status
    assert "error" in response.json()
    if code:
        assert error_code(response) == code
    assert not Campaign.objects.exclude(automation="").exists()


def test_the_api_needs_the_write_scope_and_another_workspaces_key_sees_none(other_tenant, tenant):
    campaign = automation_on(Kind.OCCASION)
    reader = api_client(tenant, ["campaigns:read"])
    with tenant_context(other_tenant):
        stranger = api_client(other_tenant, ["campaigns:read", "campaigns:write"])

    refused = _put(
        reader, f"{API}/occasion", {"template": campaign.template_id, "delay": 3, "enabled": False}
    )
    theirs = stranger.get(API)
    borrowed = _put(
        stranger, f"{API}/occasion", {"template": campaign.template_id, "delay": 3, "enabled": True}
    )
    report = stranger.get(f"/api/v1/campaigns/{campaign.pk}")
    connection.set_tenant(tenant)

    assert refused.status_code == 403
    assert [row["campaign"] for row in theirs.json()] == [None, None]
    assert borrowed.status_code == 404
    assert report.status_code == 404
    campaign.refresh_from_db()
    assert (campaign.automation_delay, campaign.status) == (24, Campaign.Status.SENDING)
