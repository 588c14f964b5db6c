"""Support access ("view as"): an operator opens a workspace's dashboard as one of its members.

- Started in the admin (apps.console.support) by staff holding `accounts.view_as`; read-only
  unless a superuser allows changes; it lasts SUPPORT_SESSION_MINUTES. Never into a suspended
  workspace, never as an inactive person or a non-member.
- Opened on the workspace host with a one-time signed link (`/handoff/support/?token=…`, one
  minute): the operator is logged in there as themselves, their session remembers the support
  session, and `SupportAccessMiddleware` makes each request the member's (`request.user`,
  hence `request.membership`) while the audit actor stays the operator (`request.support_operator`).
- The member's account is never read for a password nor written: they are not logged in,
  their last login is untouched, account pages refuse every change.
- Every session (start, end) and every change attempted in it (refused or allowed) is an audit
  entry of the workspace (its Settings → Audit log, and the operators' audit list), actor the
  operator, labelled "operator (support → member)"; the `luneo.support` logger says it too.
- It ends on "Leave" (or "Log out"), at expiry, or from the admin; the operator's session on the
  workspace host is then logged out and their websockets there close (`access_changed`).
"""

import logging
import secrets
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name

from apps.audit import services as audit
from apps.core import context
from apps.core.errors import ApplicationError
from apps.core.notifications import access_changed
from apps.tenants.models import Tenant, User
from apps.tenants.services import tenant_url

from .models import SupportSession

logger = logging.getLogger("luneo.support")

PERMISSION = "accounts.view_as"
SESSION_KEY = "support_session"  # in the operator's session on the workspace host
HANDOFF_SALT = "luneo.support"
HANDOFF_MAX_AGE_SECONDS = 60
HANDOFF_PATH = "/handoff/support/"
LEAVE_PATH = "/handoff/support/leave/"
ADMIN_PATH = "/admin/support/"  # where the operator goes back to (apps.console.urls_support)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
REASON_MAX_LENGTH = 500


class SupportNotAllowed(ApplicationError):
    code = "support_not_allowed"
    status = 403
    message = _("You cannot start support access.")


class SupportUnavailable(ApplicationError):
    code = "support_unavailable"
    status = 409
    message = _("Support access cannot be started into this workspace.")


class SupportReadOnly(ApplicationError):
    code = "support_read_only"
    status = 403
    message = _("Support access is read-only: this change was not made.")


class SupportAccountLocked(ApplicationError):
    code = "support_read_only"
    status = 403
    message = _("Support access never changes the member's own account.")


class SupportEnded(ApplicationError):
    code = "support_session_ended"
    status = 403
    message = _("Your support session has ended.")


def can_view_as(user) -> bool:
    """Staff with `accounts.view_as` (superusers have every permission)."""
    return bool(user.is_authenticated and user.is_active and user.is_staff and user.has_perm(PERMISSION))


def support_minutes() -> int:
    return settings.SUPPORT_SESSION_MINUTES


def support_members(tenant: Tenant):
    """Whom an operator may view `tenant` as: its active members."""
    return User.objects.filter(memberships__tenant=tenant, is_active=True).order_by("email")


@contextmanager
def as_operator(session: SupportSession):
    """Writes in this block are the operator's (the audit actor), on behalf of the member."""
    tokens = context.bind(user=str(session.operator_id) if session.operator_id else None)
    behalf = audit.on_behalf.set(session.member.email if session.member_id else "?")
    try:
        yield
    finally:
        audit.on_behalf.reset(behalf)
        context.unbind(tokens)


def support_session_start(
    *, operator: User, tenant: Tenant, member: User, reason: str, allow_changes: bool = False
) -> SupportSession:
    """Start a support session (audited); the operator's other open sessions end ("replaced")."""
    if not can_view_as(operator) or (allow_changes and not operator.is_superuser):
        raise SupportNotAllowed()
    reason = " ".join(reason.split())[:REASON_MAX_LENGTH]
    if not reason:
        raise SupportUnavailable(_("Give a reason."))
    if tenant.schema_name == get_public_schema_name() or not tenant.is_active:
        raise SupportUnavailable(_("This workspace is suspended: support access cannot be started."))
    if not support_members(tenant).filter(pk=member.pk).exists():
        raise SupportUnavailable(_("This person is not an active member of the workspace."))
    for previous in SupportSession.objects.filter(operator=operator, ended_at__isnull=True):
        support_session_end(session=previous, reason=SupportSession.End.REPLACED)
    now = timezone.now()
    session = SupportSession(
        tenant=tenant,
        operator=operator,
        member=member,
        reason=reason,
        allow_changes=allow_changes,
        started_at=now,
        expires_at=now + timedelta(minutes=support_minutes()),
    )
    with as_operator(session):
        session.save()
    logger.info(
        "support session %s started by %s in %s as %s (%s)",
        session.pk,
        operator.email,
        tenant.schema_name,
        member.email,
        "changes allowed" if allow_changes else "read-only",
    )
    return session


def support_session_end(*, session: SupportSession, reason: str) -> SupportSession:
    """End the session once (audited); the operator's websockets in the workspace check again."""
    with transaction.atomic():
        locked = (
            SupportSession.objects.select_for_update(of=("self",))
            .select_related("tenant", "member")
            .get(pk=session.pk)
        )
        if locked.ended_at is not None:
            return locked
        locked.ended_at, locked.end_reason = timezone.now(), reason
        with as_operator(locked):
            locked.save(update_fields=["ended_at", "end_reason"])
        if locked.operator_id:
            access_changed(schema=locked.tenant.schema_name, user_id=locked.operator_id)
    session.ended_at, session.end_reason = locked.ended_at, locked.end_reason
    logger.info("support session %s ended: %s", session.pk, reason)
    return locked


def support_sessions_expire() -> int:
    """End the sessions past their time (also done as each is next used). Returns how many."""
    overdue = SupportSession.objects.filter(ended_at__isnull=True, expires_at__lte=timezone.now())
    count = 0
    for session in overdue.select_related("tenant", "member"):
        support_session_end(session=session, reason=SupportSession.End.EXPIRED)
        count += 1
    return count


# --- opening it on the workspace host --------------------------------------------------------


def support_handoff_url(session: SupportSession) -> str:
    """The one-time link (valid HANDOFF_MAX_AGE_SECONDS) that opens the session on the workspace host."""
    token = signing.dumps({"s": session.pk, "n": secrets.token_urlsafe(12)}, salt=HANDOFF_SALT)
    return tenant_url(session.tenant, f"{HANDOFF_PATH}?token={token}")


def support_handoff_redeem(
    *, token: str, tenant: Tenant, operator: User | None = None
) -> SupportSession | None:
    """The session the link opens on `tenant`'s host, marked opened; None if the link is forged,
    expired, already used, for another workspace, or the session is no longer valid."""
    try:
        payload = signing.loads(token, salt=HANDOFF_SALT, max_age=HANDOFF_MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    sessions = SupportSession.objects.filter(pk=payload.get("s"), tenant=tenant, opened_at__isnull=True)
    if not sessions.update(opened_at=timezone.now()):
        return None  # another workspace's, or already opened
    session = SupportSession.objects.select_related("tenant", "operator", "member").get(pk=payload["s"])
    if operator is not None and operator.pk != session.operator_id:
        return None
    if support_session_check(session) is None:
        return None
    return session


def support_session_check(session: SupportSession) -> SupportSession | None:
    """The session if it may go on; else it is ended (expired, or access lost) and None."""
    if session.ended_at is not None:
        return None
    if session.expires_at <= timezone.now():
        support_session_end(session=session, reason=SupportSession.End.EXPIRED)
        return None
    operator, member = session.operator, session.member
    valid = (
        operator is not None
        and can_view_as(operator)
        and (not session.allow_changes or operator.is_superuser)
        and member is not None
        and session.tenant.is_active
        and support_members(session.tenant).filter(pk=member.pk).exists()
    )
    if not valid:
        support_session_end(session=session, reason=SupportSession.End.INVALID)
        return None
    return session


def support_session_current(*, session_id, tenant: Tenant, operator) -> SupportSession | None:
    """The open session `session_id` of this operator on this workspace, or None (ended if due)."""
    if not isinstance(session_id, int) or not getattr(operator, "is_authenticated", False):
        return None
    session = (
        SupportSession.objects.select_related("tenant", "operator", "member")
        .filter(pk=session_id, tenant_id=tenant.pk, operator_id=operator.pk)
        .first()
    )
    return support_session_check(session) if session is not None else None


def support_action_record(
    *, session: SupportSession, method: str, path: str, outcome: str, status: int
) -> None:
    """One change attempted during the session, refused or allowed: an audit entry of the workspace."""
    with as_operator(session):
        audit.audit_record(
            instance=session,
            action="update",
            changes={"request": [None, f"{method} {path}"[:300]], "outcome": [None, f"{outcome} ({status})"]},
        )
    logger.info("support session %s: %s %s %s (%s)", session.pk, method, path, outcome, status)
