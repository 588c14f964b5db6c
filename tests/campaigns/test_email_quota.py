"""The plan's campaign e-mails: a campaign that would go over them does not start (402, the
dashboard says why), and one that reaches them mid-send pauses with the reason instead of sending
over; only messages that left are counted."""

import pytest
from django.core import mail

from apps.billing.entitlements import email_quota_reserve, emails_used
from apps.billing.errors import QuotaExceeded
from apps.billing.models import Plan
from apps.billing.services import plan_get, subscription_assign
from apps.campaigns import services
from apps.campaigns.models import Campaign, Recipient
from apps.campaigns.sending import batch_send
from apps.campaigns.tasks import campaigns_tick_task
from apps.crm.services import customer_update
from apps.tenants.models import Role
from tests.support.campaigns import campaign_make
from tests.support.clients import dashboard_client
from tests.support.crm_pages import customer_make
from tests.support.workspaces import member


def emails_a_month(tenant, count: int | None) -> None:
    plan = plan_get(Plan.Code.PRO)
    plan.emails_per_month = count
    plan.save()
    subscription_assign(tenant=tenant, plan=plan)


@pytest.fixture
def readers(tenant):
    return [customer_make(email=f"reader{n}@example.com", marketing_consent=True) for n in range(3)]


def test_a_campaign_over_the_months_emails_does_not_start(tenant, readers):
    # Given 3 consenting readers and 2 e-mails left this month
    emails_a_month(tenant, 5)
    email_quota_reserve(3, tenant)
    campaign = campaign_make()

    # When it is sent now
    with pytest.raises(QuotaExceeded) as refused:
        services.campaign_start(campaign=campaign)

    # Then it is refused, stays a draft with no send log, and nothing is counted
    assert refused.value.details["requested"] == 3
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    assert not Recipient.objects.filter(campaign=campaign).exists()
    assert emails_used(tenant) == 3


def test_the_dashboard_says_why_it_did_not_start(tenant, readers):
    emails_a_month(tenant, 2)
    campaign = campaign_make()
    client = dashboard_client(tenant, member(tenant, Role.OWNER, email="boss@alpha.test"))

    response = client.post(
        f"/campaigns/{campaign.pk}/start/", {"when": "now", "time_zone": "UTC"}, follow=True
    )

    assert response.status_code == 200
    assert "This would send 3 e-mails, and the plan leaves 2 of its 2 this month." in response.text
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


def test_a_scheduled_campaign_over_the_quota_is_cancelled_saying_why(tenant, readers):
    emails_a_month(tenant, 1)
    campaign = campaign_make()
    Campaign.objects.filter(pk=campaign.pk).update(
        status=Campaign.Status.SCHEDULED, scheduled_at="2020-01-01T00:00Z"
    )

    campaigns_tick_task()

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CANCELLED
    assert "the plan leaves 1 of its 1" in campaign.paused_reason


def test_reaching_the_quota_mid_send_pauses_instead_of_sending_over(tenant, readers):
    # Given a campaign started with 3 e-mails left, then 2 used elsewhere (another campaign)
    emails_a_month(tenant, 3)
    campaign = services.campaign_start(campaign=campaign_make())
    email_quota_reserve(2, tenant)
    mail.outbox.clear()

    # When its batch is sent
    batch_send(campaign)

    # Then one message leaves, the campaign pauses saying why, the other two wait in the queue
    campaign.refresh_from_db()
    assert len(mail.outbox) == 1
    assert campaign.status == Campaign.Status.PAUSED
    assert "e-mails of the plan are used up" in campaign.paused_reason
    statuses = sorted(Recipient.objects.filter(campaign=campaign).values_list("status", flat=True))
    assert statuses == ["queued", "queued", "sent"]
    assert emails_used(tenant) == 3

    # And after an upgrade, resuming sends the rest
    emails_a_month(tenant, 10)
    services.campaign_resume(campaign=campaign)
    batch_send(campaign)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT
    assert len(mail.outbox) == 3
    assert emails_used(tenant) == 5


def test_only_messages_that_left_are_counted(tenant, readers, send_eagerly):
    # Given a reader who withdraws consent after the campaign was queued
    emails_a_month(tenant, 10)
    campaign = services.campaign_start(campaign=campaign_make())
    customer_update(customer=readers[0], marketing_consent=False, consent_source="test")

    # When it is sent
    with send_eagerly():
        services.campaign_resume(campaign=services.campaign_pause(campaign=campaign))

    # Then two messages left and two are counted
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT
    assert len(mail.outbox) == 2
    assert emails_used(tenant) == 2


def test_nothing_is_counted_when_the_mail_server_cannot_be_reached(tenant, readers, settings):
    # Given a campaign sending through a mail server nobody listens on
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    emails_a_month(tenant, 10)
    campaign = services.campaign_start(campaign=campaign_make())

    # When its batch fails
    with pytest.raises(OSError, match="refused"):
        batch_send(campaign)

    # Then its recipients wait for the retry and the month's e-mails are untouched
    assert set(Recipient.objects.filter(campaign=campaign).values_list("status", flat=True)) == {"queued"}
    assert emails_used(tenant) == 0
