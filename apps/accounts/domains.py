"""A workspace's own dashboard domain: claimed, proved with a DNS TXT record, re-checked by beat.

A workspace claims a domain and gets a random token, publishes it as a TXT record at
`_luneo-challenge.<domain>`, and "Check DNS" finds it there: the domain is verified, serves the
workspace's dashboard (TenantMiddleware) and is admitted by ALLOWED_HOSTS (hosts.py).

Several workspaces may claim one domain: a claim blocks nobody, the first workspace to prove
it holds the domain and the other claims are dropped. Beat re-checks verified domains (missing
the token CUSTOM_DOMAIN_RECHECK_FAILURES times in a row un-verifies one) and drops claims left
unverified for CUSTOM_DOMAIN_CLAIM_DAYS.
"""

import re
import secrets
from datetime import timedelta

import dns.exception
import dns.resolver
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from apps.billing.entitlements import feature_require
from apps.billing.models import Feature
from apps.tenants.hosts import allowed_hosts_forget
from apps.tenants.models import Domain, Tenant
from apps.tenants.services import owners_notify, tenant_url

from .errors import DomainInvalid, DomainNotVerified, DomainTaken

HOSTNAME = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
CHALLENGE_LABEL = "_luneo-challenge"
DNS_TIMEOUT_SECONDS = 5
SERVING = Q(is_primary=True) | Q(verified_at__isnull=False)
UNVERIFIED_EVENT = "tenants.custom_domain_unverified"


def challenge_name(domain: Domain) -> str:
    """Where the workspace publishes its token: a TXT record at this name."""
    return f"{CHALLENGE_LABEL}.{domain.domain}"


def _txt_values(name: str) -> list[str]:
    """The TXT values at `name`; none when there are none or DNS does not answer (DNS_RESOLVER_*)."""
    try:
        resolver = dns.resolver.Resolver(configure=not settings.DNS_RESOLVER_NAMESERVERS)
        if settings.DNS_RESOLVER_NAMESERVERS:
            resolver.nameservers = settings.DNS_RESOLVER_NAMESERVERS
        resolver.port = settings.DNS_RESOLVER_PORT
        resolver.lifetime = DNS_TIMEOUT_SECONDS
        answer = resolver.resolve(name, "TXT")
    except dns.exception.DNSException:
        return []
    return [b"".join(record.strings).decode(errors="replace") for record in answer]


def _token_published(domain: Domain) -> bool:
    return domain.verification_token in _txt_values(challenge_name(domain))


def custom_domain_get(*, tenant: Tenant) -> Domain | None:
    return Domain.objects.filter(tenant=tenant, is_primary=False).first()


@transaction.atomic
def custom_domain_set(*, tenant: Tenant, domain: str) -> Domain:
    """Claim the workspace's own dashboard domain (it replaces any earlier one), to be proved by DNS."""
    feature_require(Feature.CUSTOM_DOMAIN, tenant=tenant)
    domain = domain.strip().lower().rstrip(".")
    if (
        not HOSTNAME.match(domain)
        or domain == settings.BASE_DOMAIN
        or domain.endswith(f".{settings.BASE_DOMAIN}")
    ):
        raise DomainInvalid()
    if Domain.objects.filter(SERVING, domain=domain).exclude(tenant=tenant).exists():
        raise DomainTaken()
    Domain.objects.filter(tenant=tenant, is_primary=False).exclude(domain=domain).delete()
    allowed_hosts_forget()  # the replaced domain may have been verified
    custom, _created = Domain.objects.get_or_create(
        tenant=tenant,
        domain=domain,
        defaults={"is_primary": False, "verification_token": secrets.token_urlsafe(24)},
    )
    return custom


def custom_domain_verify(*, domain: Domain) -> Domain:
    """Verified once the workspace's token is in the domain's TXT record; other claims are dropped."""
    if not _token_published(domain):
        raise DomainNotVerified(
            details={"type": "TXT", "name": challenge_name(domain), "value": domain.verification_token}
        )
    try:
        with transaction.atomic():
            if Domain.objects.filter(SERVING, domain=domain.domain).exclude(pk=domain.pk).exists():
                raise DomainTaken()
            Domain.objects.filter(domain=domain.domain, verified_at__isnull=True).exclude(
                pk=domain.pk
            ).delete()
            domain.verified_at, domain.check_failures = timezone.now(), 0
            domain.save(update_fields=["verified_at", "check_failures"])
    except IntegrityError as exc:  # another workspace verified it at the same moment
        raise DomainTaken() from exc
    allowed_hosts_forget()
    return domain


def custom_domain_remove(*, tenant: Tenant) -> None:
    Domain.objects.filter(tenant=tenant, is_primary=False).delete()
    allowed_hosts_forget()


def custom_domains_recheck() -> None:
    """Beat: re-check every verified custom domain, then drop claims left unverified too long."""
    for domain in Domain.objects.filter(is_primary=False, verified_at__isnull=False).select_related("tenant"):
        _recheck(domain)
    cutoff = timezone.now() - timedelta(days=settings.CUSTOM_DOMAIN_CLAIM_DAYS)
    Domain.objects.filter(is_primary=False, verified_at__isnull=True, created_at__lt=cutoff).delete()
    allowed_hosts_forget()


def _recheck(domain: Domain) -> None:
    """A domain whose token is missing CUSTOM_DOMAIN_RECHECK_FAILURES times in a row goes back to
    a fresh claim: it stops serving, its owners are told, and it has CUSTOM_DOMAIN_CLAIM_DAYS to fix DNS."""
    failures = 0 if _token_published(domain) else domain.check_failures + 1
    if failures < settings.CUSTOM_DOMAIN_RECHECK_FAILURES:
        Domain.objects.filter(pk=domain.pk).update(check_failures=failures)
    else:
        Domain.objects.filter(pk=domain.pk).update(
            check_failures=0, verified_at=None, created_at=timezone.now()
        )
        _unverified_notify(domain)


def _unverified_notify(domain: Domain) -> None:
    """Tell the workspace's owners the domain stopped serving, and how to prove it again."""
    tenant = domain.tenant
    owners_notify(
        tenant=tenant,
        event=UNVERIFIED_EVENT,
        payload={"domain": domain.domain},
        template="accounts/email/domain_unverified",
        context={
            "domain": domain.domain,
            "challenge": challenge_name(domain),
            "token": domain.verification_token,
            "checks": settings.CUSTOM_DOMAIN_RECHECK_FAILURES,
            "days": settings.CUSTOM_DOMAIN_CLAIM_DAYS,
            "link": tenant_url(tenant, f"{reverse('accounts:settings')}#custom-domain"),
        },
    )
