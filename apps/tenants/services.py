"""Writes for workspaces, people and keys. Every entry point (signup, admin, commands, API) calls these;
what a plan allows is checked a layer up, in `apps.accounts.services`."""

import logging
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.core import context as core_context
from apps.core.hashing import sha256_hex
from apps.core.hygiene import one_line, single_line_check
from apps.core.memo import forget_everywhere
from apps.core.notifications import access_changed, access_changed_in, notify
from apps.core.uploads import image_clean

from . import selectors
from .errors import (
    AppearanceInvalid,
    InvalidScope,
    InvalidSlug,
    LastOwner,
    RoleNotAllowed,
    SlugTaken,
)
from .hosts import site_url
from .models import ApiKey, Domain, Membership, Role, Tenant, User
from .scopes import ALL_SCOPES

SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,28}[a-z0-9]$")
RESERVED_SLUGS = frozenset(
    """public www api admin static media widget app dashboard docs help support status mail
    smtp ftp assets cdn billing accounts auth login signup blog pg_catalog information_schema
    luneo test new demo-reserved""".split()
)
HANDOFF_MAX_AGE_SECONDS = 60
KEY_TOUCH_INTERVAL = timedelta(seconds=60)
logger = logging.getLogger(__name__)


def public_url(path: str = "/") -> str:
    """A link to the public site: what every e-mail and account link uses, whatever host asked."""
    return site_url(settings.BASE_DOMAIN, path)


def tenant_url(tenant: Tenant, path: str = "/") -> str:
    """A link to the workspace's own Luneo host, `<slug>.BASE_DOMAIN` (never a custom domain)."""
    return site_url(f"{tenant.schema_name}.{settings.BASE_DOMAIN}", path)


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


def _workspace_name_clean(name: str) -> str:
    name = name.strip()
    if not name:
        raise InvalidSlug(_("Give the workspace a name."))
    single_line_check(name=name)
    return name


def tenant_create(*, slug: str, name: str, owner_email: str, owner_password: str | None = None) -> Tenant:
    """Create a workspace's schema (tenant apps only), its domain and its owner's membership.

    The owner is the existing user with that email, or a new one (with the password given,
    or none usable until they reset it). Call it inside a transaction; its plan comes from
    `apps.accounts.services.tenant_provision`, the one entry point for a new workspace.
    """
    slug_validate(slug)
    name = _workspace_name_clean(name)
    try:
        with transaction.atomic():
            tenant = Tenant(schema_name=slug, name=name)
            tenant.save(verbosity=0)
    except IntegrityError as exc:
        raise SlugTaken() from exc
    Domain.objects.create(domain=f"{slug}.{settings.BASE_DOMAIN}", tenant=tenant, is_primary=True)
    owner = user_get_or_create(email=owner_email, password=owner_password)
    Membership.objects.create(user=owner, tenant=tenant, role=Role.OWNER)
    return tenant


def tenant_suspend(*, tenant: Tenant, reason: str = "") -> Tenant:
    """Close the workspace (dashboard, API, widget) until it is reactivated; its data is kept.

    `reason` (operators give one) is shown to its owners on the suspended page and e-mailed to them.
    """
    reason = reason.strip()
    with transaction.atomic():
        tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
        was_active = tenant.is_active
        if was_active or reason != tenant.suspension_reason:
            tenant.status = Tenant.Status.SUSPENDED
            tenant.suspended_at = tenant.suspended_at if not was_active else timezone.now()
            tenant.suspension_reason = reason
            tenant.save(update_fields=["status", "suspended_at", "suspension_reason"])
    if was_active:
        _access_changed(tenant)
        transaction.on_commit(lambda: tenant_suspended_notice_send(tenant=tenant))
    return tenant


def tenant_reactivate(*, tenant: Tenant) -> Tenant:
    """Open the workspace again (a deletion it was marked for is called off too)."""
    with transaction.atomic():
        tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
        if tenant.is_active and tenant.delete_after is None:
            return tenant
        tenant.status, tenant.suspended_at = Tenant.Status.ACTIVE, None
        tenant.suspension_reason, tenant.delete_after = "", None
        tenant.save(update_fields=["status", "suspended_at", "suspension_reason", "delete_after"])
    _access_changed(tenant)
    return tenant


def _access_changed(tenant: Tenant) -> None:
    """The workspace was opened or closed: cached keys and open websockets check it again."""
    forget_everywhere()
    access_changed(schema=tenant.schema_name)  # open websockets check the workspace again


def tenant_owners(tenant: Tenant) -> list[User]:
    return [m.user for m in tenant.memberships.filter(role=Role.OWNER).select_related("user")]


def tenant_suspended_notice_send(*, tenant: Tenant) -> int:
    """E-mail the workspace's owners that it was suspended, with the operators' reason (each in
    their language; links on the canonical public host). Returns how many were sent."""
    sent = 0
    for owner in tenant_owners(tenant):
        with translation.override(owner.language or settings.LANGUAGE_CODE):
            context = {
                "workspace": tenant,
                "reason": tenant.suspension_reason,
                "delete_after": tenant.delete_after,
                "workspaces_url": public_url("/workspaces/"),
            }
            sent += send_mail(
                subject=one_line(_("%(name)s is suspended on Luneo") % {"name": tenant.name}),
                message=render_to_string("tenants/email/suspended.txt", context),
                html_message=render_to_string("tenants/email/suspended.html", context),
                from_email=None,
                recipient_list=[owner.email],
            )
    return sent


def tenant_delete_schedule(*, tenant: Tenant, reason: str = "") -> Tenant:
    """Mark the workspace for deletion: suspended now, its schema and data dropped after
    WORKSPACE_DELETION_GRACE_DAYS (`tenants_purge`) unless `tenant_restore` is called first."""
    if tenant.schema_name == selectors.PUBLIC:
        raise ValueError("the public schema is not a workspace")
    with transaction.atomic():  # the owners' e-mail (sent on commit) gives the deletion date
        tenant = tenant_suspend(tenant=tenant, reason=reason)
        tenant.delete_after = timezone.now() + timedelta(days=settings.WORKSPACE_DELETION_GRACE_DAYS)
        tenant.save(update_fields=["delete_after"])
    return tenant


def tenant_restore(*, tenant: Tenant) -> Tenant:
    """Call off a deletion during its grace period: the workspace is active again."""
    return tenant_reactivate(tenant=tenant)


def tenant_export_requested(*, tenant: Tenant) -> Tenant:
    """An operator asked for the workspace's data export (built by a task, `tenant_export_store`)."""
    tenant.export_requested_at = timezone.now()
    tenant.save(update_fields=["export_requested_at"])
    return tenant


def tenant_export_store(*, tenant: Tenant, filename: str, content: bytes) -> Tenant:
    """Keep the workspace's newest data export (a random storage name; no longer pending); the
    previous one is deleted."""
    previous = tenant.export_file.name if tenant.export_file else ""
    tenant.export_file.save(filename, ContentFile(content), save=False)
    tenant.export_requested_at = None
    tenant.save(update_fields=["export_file", "export_requested_at"])
    if previous:
        tenant.export_file.storage.delete(previous)
    return tenant


def tenants_purge(*, now=None) -> list[str]:
    """Beat: drop the schema and row (members, keys, billing, audit) of every workspace whose
    deletion grace period is over. Returns their slugs. Safe to repeat."""
    now = now or timezone.now()
    connection.set_schema_to_public()  # django-tenants drops a schema from public only
    tokens = core_context.bind(user=None)  # the system's own deletion: nothing left to audit
    try:
        purged = _tenants_purge_due(now)
    finally:
        core_context.unbind(tokens)
    return purged


def _tenants_purge_due(now) -> list[str]:
    purged = []
    due = Tenant.objects.filter(delete_after__lte=now, status=Tenant.Status.SUSPENDED)
    for pk in due.exclude(schema_name=selectors.PUBLIC).values_list("pk", flat=True):
        with transaction.atomic():
            tenant = Tenant.objects.select_for_update().filter(pk=pk, delete_after__lte=now).first()
            if tenant is None or tenant.is_active:
                continue  # restored meanwhile
            if tenant.export_file:
                tenant.export_file.delete(save=False)
            tenant.delete(force_drop=True)
            logger.warning("workspace %s deleted: its grace period ended", tenant.schema_name)
            forget_everywhere()
            purged.append(tenant.schema_name)
    return purged


HEX_COLOR = re.compile(r"^#[0-9A-F]{6}$")


def tenant_appearance_set(*, tenant: Tenant, color: str = "", logo=None, remove_logo: bool = False) -> Tenant:
    """White-label the dashboard: a `#RRGGBB` colour (empty: Luneo's) and a logo (re-encoded)."""
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


def tenant_rename(*, tenant: Tenant, name: str) -> Tenant:
    tenant.name = _workspace_name_clean(name)
    tenant.save(update_fields=["name"])
    forget_everywhere()  # the API's cached keys carry their workspace
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


def user_password_set(*, user: User, password: str | None) -> User:
    """Set the person's password (None: password login off) from any entry point.

    Django ends their other sessions (the session's auth hash changes), and their open
    websockets check their session again and close.
    """
    user.set_password(password)
    user.save(update_fields=["password"])
    user_access_changed(user=user)
    return user


def user_access_changed(*, user: User) -> None:
    """Once committed, the person's open websockets in every workspace check their access again.

    For changes to the person (deactivated, password changed) rather than to one membership.
    """
    schemas = user.memberships.values_list("tenant__schema_name", flat=True)
    access_changed_in(schemas=list(schemas), user_id=user.pk)


def membership_get_or_create(*, user: User, tenant: Tenant, role: str) -> Membership:
    """The person's membership of the workspace, created with `role` if they have none."""
    membership, _created = Membership.objects.get_or_create(user=user, tenant=tenant, defaults={"role": role})
    return membership


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
        membership_delete(membership=membership)


def membership_delete(*, membership: Membership) -> None:
    """Delete a membership without the team's rules (operators, in the admin); its sockets close."""
    membership.delete()
    access_changed(schema=membership.tenant.schema_name, user_id=membership.user_id)


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
            subject = one_line(render_to_string(f"{template}_subject.txt", context))
            send_mail(subject, render_to_string(f"{template}.txt", context), None, [owner.email])


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
    """Create a key. Returns it with the raw key: a secret key's is shown once and never stored,
    a publishable key's is kept to be shown again (it is public by design)."""
    scopes = list(dict.fromkeys(scopes)) if scopes else list(ALL_SCOPES)
    unknown = sorted(set(scopes) - set(ALL_SCOPES))
    if unknown:
        raise InvalidScope(details={"unknown": unknown, "allowed": ALL_SCOPES})
    name = name.strip() or _("Unnamed key")
    single_line_check(name=name)
    publishable = ApiKey.Type(key_type) == ApiKey.Type.PUBLISHABLE
    raw = f"{'pk' if publishable else 'sk'}_{ApiKey.Mode(mode)}_{secrets.token_urlsafe(32)}"
    api_key = ApiKey.objects.create(
        tenant=tenant,
        name=name[:100],
        type=key_type,
        mode=mode,
        prefix=raw[:16],
        key_hash=sha256_hex(raw),
        publishable_value=raw if publishable else "",
        scopes=scopes,
        created_by=created_by,
        brand_ref=brand_ref,
    )
    return api_key, raw


def api_key_revoke(*, api_key: ApiKey) -> None:
    """Revoke once (a second call changes nothing); saved, so the audit trail records it."""
    with transaction.atomic():
        locked = ApiKey.objects.select_for_update().get(pk=api_key.pk)
        if locked.revoked_at is None:
            locked.revoked_at = api_key.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
            access_changed(schema=api_key.tenant.schema_name, key_id=api_key.pk)  # its websockets close
            forget_everywhere()  # every process's cached keys


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
