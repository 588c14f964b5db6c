"""Account e-mails link to Luneo's own host, and account pages are never served on a custom domain.

A workspace owns its custom domain's DNS: a password-reset key sent there would be its owner's to
read, for any person's account.
"""

import re

import pytest
from django.core import mail
from django.test import Client

from apps.accounts.domains import custom_domain_set, custom_domain_verify
from apps.billing.models import Plan
from apps.billing.services import plan_get, subscription_assign
from apps.tenants.models import User
from tests.support.clients import dashboard_client
from tests.support.factories.tenants import PASSWORD

CUSTOM = "brand-a.example"


def links(message) -> list[str]:
    return re.findall(r"https?://[^\s/]+/\S*", message.body)


def hosts_linked(message) -> set[str]:
    return {link.split("/")[2] for link in links(message)}


@pytest.fixture
def verified_custom_domain(tenant, fake_dns):
    """Workspace alpha (A) serves its dashboard on brand-a.example, verified."""
    subscription_assign(tenant=tenant, plan=plan_get(Plan.Code.PRO))
    domain = custom_domain_set(tenant=tenant, domain=CUSTOM)
    fake_dns.txt[f"_luneo-challenge.{CUSTOM}"] = [domain.verification_token]
    return custom_domain_verify(domain=domain)


@pytest.mark.usefixtures("_custom_hosts", "verified_custom_domain")
def test_a_password_reset_asked_on_a_custom_domain_never_sends_a_link_there(other_tenant):
    # Given workspace A's verified custom domain, and workspace B's owner
    victim = "owner@beta.test"
    attacker = Client(HTTP_HOST=CUSTOM)

    # When A asks, on its own domain, to reset B's owner's password
    response = attacker.post("/accounts/password/reset/", {"email": victim})

    # Then the page is not served there: it is on A's Luneo host, and no mail links to A's domain
    assert response.status_code == 302
    assert response["Location"] == "http://alpha.localhost/accounts/password/reset/"
    assert not any(CUSTOM in message.body for message in mail.outbox)

    # And when the reset is asked where the form is served, the link is on the public host
    Client(HTTP_HOST="alpha.localhost").post("/accounts/password/reset/", {"email": victim})
    [message] = mail.outbox
    assert message.to == [victim]
    assert hosts_linked(message) == {"localhost"}
    assert any("/accounts/password/reset/key/" in link for link in links(message))
    assert message.subject.startswith("[Luneo] ")


@pytest.mark.usefixtures("_custom_hosts", "verified_custom_domain")
@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/", "/accounts/confirm-email/abc/"])
def test_account_pages_are_not_served_on_a_custom_domain(path):
    response = Client(HTTP_HOST=CUSTOM).get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("http://alpha.localhost/accounts/")


@pytest.mark.usefixtures("_custom_hosts", "verified_custom_domain")
def test_logging_in_for_a_custom_domain_happens_on_luneo_then_comes_back(tenant):
    # Given a member opening the dashboard on the custom domain, logged out there
    visitor = Client(HTTP_HOST=CUSTOM)
    login = visitor.get("/", follow=False)
    assert login["Location"].startswith("/accounts/login/")
    assert visitor.get(login["Location"])["Location"] == (
        "http://alpha.localhost/accounts/login/?next=%2Fhandoff%2Fdomain%2F"
    )

    # When they have logged in on the workspace's Luneo host and follow `next`
    on_luneo = dashboard_client(tenant, User.objects.get(email="owner@alpha.test"))
    back = on_luneo.get("/handoff/domain/")

    # Then a one-time link logs them in on the custom domain
    assert back["Location"].startswith(f"http://{CUSTOM}/handoff/?token=")
    assert visitor.get(back["Location"].removeprefix(f"http://{CUSTOM}"))["Location"] == "/"
    assert visitor.get("/").status_code == 200


@pytest.mark.parametrize("host", ["127.0.0.1", "alpha.localhost"])
def test_every_account_mail_links_to_the_public_host_whatever_host_asked(tenant, host):
    client = Client(HTTP_HOST=host)

    client.post("/accounts/password/reset/", {"email": "owner@alpha.test"})
    client.post("/accounts/password/reset/", {"email": "nobody@example.com"})  # "no account" mail

    assert len(mail.outbox) == 2
    assert all(hosts_linked(message) == {"localhost"} for message in mail.outbox)


def test_signup_mails_link_to_the_public_host(settings, tenant):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    client = Client(HTTP_HOST="127.0.0.1")
    signup = {
        "password1": PASSWORD,
        "password2": PASSWORD,
        "workspace_name": "Acme",
        "workspace_slug": "acme",
    }

    client.post("/accounts/signup/", {**signup, "email": "owner@alpha.test"})  # "you already have an account"
    client.post("/accounts/signup/", {**signup, "email": "founder@acme.test"})  # "confirm your e-mail"

    assert len(mail.outbox) == 2
    assert all(hosts_linked(message) == {"localhost"} for message in mail.outbox)
    assert any("/accounts/confirm-email/" in link for link in links(mail.outbox[1]))
