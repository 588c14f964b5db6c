"""Support access on a workspace host (apps.accounts.support): each request of an operator's
support session is the member's, read-only unless changes were allowed, and audited.

Sits after authentication and htmx, before `WorkspaceAccessMiddleware` (which then finds the
member's membership). Sets `request.support` (the SupportSession, or None) and, during one,
`request.support_operator` (the audit actor) and `request.user` (the member).
"""

from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.i18n import set_language
from django_tenants.utils import get_public_schema_name

from apps.audit import services as audit
from apps.core.api.errors import error_body
from apps.core.errors import ApplicationError
from apps.tenants.services import public_url

from .models import SupportSession
from .support import (
    ADMIN_PATH,
    HANDOFF_PATH,
    LEAVE_PATH,
    SAFE_METHODS,
    SESSION_KEY,
    SupportAccountLocked,
    SupportEnded,
    SupportReadOnly,
    support_action_record,
    support_session_current,
    support_session_end,
)

API_PREFIX = "/api/"
LOGOUT_PATH = "/accounts/logout/"
LANGUAGE_PATH = "/i18n/language/"  # accounts:language saves the language on the account
# The member's own account and memberships: never changed through support access.
ACCOUNT_PREFIXES = ("/accounts/", "/i18n/language/", "/invitations/", "/handoff/")


def support_refusal(request, error: ApplicationError, template: str = "accounts/support_refused.html"):
    """403: the API's error format on /api/, else a page whose message htmx shows in its alert."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse(error_body(error.code, error.message), status=error.status)
    context = {"message": error.message, "admin_url": public_url(ADMIN_PATH)}
    return render(request, template, context, status=error.status)


class SupportAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.support = None
        tenant = getattr(request, "tenant", None)
        if (
            tenant is None
            or tenant.schema_name == get_public_schema_name()
            or getattr(request, "api_key", None) is not None  # a key's request, not the browser session's
            or SESSION_KEY not in request.session
            or request.path == HANDOFF_PATH  # a new session's link replaces this one (views_support)
        ):
            return self.get_response(request)
        operator = request.user
        session = support_session_current(
            session_id=request.session[SESSION_KEY], tenant=tenant, operator=operator
        )
        if session is None:
            logout(request)
            return support_refusal(request, SupportEnded(), "accounts/support_ended.html")
        if request.method == "POST" and request.path in (LEAVE_PATH, LOGOUT_PATH):
            return self.leave(request, session)
        request.support, request.support_operator, request.user = session, operator, session.member

        async def auser():
            return session.member

        request.auser = auser
        behalf = audit.on_behalf.set(session.member.email)
        try:
            return self.handle(request, session)
        finally:
            audit.on_behalf.reset(behalf)

    def handle(self, request, session: SupportSession):
        if request.method in SAFE_METHODS:
            return self.get_response(request)
        if request.path == LANGUAGE_PATH:
            return set_language(request)  # the operator's own cookie; the member's account is untouched
        if request.path.startswith(ACCOUNT_PREFIXES):
            error = SupportAccountLocked()
        elif not session.allow_changes:
            error = SupportReadOnly()
        else:
            response = self.get_response(request)
            support_action_record(
                session=session,
                method=request.method,
                path=request.path,
                outcome="allowed",
                status=response.status_code,
            )
            return response
        support_action_record(
            session=session, method=request.method, path=request.path, outcome="refused", status=error.status
        )
        return support_refusal(request, error)

    @staticmethod
    def leave(request, session: SupportSession):
        support_session_end(session=session, reason=SupportSession.End.LEFT)
        logout(request)  # the operator's own session on this host
        response = redirect(public_url(ADMIN_PATH))
        if getattr(request, "htmx", False):
            response["HX-Redirect"] = response["Location"]
        return response
