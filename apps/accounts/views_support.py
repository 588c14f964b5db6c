"""Support access on a workspace host: the one-time link that opens an operator's session, and
"Leave" (handled by SupportAccessMiddleware while a session is open; see apps.accounts.support)."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .support import SESSION_KEY, support_handoff_redeem

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@never_cache
@require_GET
def support_handoff(request):
    """Log the operator in on this host (as themselves) with the support session attached."""
    session = support_handoff_redeem(token=request.GET.get("token", ""), tenant=request.tenant)
    if session is None:
        messages.info(
            request, _("That support link has expired or was already used. Start support access again.")
        )
        return redirect("account_login")
    logout(request)  # whoever was logged in on this host in this browser
    login(request, session.operator, backend=MODEL_BACKEND)
    request.session[SESSION_KEY] = session.pk
    return redirect("dashboard:home")


@require_POST
def support_leave(request):
    """Reached only without an open support session (the middleware handles one): nothing to leave."""
    return redirect("dashboard:home")
