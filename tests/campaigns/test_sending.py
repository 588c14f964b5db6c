"""Sending a campaign: to consenting, unsuppressed addresses only, once each whatever happens to
the worker, throttled, scheduled, paused, resumed, cancelled; through SMTP or Brevo's API."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from anymail.exceptions import AnymailAPIError
from django.core import mail
from django.db import connection
from django.utils import timezone

from apps.campaigns import services
from apps.campaigns.delivery import brevo_key
from apps.campaigns.models import Campaign, Recipient, SendingSettings, Suppression
from apps.campaigns.selectors import campaign_revenue
from apps.campaigns.sending import batch_send, stalled, stuck_sweep
from apps.campaigns.tasks import campaigns_tick_task
from apps.core.errors import Conflict
from apps.crm.models import CustomerOrder
from apps.crm.services import customer_update
from apps.orders.models import Order
from apps.tenants.models import Role
from tests.support.campaigns import campaign_make
from tests.support.clients import dashboard_client
from tests.support.crm_pages import customer_make, score_make
from tests.support.http import QuietHandler, http_server
from tests.support.workspaces import host, member


@pytest.fixture
def readers(tenant):
    """Three consenting readers (two sharing an address), one who refused, one suppressed."""
    return {
        "loic": customer_make(
            first_name="Loïc", email="loic@example.fr", marketing_consent=True, language="fr"
        ),
        "anna": customer_make(first_name="Anna", email="anna@example.com", marketing_consent=True),
        "anna_twin": customer_make(
            first_name="Anna", last_name="B", email="anna@example.com", marketing_consent=True
        ),
        "marie": customer_make(first_name="Marie", email="marie@example.fr", marketing_consent=False),
        "bob": customer_make(first_name="Bob", email="bob@example.fr", marketing_consent=True),
        "suppressed": Suppression.objects.create(email="bob@example.fr", reason=Suppression.Reason.COMPLAINT),
    }


def statuses(campaign) -> dict[str, str]:
    return dict(Recipient.objects.filter(campaign=campaign).values_list("email", "status"))


def test_sending_now_writes_once_to_each_consenting_address_with_one_click_unsubscribe(
    tenant, readers, send_eagerly
):
    campaign = campaign_make()

    with send_eagerly():
        services.campaign_start(campaign=campaign)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT
    assert campaign.finished_at
    assert sorted(message.to[0] for message in mail.outbox) == ["anna@example.com", "loic@example.fr"]
    assert statuses(campaign) == {"anna@example.com": "sent", "loic@example.fr": "sent"}
    loic = next(message for message in mail.outbox if message.to == ["loic@example.fr"])
    recipient = Recipient.objects.get(email="loic@example.fr")
    assert loic.subject == "Du nouveau pour Loïc"  # the recipient's language
    assert loic.extra_headers["List-Unsubscribe"] == f"<http://{host(tenant)}/e/u/{recipient.token}/>"
    assert loic.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = loic.alternatives[0][0]
    assert f"/e/c/{recipient.token}/?u=" in html  # the button goes through the click redirect
    assert "https://shop.example.com/riesling" not in html.replace("&amp;", "&").split("?u=")[0]


def test_running_the_task_again_sends_nothing_twice(readers, send_eagerly):
    campaign = campaign_make()
    with send_eagerly():
        services.campaign_start(campaign=campaign)
    sent = len(mail.outbox)

    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.SENDING)
    assert batch_send(campaign) == 0
    assert services.recipients_queue(campaign) == 0  # the send log is written once

    assert len(mail.outbox) == sent == 2


def test_batches_follow_the_workspace_rate(readers, settings):
    settings.CAMPAIGNS_RATE_PER_MINUTE = 1
    campaign = campaign_make()
    services.campaign_start(campaign=campaign)  # tasks not run: queued after a commit that never comes

    assert batch_send(campaign) == 1
    assert len(mail.outbox) == 1
    assert batch_send(campaign) == 1
    assert len(mail.outbox) == 2
    assert batch_send(campaign) == 0
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT


def test_consent_withdrawn_after_queueing_is_respected_at_send_time(readers):
    campaign = campaign_make()
    services.campaign_start(campaign=campaign)
    customer_update(customer=readers["loic"], marketing_consent=False, consent_source="phone call")

    batch_send(campaign)

    assert [message.to for message in mail.outbox] == [["anna@example.com"]]
    assert statuses(campaign)["loic@example.fr"] == "skipped"


def test_a_refused_address_fails_alone(readers, smtp_server):
    smtp_server.answers = [554]  # the first message is refused
    campaign = campaign_make()
    services.campaign_start(campaign=campaign)

    batch_send(campaign)

    assert sorted(statuses(campaign).values()) == ["failed", "sent"]
    assert len(smtp_server.received) == 1
    assert "554" in Recipient.objects.get(status="failed").error


def test_an_unreachable_mail_server_leaves_the_messages_queued_for_the_retry(readers, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    settings.EMAIL_USE_TLS = False
    campaign = campaign_make()
    services.campaign_start(campaign=campaign)

    with pytest.raises(OSError, match="refused"):
        batch_send(campaign)

    assert set(statuses(campaign).values()) == {"queued"}


def test_a_worker_lost_mid_send_is_not_sent_again_and_a_lost_task_is_resumed(readers):
    campaign = campaign_make()
    services.campaign_start(campaign=campaign)
    first = Recipient.objects.filter(campaign=campaign).order_by("pk").first()
    long_ago = timezone.now() - timedelta(minutes=30)
    Recipient.objects.filter(pk=first.pk).update(status=Recipient.Status.SENDING, status_at=long_ago)
    Recipient.objects.filter(campaign=campaign).exclude(pk=first.pk).update(status_at=long_ago)

    assert stalled() == [campaign]
    assert stuck_sweep() == 1
    batch_send(campaign)

    first.refresh_from_db()
    assert first.status == "failed"
    assert "not sent again" in first.error
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to != [first.email]


def test_a_scheduled_campaign_starts_on_the_minutes_tick(readers, send_eagerly):
    campaign = campaign_make()
    services.campaign_start(campaign=campaign, at=timezone.now() + timedelta(hours=2))
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SCHEDULED
    assert not mail.outbox

    assert campaigns_tick_task()["started"] == 0
    Campaign.objects.filter(pk=campaign.pk).update(scheduled_at=timezone.now() - timedelta(seconds=1))
    with send_eagerly():
        assert campaigns_tick_task()["started"] == 1

    assert len(mail.outbox) == 2


def test_a_scheduled_campaign_with_nobody_left_ends_saying_why(tenant):
    customer_make(email="x@example.com", marketing_consent=False)
    campaign = campaign_make()
    services.campaign_start(campaign=campaign, at=timezone.now() + timedelta(hours=1))
    Campaign.objects.filter(pk=campaign.pk).update(scheduled_at=timezone.now() - timedelta(minutes=1))

    campaigns_tick_task()

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CANCELLED
    assert "Nobody" in campaign.paused_reason


def test_pause_resume_and_cancel(readers, settings):
    settings.CAMPAIGNS_RATE_PER_MINUTE = 1
    campaign = campaign_make()
    with pytest.raises(Conflict):
        services.campaign_pause(campaign=campaign)  # a draft is not sending
    services.campaign_start(campaign=campaign)
    services.campaign_pause(campaign=campaign)

    assert batch_send(campaign) == 0
    assert not mail.outbox
    services.campaign_resume(campaign=campaign)
    assert batch_send(campaign) == 1
    services.campaign_cancel(campaign=campaign)

    assert batch_send(campaign) == 0
    assert len(mail.outbox) == 1
    assert sorted(statuses(campaign).values()) == ["sent", "skipped"]
    with pytest.raises(Conflict):
        services.campaign_start(campaign=campaign)


class BrevoHandler(QuietHandler):
    """Brevo's send endpoint: answers each message with the next code of `answers` (then 201)."""

    requests: list = []
    answers: list = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        BrevoHandler.requests.append((self.path, self.headers["api-key"], body))
        code = BrevoHandler.answers.pop(0) if BrevoHandler.answers else 201
        payload = {"messageId": f"<brevo-{len(BrevoHandler.requests)}@smtp-relay.brevo.com>"}
        if code != 201:
            payload = {"code": "invalid_parameter", "message": f"refused with {code}"}
        answer = json.dumps(payload).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


@pytest.fixture
def brevo_api(settings):
    BrevoHandler.requests, BrevoHandler.answers = [], []
    with http_server(BrevoHandler) as url:
        settings.BREVO_API_KEY = "xkeysib-test"
        settings.ANYMAIL = {**settings.ANYMAIL, "BREVO_API_URL": f"{url}/v3/"}
        yield BrevoHandler


def test_a_brevo_4xx_fails_the_recipient_with_the_reason_and_a_5xx_is_retried(readers, brevo_api):
    brevo_api.answers = [400, 503]
    campaign = campaign_make()
    services.campaign_start(campaign=campaign)

    with pytest.raises(AnymailAPIError):
        batch_send(campaign)  # the 503: the task retries the batch later
    assert sorted(statuses(campaign).values()) == ["failed", "queued"]
    assert "refused with 400" in Recipient.objects.get(status="failed").error
    batch_send(campaign)

    assert sorted(statuses(campaign).values()) == ["failed", "sent"]
    assert len(brevo_api.requests) == 3


def test_a_provider_failing_again_and_again_pauses_the_campaign_saying_why(readers, brevo_api, send_eagerly):
    brevo_api.answers = [503] * 10
    campaign = campaign_make()

    with send_eagerly():
        services.campaign_start(campaign=campaign)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PAUSED
    assert "Paused after 6 failed attempts" in campaign.paused_reason
    assert set(statuses(campaign).values()) == {"queued"}
    assert len(brevo_api.requests) == 6


def test_with_a_brevo_key_messages_leave_through_brevos_api(readers, brevo_api):
    campaign = campaign_make()
    services.campaign_start(campaign=campaign)
    batch_send(campaign)

    assert len(brevo_api.requests) == 2
    assert not mail.outbox
    path, key, body = brevo_api.requests[0]
    assert (path, key) == ("/v3/smtp/email", "xkeysib-test")
    assert body["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert body["htmlContent"]
    assert body["textContent"]
    assert set(Recipient.objects.values_list("message_id", flat=True)) == {
        "<brevo-1@smtp-relay.brevo.com>",
        "<brevo-2@smtp-relay.brevo.com>",
    }


def test_the_dashboard_creates_starts_and_follows_a_campaign(tenant, readers, send_eagerly):
    client = dashboard_client(tenant, member(tenant, Role.EDITOR))
    draft = campaign_make()
    Campaign.objects.all().delete()

    created = client.post(
        "/campaigns/new/",
        {
            "name": "Spring",
            "audience": draft.audience.pk,
            "template": draft.template.pk,
            "attribution_days": 7,
        },
    )
    campaign = Campaign.objects.get(name="Spring")
    assert created["Location"] == f"/campaigns/{campaign.pk}/"
    draft_page = client.get(created["Location"])
    assert "2 addresses will receive it" in draft_page.text
    assert "1 left out: shares an e-mail address with another customer" in draft_page.text
    with send_eagerly():
        client.post(f"/campaigns/{campaign.pk}/start/", {"when": "now", "time_zone": "UTC"})

    page = client.get(f"/campaigns/{campaign.pk}/")
    assert page.context["progress"].funnel["sent"] == 2
    assert page.context["progress"].percent == 100
    assert "Spring" in client.get("/campaigns/").text
    rows = b"".join(client.get(f"/campaigns/{campaign.pk}/recipients.csv").streaming_content).decode()
    assert rows.splitlines()[0].startswith("email,language,segment,status")
    assert "loic@example.fr" in rows
    assert client.get(f"/campaigns/{campaign.pk}/progress/").status_code == 200


def test_the_dashboard_schedules_in_the_chosen_time_zone_and_refuses_a_second_start(tenant, readers):
    client = dashboard_client(tenant, member(tenant, Role.EDITOR))
    campaign = campaign_make()
    next_year = timezone.now().year + 1

    client.post(
        f"/campaigns/{campaign.pk}/start/",
        {"when": "later", "at": f"{next_year}-03-01T09:00", "time_zone": "Asia/Shanghai"},
    )
    campaign.refresh_from_db()
    assert campaign.status == "scheduled"
    assert campaign.scheduled_at.isoformat() == f"{next_year}-03-01T01:00:00+00:00"

    services.campaign_cancel(campaign=campaign)
    page = client.post(f"/campaigns/{campaign.pk}/start/", {"when": "now", "time_zone": "UTC"}, follow=True)
    assert page.status_code == 200
    assert "cannot be done now" in page.text
    assert client.post(f"/campaigns/{campaign.pk}/explode/").status_code == 404


def test_viewers_cannot_send_and_other_workspaces_cannot_see(other_tenant, tenant, readers):
    campaign = campaign_make()
    viewer = dashboard_client(tenant, member(tenant, Role.VIEWER))
    intruder = dashboard_client(other_tenant, member(other_tenant, Role.OWNER))

    assert viewer.get(f"/campaigns/{campaign.pk}/").status_code == 200
    assert (
        viewer.post(f"/campaigns/{campaign.pk}/start/", {"when": "now", "time_zone": "UTC"}).status_code
        == 403
    )
    for path in ("/", "/progress/", "/recipients.csv"):
        assert intruder.get(f"/campaigns/{campaign.pk}{path}").status_code == 404
    assert (
        intruder.post(f"/campaigns/{campaign.pk}/start/", {"when": "now", "time_zone": "UTC"}).status_code
        == 404
    )
    assert intruder.post(f"/campaigns/{campaign.pk}/cancel/").status_code == 404
    connection.set_tenant(tenant)  # the requests left beta's schema active
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


def test_the_campaigns_item_opens_an_onboarding_instead_of_coming_soon(as_role):
    page = as_role(Role.VIEWER).get("/campaigns/")

    assert "Coming soon" not in page.text
    assert 'href="/campaigns/" class="active" aria-current="page"' in page.text
    assert "Write to your customers" in page.text
    assert 'href="/campaigns/audiences/new/"' in page.text


def test_revenue_counts_orders_within_the_window_after_a_click_by_segment(tenant, readers):
    score_make(readers["loic"], "champions")
    campaign = campaign_make()
    services.campaign_start(campaign=campaign)
    batch_send(campaign)
    loic = Recipient.objects.get(email="loic@example.fr")
    clicked_at = timezone.now() - timedelta(days=10)
    services.event_record(
        services.Event(recipient=loic, kind="clicked", at=clicked_at, url="https://x.example/")
    )

    def order(customer, *, days_after: float, total: str, **fields):
        placed = Order.objects.create(
            number=Order.objects.count() + 1,
            source="api",
            customer_email=customer.email,
            customer_name="X",
            currency="EUR",
            total=Decimal(total),
            created_at=clicked_at + timedelta(days=days_after),
            **fields,
        )
        CustomerOrder.objects.create(customer=customer, order=placed)

    order(readers["loic"], days_after=2, total="30.00")  # counted
    order(readers["loic"], days_after=6.5, total="12.50")  # counted: within 7 days
    order(readers["loic"], days_after=8, total="99.00")  # too late
    order(readers["loic"], days_after=-1, total="99.00")  # before the click
    order(readers["loic"], days_after=3, total="99.00", status=Order.Status.CANCELLED)
    order(readers["anna"], days_after=1, total="99.00")  # never clicked

    revenue = campaign_revenue(campaign)

    assert revenue.orders == 2
    assert revenue.by_currency == {"EUR": Decimal("42.50")}
    by_segment = {
        row.label: (row.recipients, row.sent, row.clicked, row.orders, row.revenue)
        for row in revenue.segments
    }
    assert by_segment == {"Champions": (1, 1, 1, 2, Decimal("42.50")), "—": (1, 1, 0, 0, Decimal(0))}
    page = dashboard_client(tenant, member(tenant, Role.VIEWER)).get(f"/campaigns/{campaign.pk}/")
    assert "2 orders within 7 days of a click" in page.text
    assert "42.50 EUR" in page.text


def test_a_workspace_sends_through_its_own_brevo_account_sender_and_rate(tenant, readers, brevo_api):
    admin = dashboard_client(tenant, member(tenant, Role.ADMIN))
    page = admin.post(
        "/campaigns/settings/",
        {"brevo_api_key": "xkeysib-alpha-0042", "from_email": "News@Alpha.example", "rate_per_minute": 1},
        follow=True,
    )
    assert "key ending …0042" in page.text
    assert "xkeysib-alpha-0042" not in page.text
    saved = SendingSettings.objects.get()
    assert saved.brevo_api_key.startswith("gAAAA")  # encrypted at rest (Fernet)
    assert "xkeysib" not in saved.brevo_api_key

    campaign = campaign_make()
    services.campaign_start(campaign=campaign)
    assert batch_send(campaign) == 1  # the workspace's rate

    path, key, body = brevo_api.requests[0]
    assert key == "xkeysib-alpha-0042"
    assert body["sender"] == {"name": "Alpha", "email": "news@alpha.example"}
    admin.post("/campaigns/settings/", {"remove_key": "on", "from_email": "", "rate_per_minute": ""})
    batch_send(campaign)
    assert brevo_api.requests[1][1] == "xkeysib-test"  # the platform's key again


def test_only_admins_change_the_sending_settings_and_another_workspace_never_uses_them(
    other_tenant, tenant, readers
):
    editor = dashboard_client(tenant, member(tenant, Role.EDITOR))
    assert editor.get("/campaigns/settings/").status_code == 403
    assert editor.post("/campaigns/settings/", {"brevo_api_key": "x"}).status_code == 403
    services.sending_settings_save(brevo_api_key="xkeysib-alpha", from_email="", rate_per_minute=None)

    connection.set_tenant(other_tenant)
    assert brevo_key() == ""  # beta has none: the platform's (none here)
    connection.set_tenant(tenant)
    assert brevo_key() == "xkeysib-alpha"
