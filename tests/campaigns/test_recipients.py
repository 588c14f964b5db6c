"""What recipients open from a message: one-click unsubscribe (RFC 8058), the preference centre and
the click redirect; the suppression list no later campaign bypasses."""

import base64
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from apps.campaigns import services
from apps.campaigns.links import brevo_webhook_credentials, brevo_webhook_url, click_url
from apps.campaigns.models import Campaign, Recipient, Suppression, TrackingEvent
from apps.campaigns.sending import batch_send
from apps.crm.models import ConsentEvent
from tests.support.campaigns import campaign_make
from tests.support.crm_pages import customer_make
from tests.support.workspaces import host


@pytest.fixture
def sent(tenant):
    """A campaign sent to Loïc; his send log row."""
    loic = customer_make(first_name="Loïc", email="loic@example.fr", marketing_consent=True)
    campaign = campaign_make()
    services.campaign_start(campaign=campaign)
    batch_send(campaign)
    return Recipient.objects.get(customer=loic)


@pytest.fixture
def visitor(tenant) -> Client:
    """Someone with no session, on the workspace's host, as a mail client or a browser."""
    return Client(HTTP_HOST=host(tenant), enforce_csrf_checks=True)


def test_opening_the_unsubscribe_link_only_asks(sent, visitor):
    page = visitor.get(f"/e/u/{sent.token}/")

    assert page.status_code == 200
    assert "Stop receiving e-mails from" in page.text
    sent.customer.refresh_from_db()
    assert sent.customer.marketing_consent is True
    assert not Suppression.objects.exists()


def test_one_click_post_unsubscribes_logs_consent_and_suppresses(sent, visitor):
    answer = visitor.post(f"/e/u/{sent.token}/", {"List-Unsubscribe": "One-Click"}, REMOTE_ADDR="203.0.113.9")

    assert answer.status_code == 200
    sent.refresh_from_db()
    sent.customer.refresh_from_db()
    assert sent.status == Recipient.Status.UNSUBSCRIBED
    assert sent.customer.marketing_consent is False
    assert sent.customer.consent_source == "unsubscribe link"
    event = ConsentEvent.objects.get(customer=sent.customer)
    assert (event.consent, event.ip) == (False, "203.0.113.9")
    assert Suppression.objects.get().reason == Suppression.Reason.UNSUBSCRIBED
    assert TrackingEvent.objects.get().event == "unsubscribed"


def test_the_confirmation_button_unsubscribes_and_a_later_campaign_skips_the_address(sent, visitor):
    page = visitor.post(f"/e/u/{sent.token}/")
    assert "You are unsubscribed" in page.text
    mail.outbox.clear()

    later = campaign_make(name="Autumn")
    customer_make(email="other@example.com", marketing_consent=True)
    services.campaign_start(campaign=later)
    batch_send(later)

    assert [message.to for message in mail.outbox] == [["other@example.com"]]


def test_the_preference_centre_resubscribes_and_lifts_only_an_unsubscribe(sent, visitor):
    visitor.post(f"/e/u/{sent.token}/")

    page = visitor.post(f"/e/p/{sent.token}/", {"subscribe": "yes"})

    assert "Your preferences are saved." in page.text
    sent.customer.refresh_from_db()
    assert sent.customer.marketing_consent is True
    assert not Suppression.objects.exists()
    Suppression.objects.create(email=sent.email, reason=Suppression.Reason.HARD_BOUNCE)
    visitor.post(f"/e/p/{sent.token}/", {"subscribe": "yes"})
    assert Suppression.objects.get().reason == Suppression.Reason.HARD_BOUNCE


def test_a_click_is_recorded_then_redirected_only_to_a_signed_target(sent, visitor):
    link = urlsplit(click_url(sent, "https://shop.example.com/riesling?utm=x"))

    answer = visitor.get(link.path, parse_qs(link.query))

    assert answer.status_code == 302
    assert answer["Location"] == "https://shop.example.com/riesling?utm=x"
    sent.refresh_from_db()
    assert sent.status == Recipient.Status.CLICKED
    assert TrackingEvent.objects.get().url == "https://shop.example.com/riesling?utm=x"
    assert visitor.get(link.path, {"u": "https://evil.example.com/"}).status_code == 404
    assert visitor.get(link.path, {"u": "https://evil.example.com/:forged"}).status_code == 404
    assert visitor.get("/e/c/not-a-token/", parse_qs(link.query)).status_code == 404


def test_a_token_of_one_workspace_means_nothing_on_another(other_tenant, tenant, sent):
    stranger = Client(HTTP_HOST=host(other_tenant))

    assert stranger.get(f"/e/u/{sent.token}/").status_code == 404
    assert stranger.post(f"/e/u/{sent.token}/", {"List-Unsubscribe": "One-Click"}).status_code == 404
    assert stranger.post(f"/e/p/{sent.token}/", {"subscribe": "no"}).status_code == 404
    connection.set_tenant(tenant)  # the requests left beta's schema active
    sent.customer.refresh_from_db()
    assert sent.customer.marketing_consent is True


def brevo_post(client: Client, body, auth: str | None = None):
    auth = brevo_webhook_credentials() if auth is None else auth
    headers = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(auth.encode()).decode()} if auth else {}
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post("/e/brevo/tracking/", data, content_type="application/json", **headers)


@pytest.fixture
def brevo(sent):
    Recipient.objects.filter(pk=sent.pk).update(message_id="<m1@smtp-relay.brevo.com>")
    return sent


def brevo_event(event: str, **fields) -> dict:
    return {
        "event": event,
        "email": "loic@example.fr",
        "message-id": "<m1@smtp-relay.brevo.com>",
        "ts_epoch": 1767000000000,
        **fields,
    }


def test_brevo_events_move_the_recipient_forward_and_a_hard_bounce_suppresses(brevo, visitor):
    for event in (brevo_event("click", link="https://shop.example.com/"), brevo_event("delivered")):
        assert brevo_post(visitor, event).status_code == 200
    assert brevo_post(visitor, brevo_event("delivered")).status_code == 200  # a repeat is stored once

    brevo.refresh_from_db()
    assert brevo.status == Recipient.Status.CLICKED  # the later "delivered" did not move it back
    assert sorted(brevo.events.values_list("event", flat=True)) == ["clicked", "delivered"]
    brevo_post(visitor, brevo_event("hard_bounce", reason="550 no such user", ts_epoch=1767000100000))
    assert Suppression.objects.get(email="loic@example.fr").reason == Suppression.Reason.HARD_BOUNCE
    brevo_post(visitor, brevo_event("soft_bounce", ts_epoch=1767000200000))
    assert brevo.events.count() == 3


def test_brevo_unsubscribe_and_complaint_withdraw_consent_and_suppress(brevo, visitor):
    brevo_post(visitor, brevo_event("spam"))
    brevo_post(visitor, brevo_event("unsubscribe", ts_epoch=1767000100000))

    brevo.customer.refresh_from_db()
    assert brevo.customer.marketing_consent is False
    assert Suppression.objects.get().reason == Suppression.Reason.COMPLAINT


@pytest.mark.parametrize(
    ("auth", "body", "status"),
    [
        ("", None, 400),
        ("brevo:wrong", None, 400),
        (None, "{not json", 400),
        (None, "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", 400),
    ],
)
def test_brevo_webhook_refuses_without_the_secret_and_bad_bodies_get_a_clear_error(
    brevo, visitor, auth, body, status
):
    answer = brevo_post(visitor, body if body is not None else brevo_event("delivered"), auth=auth)

    assert answer.status_code == status
    assert not brevo.events.exists()


def test_brevo_webhook_credentials_are_the_workspaces_own(other_tenant, tenant, brevo):
    alphas = brevo_webhook_credentials()
    stranger = Client(HTTP_HOST=host(other_tenant))

    assert brevo_post(stranger, brevo_event("delivered"), auth=alphas).status_code == 400
    connection.set_tenant(tenant)
    assert not brevo.events.exists()
    assert alphas.startswith("brevo:")
    assert f"://{alphas}@{host(tenant)}/e/brevo/tracking/" in brevo_webhook_url()


def test_opens_are_tracked_only_when_the_campaign_asks(tenant, visitor):
    customer_make(email="loic@example.fr", marketing_consent=True)
    quiet, tracked = campaign_make(name="Quiet"), campaign_make(name="Tracked")
    Campaign.objects.filter(pk=tracked.pk).update(track_opens=True)
    for campaign in (quiet, tracked):
        services.campaign_start(campaign=campaign)
        batch_send(campaign)

    quiet_html, tracked_html = (message.alternatives[0][0] for message in mail.outbox)
    recipient = Recipient.objects.get(campaign=tracked)
    assert "/e/o/" not in quiet_html
    assert f"/e/o/{recipient.token}.gif" in tracked_html
    for _ in range(2):
        image = visitor.get(f"/e/o/{recipient.token}.gif")
        assert image["Content-Type"] == "image/gif"
    assert list(recipient.events.values_list("event", flat=True)) == ["opened"]
    recipient.refresh_from_db()
    assert recipient.status == Recipient.Status.OPENED
