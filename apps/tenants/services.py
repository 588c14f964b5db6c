"""Writes for workspaces, people and keys. Every entry point (signup, admin, commands, API) calls these."""

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.billing.entitlements import feature_require, limit_require
from apps.billing.models import Feature, Limit
from apps.core.hashing import sha256_hex
from apps.core.netguard import addresses_resolve
from apps.core.notifications import notify
from apps.core.uploads import image_clean

from . import selectors
from .errors import (
    AlreadyMember,
    AppearanceInvalid,
    DomainInvalid,
    DomainNotPointing,
    DomainTaken,
    InvalidScope,
    InvalidSlug,
    InvitationInvalid,
    LastOwner,
    RoleNotAllowed,
    SlugTaken,
)
from .hosts import allowed_hosts_forget
from .models import ApiKey, Domain, Invitation, Membership, Role, Tenant, User
from .scopes import ALL_SCOPES

SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,28}[a-z0-9]$")
RESERVED_SLUGS = frozenset(
    """public www api admin static media widget app dashboard docs help support status mail
    smtp ftp assets cdn billing accounts auth login signup blog pg_catalog information_schema
    luneo test new demo-reserved""".split()
)
HANDOFF_MAX_AGE_SECONDS = 60
KEY_TOUCH_INTERVAL = timedelta(seconds=60)


def public_url(path: str = "/") -> str:
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    return f"{settings.SITE_SCHEME}://{settings.BASE_DOMAIN}{port}{path}"


def tenant_url(tenant: Tenant, path: str = "/") -> str:
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    return f"{settings.SITE_SCHEME}://{tenant.schema_name}.{settings.BASE_DOMAIN}{port}{path}"


# --- workspaces ---------------------------------------------------------------------


def slug_validate(slug: str) -> str:
    """Return the slug if it can name a new workspace, else raise InvalidSlug or SlugTaken."""
    if not 3 <= len(slug) <= 30:
        raise InvalidSlug(_("Use 3 to 30 characters."))
    if not SLUG_PATTERN.match(slug) or "--" in slug:
        raise InvalidSlug(
            _("Use lowercase letters, digits and single hyphens; start and end with a letter or digit.")
        )
    if slug in RESERVED_SLUGS or slug.startswith("pg_"):
        raise InvalidSlug(_("“%(slug)s” is reserved. Choose another address.") % {"slug": slug})
    if Tenant.objects.filter(schema_name=slug).exists():
        raise SlugTaken()
    return slug


def tenant_provision(
    *, slug: str, name: str, owner_email: str, owner_password: str | None = None, plan: str | None = None
) -> Tenant:
    """Create a workspace: its schema (tenant apps only), its domain, its owner's membership and its
    subscription (the Pro trial, or `plan`: starter, pro or enterprise).

    The owner is the existing user with that email, or a new one (with the password given,
    or none usable until they reset it).
    """
    from apps.billing.services import subscription_start  # billing builds on tenants: imported when used

    slug_validate(slug)
    name = name.strip()
    if not name:
        raise InvalidSlug(_("Give the workspace a name."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                tenant = Tenant(schema_name=slug, name=name)
                tenant.save(verbosity=0)
        except IntegrityError as exc:
            raise SlugTaken() from exc
        Domain.objects.create(domain=f"{slug}.{settings.BASE_DOMAIN}", tenant=tenant, is_primary=True)
        owner = user_get_or_create(email=owner_email, password=owner_password)
        Membership.objects.create(user=owner, tenant=tenant, role=Role.OWNER)
        subscription_start(tenant=tenant, plan_code=plan)
    return tenant


def tenant_suspend(*, tenant: Tenant) -> Tenant:
    return _tenant_status_set(tenant, Tenant.Status.SUSPENDED, suspended_at=timezone.now())


def tenant_reactivate(*, tenant: Tenant) -> Tenant:
    return _tenant_status_set(tenant, Tenant.Status.ACTIVE, suspended_at=None)


def _tenant_status_set(tenant: Tenant, status: str, *, suspended_at) -> Tenant:
    before = tenant.status
    Tenant.objects.filter(pk=tenant.pk).update(status=status, suspended_at=suspended_at)
    selectors.api_key_forget()
    tenant.refresh_from_db()
    if before != status:
        audit_record(instance=tenant, action="update", changes={"status": [before, status]})
    return tenant


HEX_COLOR = re.compile(r"^#[0-9A-F]{6}$")


def tenant_appearance_set(*, tenant: Tenant, color: str = "", logo=None, remove_logo: bool = False) -> Tenant:
    """White-label the dashboard: a `#RRGGBB` colour (empty: Luneo's) and a logo (re-encoded)."""
    feature_require(Feature.WHITE_LABEL, tenant=tenant)
    color = color.strip().upper()
    if color and not HEX_COLOR.match(color):
        raise AppearanceInvalid(
            details={"fields": {"color": [_("Enter a colour as #RRGGBB, e.g. #1F2937.")]}}
        )
    tenant.dashboard_color = color
    if remove_logo:
        tenant.dashboard_logo = ""
    if logo is not None:
        tenant.dashboard_logo = image_clean(logo, name="logo").file
    tenant.save(update_fields=["dashboard_color", "dashboard_logo"])
    return tenant


HOSTNAME = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def custom_domain_get(*, tenant: Tenant) -> Domain | None:
    return Domain.objects.filter(tenant=tenant, is_primary=False).first()


@transaction.atomic
def custom_domain_set(*, tenant: Tenant, domain: str) -> Domain:
    """The workspace's own dashboard domain (it replaces any earlier one), to be verified by DNS."""
    feature_require(Feature.CUSTOM_DOMAIN, tenant=tenant)
    domain = domain.strip().lower().rstrip(".")
    if (
        not HOSTNAME.match(domain)
        or domain == settings.BASE_DOMAIN
        or domain.endswith(f".{settings.BASE_DOMAIN}")
    ):
        raise DomainInvalid()
    if Domain.objects.filter(domain=domain).exclude(tenant=tenant).exists():
        raise DomainTaken()
    Domain.objects.filter(tenant=tenant, is_primary=False).exclude(domain=domain).delete()
    custom, _created = Domain.objects.get_or_create(
        tenant=tenant, domain=domain, defaults={"is_primary": False}
    )
    return custom


def custom_domain_verify(*, domain: Domain) -> Domain:
    """Verified once the domain resolves to the addresses of the workspace's Luneo host (its CNAME target)."""
    target = f"{domain.tenant.schema_name}.{settings.BASE_DOMAIN}"
    try:
        points_here = bool(set(addresses_resolve(domain.domain, 443)) & set(addresses_resolve(target, 443)))
    except (OSError, UnicodeError):
        points_here = False
    if not points_here:
        raise DomainNotPointing(details={"domain": domain.domain, "cname_target": target})
    domain.verified_at = timezone.now()
    domain.save(update_fields=["verified_at"])
    allowed_hosts_forget()
    return domain


def custom_domain_remove(*, tenant: Tenant) -> None:
    Domain.objects.filter(tenant=tenant, is_primary=False).delete()
    allowed_hosts_forget()


def tenant_rename(*, tenant: Tenant, name: str) -> Tenant:
    name = name.strip()
    if not name:
        raise InvalidSlug(_("Give the workspace a name."))
    tenant.name = name
    tenant.save(update_fields=["name"])
    return tenant


# --- people -----------------------------------------------------------------------


def user_get_or_create(*, email: str, password: str | None = None) -> User:
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password)
    return user


def user_set_language(*, user: User, language: str) -> None:
    """Remember the person's language for every host (cookies are per host)."""
    if language in dict(settings.LANGUAGES):
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language


def membership_weekly_report_set(*, membership: Membership, enabled: bool) -> Membership:
    """Opt in to (or out of) the Monday report email (owners)."""
    if enabled and membership.role != Role.OWNER:
        raise RoleNotAllowed()
    membership.weekly_report = enabled
    membership.save(update_fields=["weekly_report"])
    return membership


def _locked_owner_count(tenant: Tenant) -> int:
    """Lock the workspace's owner rows (inside a transaction) and count them."""
    return len(Membership.objects.select_for_update().filter(tenant=tenant, role=Role.OWNER))


def membership_change_role(*, membership: Membership, role: str, actor: Membership) -> Membership:
    role = Role(role)
    touches_owner = role == Role.OWNER or membership.role == Role.OWNER
    if touches_owner and actor.role != Role.OWNER:
        raise RoleNotAllowed()
    with transaction.atomic():
        owners = _locked_owner_count(membership.tenant)
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.role == Role.OWNER and role != Role.OWNER and owners <= 1:
            raise LastOwner()
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def membership_remove(*, membership: Membership, actor: Membership) -> None:
    if membership.role == Role.OWNER and actor.role != Role.OWNER:
        raise RoleNotAllowed()
    with transaction.atomic():
        if membership.role == Role.OWNER and _locked_owner_count(membership.tenant) <= 1:
            raise LastOwner()
        membership.delete()


def owners_notify(*, tenant: Tenant, event: str, payload: dict, template: str, context: dict) -> None:
    """Tell a workspace's owners: a live notification now, and an email in each one's language after commit.

    `template` names two templates: `<template>_subject.txt` and `<template>.txt`, rendered with
    `context` plus `tenant`. A mail server that is down is logged, never raised.
    """
    owners = list(
        User.objects.filter(is_active=True, memberships__tenant=tenant, memberships__role=Role.OWNER)
    )
    for owner in owners:
        notify(schema=tenant.schema_name, event=event, payload=payload, user_id=owner.pk)
    context = {**context, "tenant": tenant}
    transaction.on_commit(lambda: _owners_email(owners, template, context), robust=True)


def _owners_email(owners: list[User], template: str, context: dict) -> None:
    for owner in owners:
        with translation.override(owner.language or settings.LANGUAGE_CODE):
            subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
            send_mail(subject, render_to_string(f"{template}.txt", context), None, [owner.email])


# --- invitations ----------------------------------------------------------------------


def invitation_create(
    *, tenant: Tenant, email: str, role: str, inviter_role: str, invited_by: User | None
) -> tuple[Invitation, str]:
    """Invite someone by email. Returns the invitation and the raw token (sent by email, not stored).

    Only an owner may invite an owner. `invited_by` is credited (None for an unattended key).
    """
    email = User.objects.normalize_email(email).lower()
    role = Role(role)
    if role == Role.OWNER and inviter_role != Role.OWNER:
        raise RoleNotAllowed()
    if Membership.objects.filter(tenant=tenant, user__email=email).exists():
        raise AlreadyMember()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        # A new invitation replaces any pending one for the same address.
        Invitation.objects.filter(
            tenant=tenant, email=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        _seats_require(tenant, pending=True)
        invitation = Invitation.objects.create(
            tenant=tenant,
            email=email,
            role=role,
            token_hash=sha256_hex(token),
            invited_by=invited_by,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_TTL_DAYS),
        )
        link = tenant_url(tenant, f"/invitations/{token}/")
        transaction.on_commit(lambda: _invitation_send(invitation=invitation, link=link))
    return invitation, token


def _seats_require(tenant: Tenant, *, pending: bool) -> None:
    """402 when the plan's seats are taken: by members, and (when inviting) by pending invitations.

    Locks the workspace row so two invitations sent at once cannot both take the last seat.
    """
    Tenant.objects.select_for_update().filter(pk=tenant.pk).first()
    used = Membership.objects.filter(tenant=tenant).count()
    if pending:
        used += Invitation.objects.filter(
            tenant=tenant, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        ).count()
    limit_require(Limit.SEATS, used=used, tenant=tenant)


def _invitation_send(*, invitation: Invitation, link: str) -> None:
    context = {"invitation": invitation, "link": link, "tenant": invitation.tenant}
    send_mail(
        subject=_("You are invited to %(name)s on Luneo") % {"name": invitation.tenant.name},
        message=render_to_string("tenants/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


def invitation_revoke(*, invitation: Invitation) -> None:
    now = timezone.now()
    if Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(revoked_at=now):
        audit_record(
            instance=invitation, action="update", changes={"revoked_at": [invitation.revoked_at, now]}
        )


def invitation_get_pending(*, tenant: Tenant, token: str) -> Invitation:
    invitation = Invitation.objects.filter(
        tenant=tenant, token_hash=sha256_hex(token), accepted_at__isnull=True, revoked_at__isnull=True
    ).first()
    if invitation is None or invitation.is_expired:
        raise InvitationInvalid()
    return invitation


def invitation_accept(*, tenant: Tenant, token: str, user: User) -> Membership:
    """The invited person joins. The user's email must be the one the invitation was sent to."""
    with transaction.atomic():
        invitation = invitation_get_pending(tenant=tenant, token=token)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise InvitationInvalid()
        if user.email.lower() != invitation.email:
            raise InvitationInvalid(
                _("This invitation was sent to %(email)s. Log in with that address.")
                % {"email": invitation.email}
            )
        _seats_require(tenant, pending=False)
        membership, _created = Membership.objects.get_or_create(
            user=user, tenant=tenant, defaults={"role": invitation.role}
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return membership


# --- API keys -----------------------------------------------------------------------


def api_key_create(
    *,
    tenant: Tenant,
    name: str,
    key_type: str = ApiKey.Type.SECRET,
    mode: str = ApiKey.Mode.LIVE,
    scopes: list[str] | None = None,
    created_by: User | None = None,
    brand_ref: int | None = None,
) -> tuple[ApiKey, str]:
    """Create a key. Returns it with the raw key, which is shown once and never stored."""
    scopes = list(dict.fromkeys(scopes)) if scopes else list(ALL_SCOPES)
    unknown = sorted(set(scopes) - set(ALL_SCOPES))
    if unknown:
        raise InvalidScope(details={"unknown": unknown, "allowed": ALL_SCOPES})
    name = name.strip() or _("Unnamed key")
    kind = "sk" if ApiKey.Type(key_type) == ApiKey.Type.SECRET else "pk"
    raw = f"{kind}_{ApiKey.Mode(mode)}_{secrets.token_urlsafe(32)}"
    api_key = ApiKey.objects.create(
        tenant=tenant,
        name=name[:100],
        type=key_type,
        mode=mode,
        prefix=raw[:16],
        key_hash=sha256_hex(raw),
        scopes=scopes,
        created_by=created_by,
        brand_ref=brand_ref,
    )
    return api_key, raw


def api_key_revoke(*, api_key: ApiKey) -> None:
    now = timezone.now()
    if ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(revoked_at=now):
        audit_record(instance=api_key, action="update", changes={"revoked_at": [None, now]})
    selectors.api_key_forget(key_hash=api_key.key_hash)


def api_key_touch(*, api_key: ApiKey) -> None:
    """Record use, at most once a minute per key (one cheap UPDATE, no read)."""
    now = timezone.now()
    if api_key.last_used_at and now - api_key.last_used_at < KEY_TOUCH_INTERVAL:
        return
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    api_key.last_used_at = now


# --- moving between hosts -----------------------------------------------------------------


def login_handoff_create(*, user: User, tenant: Tenant) -> str:
    """A one-time token that logs `user` into `tenant`'s host (sessions are per host)."""
    payload = {"u": user.pk, "t": tenant.schema_name, "n": secrets.token_urlsafe(12)}
    return signing.dumps(payload, salt="luneo.handoff")


def login_handoff_url(*, user: User, tenant: Tenant) -> str:
    token = login_handoff_create(user=user, tenant=tenant)
    return tenant_url(tenant, f"/handoff/?token={token}")


def login_handoff_redeem(*, token: str, tenant: Tenant) -> User | None:
    try:
        payload = signing.loads(token, salt="luneo.handoff", max_age=HANDOFF_MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if payload.get("t") != tenant.schema_name:
        return None
    if not cache.add(f"handoff:{payload['n']}", 1, HANDOFF_MAX_AGE_SECONDS * 2):
        return None  # already used
    return User.objects.filter(pk=payload["u"], is_active=True, memberships__tenant=tenant).first()


def idempotency_purge(*, older_than: timedelta | None = None) -> int:
    from .models import IdempotencyRecord

    cutoff = timezone.now() - (older_than or timedelta(hours=settings.IDEMPOTENCY_TTL_HOURS))
    deleted, _detail = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
