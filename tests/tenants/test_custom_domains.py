"""Custom dashboard domains: proved with the workspace's own TXT token, re-checked, claims expire.

DNS is outside this machine: a DNS server on loopback answers the resolver (tests/support/dns.py).
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.accounts import tasks
from apps.accounts.domains import custom_domain_set, custom_domain_verify
from apps.accounts.errors import DomainNotVerified, DomainTaken
from apps.billing.models import Plan
from apps.billing.services import plan_get, subscription_assign
from apps.tenants.hosts import AllowedHosts, allowed_hosts_forget
from apps.tenants.models import Domain

CHALLENGE = "_luneo-challenge.studio.example.com"


@pytest.fixture
def on_pro(tenant, other_tenant):
    for workspace in (tenant, other_tenant):
        subscription_assign(tenant=workspace, plan=plan_get(Plan.Code.PRO))


def allowed(host: str) -> bool:
    allowed_hosts_forget()
    return host in list(AllowedHosts([]))


@pytest.mark.usefixtures("on_pro")
def test_a_domain_pointing_at_luneo_is_not_enough_only_the_workspaces_own_token_verifies_it(
    tenant,
    other_tenant,
    fake_dns,
):
    # Given two workspaces claiming the same domain, and DNS holding the other workspace's token
    ours = custom_domain_set(tenant=tenant, domain="studio.example.com")
    theirs = custom_domain_set(tenant=other_tenant, domain="studio.example.com")
    fake_dns.txt[CHALLENGE] = [theirs.verification_token]

    # When we check ours, then it is refused and says which record to add
    with pytest.raises(DomainNotVerified) as refused:
        custom_domain_verify(domain=ours)
    assert refused.value.details == {"type": "TXT", "name": CHALLENGE, "value": ours.verification_token}
    assert fake_dns.queries == 1
    assert not allowed("studio.example.com")

    # When the record holds our token, then ours is verified and the other claim is dropped
    fake_dns.txt[CHALLENGE] = ["some-other-service=1", ours.verification_token]
    custom_domain_verify(domain=ours)

    assert Domain.objects.get(domain="studio.example.com").tenant == tenant
    assert allowed("studio.example.com")


@pytest.mark.usefixtures("on_pro")
def test_an_unverified_claim_blocks_nobody_but_a_verified_domain_is_taken(tenant, other_tenant, fake_dns):
    # Given another workspace that claimed the domain first and never proved it
    custom_domain_set(tenant=other_tenant, domain="studio.example.com")

    # When we claim and prove it
    ours = custom_domain_set(tenant=tenant, domain="studio.example.com")
    fake_dns.txt[CHALLENGE] = [ours.verification_token]
    custom_domain_verify(domain=ours)

    # Then it is ours, and nobody else may claim it any more
    assert list(Domain.objects.filter(domain="studio.example.com")) == [ours]
    with pytest.raises(DomainTaken):
        custom_domain_set(tenant=other_tenant, domain="studio.example.com")


@pytest.mark.usefixtures("on_pro")
def test_a_verified_domain_whose_token_is_gone_stops_serving_after_repeated_rechecks(
    tenant,
    settings,
    fake_dns,
):
    # Given a verified domain
    domain = custom_domain_set(tenant=tenant, domain="studio.example.com")
    fake_dns.txt[CHALLENGE] = [domain.verification_token]
    custom_domain_verify(domain=domain)
    assert allowed("studio.example.com")

    # When the token disappears (say the domain changed hands), a miss is tolerated, and a hit forgives
    del fake_dns.txt[CHALLENGE]
    tasks.custom_domains_recheck.apply()
    fake_dns.txt[CHALLENGE] = [domain.verification_token]
    tasks.custom_domains_recheck.apply()
    domain.refresh_from_db()
    assert (domain.verified_at is not None, domain.check_failures) == (True, 0)

    # Then CUSTOM_DOMAIN_RECHECK_FAILURES misses in a row un-verify it, and the hosts forget it
    del fake_dns.txt[CHALLENGE]
    for _run in range(settings.CUSTOM_DOMAIN_RECHECK_FAILURES):
        assert allowed("studio.example.com")
        tasks.custom_domains_recheck.apply()
    domain.refresh_from_db()
    assert domain.verified_at is None
    assert not allowed("studio.example.com")


@pytest.mark.usefixtures("on_pro")
def test_claims_left_unverified_expire(tenant, other_tenant, settings, fake_dns):
    stale = custom_domain_set(tenant=tenant, domain="old.example.com")
    fresh = custom_domain_set(tenant=other_tenant, domain="new.example.com")
    Domain.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - timedelta(days=settings.CUSTOM_DOMAIN_CLAIM_DAYS, minutes=1)
    )

    tasks.custom_domains_recheck.apply()

    assert list(Domain.objects.filter(is_primary=False)) == [fresh]


@pytest.mark.usefixtures("on_pro")
def test_owners_are_emailed_once_when_the_recheck_un_verifies_their_domain(
    tenant,
    settings,
    mailoutbox,
    django_capture_on_commit_callbacks,
    fake_dns,
):
    # Given a verified domain whose token has disappeared
    domain = custom_domain_set(tenant=tenant, domain="studio.example.com")
    fake_dns.txt[CHALLENGE] = [domain.verification_token]
    custom_domain_verify(domain=domain)
    del fake_dns.txt[CHALLENGE]

    # When the re-checks miss it: the misses before the last one tell nobody
    with django_capture_on_commit_callbacks(execute=True):  # owners are mailed after commit
        for _run in range(settings.CUSTOM_DOMAIN_RECHECK_FAILURES - 1):
            tasks.custom_domains_recheck.apply()
        assert mailoutbox == []
        tasks.custom_domains_recheck.apply()
        tasks.custom_domains_recheck.apply()  # an unverified domain is not re-checked: no second mail

    # Then the owners get one mail saying what happened and linking to the workspace's own host
    [email] = mailoutbox
    assert email.to == ["owner@alpha.test"]
    assert email.subject == "studio.example.com no longer shows the dashboard of Alpha"
    assert "_luneo-challenge.studio.example.com" in email.body
    assert domain.verification_token in email.body
    assert "http://alpha.localhost/settings/#custom-domain" in email.body
