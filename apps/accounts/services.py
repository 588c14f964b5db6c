"""What people do with a workspace under its plan: create one (with its subscription), white-label
it, and invite others onto its seats. Tenancy itself (schemas, people, keys) is `apps.tenants`."""

import secrets
from contextlib import AbstractContextManager
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.billing.entitlements import feature_require, limit_reserve
from apps.billing.models import Feature, Limit
from apps.billing.services import subscription_start
from apps.core.hashing import sha256_hex
from apps.core.hygiene import one_line
from apps.tenants import services as tenants
from apps.tenants.errors import RoleNotAllowed
from apps.tenants.models import Membership, Role, Tenant, User
from apps.tenants.selectors import member_count, member_exists

from . import selectors
from .errors import AlreadyMember, InvitationInvalid
from .models import Invitation


def tenant_provision(
    *, slug: str, name: str, owner_email: str, owner_password: str | None = None, plan: str | None = None
) -> Tenant:
    """Create a workspace: its schema, domain and owner (`apps.tenants.services.tenant_create`) and its
    subscription (the Pro trial, or `plan`: starter, pro or enterprise), in one transaction.
    """
    with transaction.atomic():
        tenant = tenants.tenant_create(
            slug=slug, name=name, owner_email=owner_email, owner_password=owner_password
        )
        subscription_start(tenant=tenant, plan_code=plan)
    return tenant


def workspace_appearance_set(
    *, tenant: Tenant, color: str = "", logo=None, remove_logo: bool = False
) -> Tenant:
    """White-label the dashboard, on plans that include it."""
    feature_require(Feature.WHITE_LABEL, tenant=tenant)
    return tenants.tenant_appearance_set(tenant=tenant, color=color, logo=logo, remove_logo=remove_logo)


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
    if member_exists(tenant=tenant, email=email):
        raise AlreadyMember()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        # A new invitation replaces any pending one for the same address.
        Invitation.objects.filter(
            tenant=tenant, email=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        with _seat_reserve(tenant, pending=True):
            invitation = Invitation.objects.create(
                tenant=tenant,
                email=email,
                role=role,
                token_hash=sha256_hex(token),
                invited_by=invited_by,
                expires_at=timezone.now() + timedelta(days=settings.INVITATION_TTL_DAYS),
            )
        link = tenants.tenant_url(tenant, f"/invitations/{token}/")
        transaction.on_commit(lambda: _invitation_send(invitation=invitation, link=link))
    return invitation, token


def _seat_reserve(tenant: Tenant, *, pending: bool) -> AbstractContextManager[None]:
    """Hold a seat while the block takes it: 402 once members (and, inviting, pending invitations) fill it."""

    def used() -> int:
        if pending:
            return selectors.seats_used(tenant=tenant)
        return member_count(tenant=tenant)

    return limit_reserve(Limit.SEATS, used=used, tenant=tenant)


def _invitation_send(*, invitation: Invitation, link: str) -> None:
    context = {"invitation": invitation, "link": link, "tenant": invitation.tenant}
    send_mail(
        subject=one_line(_("You are invited to %(name)s on Luneo") % {"name": invitation.tenant.name}),
        message=render_to_string("accounts/email/invitation.txt", context),
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
        with _seat_reserve(tenant, pending=False):
            membership = tenants.membership_get_or_create(user=user, tenant=tenant, role=invitation.role)
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return membership
