"""Double opt-in: the sign-up page sends a confirmation with a signed, expiring link; only the
confirmation (a POST) gives consent, logged with time, IP address and source."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from apps.campaigns.models import Suppression
from apps.crm.models import ConsentEvent, Customer
from tests.support.crm_pages import customer_make
from tests.support.workspaces import host


@pytest.fixture
def visitor(tenant) -> Client:
    return Client(HTTP_HOST=host(tenant), enforce_csrf_checks=True)


def confirmation_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/e/confirm/[^/\s]+/)", message.body).group(1)


def test_subscribing_sends_a_confirmation_and_only_the_confirmation_gives_consent(tenant, visitor):
    page = visitor.post("/e/subscribe/", {"email": " Zoe@Example.com ", "first_name": "Zoé"})

    assert "Check your inbox" in page.text
    zoe = Customer.objects.get(email="zoe@example.com")
    assert zoe.marketing_consent is None
    assert zoe.source == "signup"
    [message] = mail.outbox
    assert message.to == ["zoe@example.com"]
    assert f"http://{host(tenant)}/e/confirm/" in message.body  # the canonical host, never the request's
    path = confirmation_path(message)

    assert "Yes, send e-mails to zoe@example.com" in visitor.get(path).text  # a scanner's GET changes nothing
    zoe.refresh_from_db()
    assert zoe.marketing_consent is None
    assert "You are subscribed" in visitor.post(path, REMOTE_ADDR="198.51.100.7").text

    zoe.refresh_from_db()
    assert zoe.marketing_consent is True
    assert zoe.consent_source == "double opt-in"
    event = ConsentEvent.objects.get(customer=zoe)
    assert (event.consent, event.ip, event.source) == (True, "198.51.100.7", "double opt-in")


def test_the_confirmation_is_in_the_visitors_language(tenant, visitor):
    visitor.post("/e/subscribe/", {"email": "loic@example.fr"}, HTTP_ACCEPT_LANGUAGE="fr")

    assert mail.outbox[0].subject.startswith("Confirmez votre inscription")


def test_an_expired_or_forged_link_gives_no_consent(tenant, visitor, settings):
    visitor.post("/e/subscribe/", {"email": "zoe@example.com"})
    path = confirmation_path(mail.outbox[0])
    settings.CAMPAIGNS_OPTIN_MAX_AGE = -1  # every link is now older than allowed

    expired = visitor.post(path)

    assert expired.status_code == 410
    assert "This link has expired" in expired.text
    assert visitor.post("/e/confirm/forged-token/").status_code == 410
    assert Customer.objects.get(email="zoe@example.com").marketing_consent is None


def test_a_link_is_void_once_the_address_changed_and_on_another_workspace(other_tenant, tenant, visitor):
    visitor.post("/e/subscribe/", {"email": "zoe@example.com"})
    path = confirmation_path(mail.outbox[0])

    stranger = Client(HTTP_HOST=host(other_tenant))
    assert stranger.post(path).status_code == 410
    connection.set_tenant(tenant)
    Customer.objects.filter(email="zoe@example.com").update(email="zoe@new.example.com")
    assert visitor.post(path).status_code == 410


def test_an_address_gets_three_confirmations_a_day_and_the_page_never_says_if_it_is_known(tenant, visitor):
    customer_make(email="known@example.com", marketing_consent=True)

    pages = [visitor.post("/e/subscribe/", {"email": "known@example.com"}) for _ in range(5)]

    assert len(mail.outbox) == 3
    assert {page.status_code for page in pages} == {200}
    assert all("Check your inbox" in page.text for page in pages)


def test_confirming_lifts_an_earlier_unsubscribe_but_not_a_bounce(tenant, visitor):
    customer_make(email="zoe@example.com", marketing_consent=False)
    Suppression.objects.create(email="zoe@example.com", reason=Suppression.Reason.UNSUBSCRIBED)
    visitor.post("/e/subscribe/", {"email": "zoe@example.com"})
    visitor.post(confirmation_path(mail.outbox[0]))
    assert not Suppression.objects.exists()

    Suppression.objects.create(email="zoe@example.com", reason=Suppression.Reason.HARD_BOUNCE)
    visitor.post(confirmation_path(mail.outbox[0]))
    assert Suppression.objects.get().reason == Suppression.Reason.HARD_BOUNCE


def test_one_ip_address_gets_twenty_sign_ups_an_hour(tenant, visitor):
    for n in range(22):
        visitor.post("/e/subscribe/", {"email": f"person{n}@example.com"}, REMOTE_ADDR="203.0.113.50")
    visitor.post("/e/subscribe/", {"email": "other@example.com"}, REMOTE_ADDR="203.0.113.51")

    assert len(mail.outbox) == 21
    assert mail.outbox[-1].to == ["other@example.com"]


@pytest.mark.parametrize("email", ["not-an-address", "a\x00b@example.com", "x" * 300 + "@example.com", ""])
def test_a_bad_address_is_a_form_error(tenant, visitor, email):
    page = visitor.post("/e/subscribe/", {"email": email})

    assert page.status_code in {200, 400}
    assert not mail.outbox
    assert not Customer.objects.exists()
