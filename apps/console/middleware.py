"""Staff on the operators' console (/admin/ on the public host): two-factor authentication is
required, and their session ends after ADMIN_SESSION_SECONDS without a request to the console."""

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name

from .staff import has_authenticator_app, session_mfa_verified


@functools.cache
def _console_paths(urlconf: str) -> tuple[str, str] | None:
    """The console's root and logout paths on the public host (None: a URLconf without the admin)."""
    try:
        return reverse("admin:index", urlconf=urlconf), reverse("admin:logout", urlconf=urlconf)
    except NoReverseMatch:
        return None


def _staff_on_console(request) -> bool:
    paths = _console_paths(settings.PUBLIC_SCHEMA_URLCONF)
    if paths is None or not request.path.startswith(paths[0]) or request.path == paths[1]:
        return False
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.schema_name != get_public_schema_name():
        return False
    user = request.user
    return user.is_authenticated and user.is_active and user.is_staff


def _second_factor_missing(request):
    """A redirect when the person has no authenticator app (to set one up) or has one but did not
    give a code in this session (to confirm with one); None when the console may open."""
    if not has_authenticator_app(request.user):
        message = _("The operators' console requires two-factor authentication: set up an authenticator app.")
        messages.warning(request, message)
        return HttpResponseRedirect(reverse("mfa_activate_totp"))
    if not session_mfa_verified(request):
        messages.info(request, _("Enter a code from your authenticator app to open the operators' console."))
        query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
        return HttpResponseRedirect(f"{reverse('mfa_reauthenticate')}?{query}")
    return None


class StaffAdminMiddleware:
    """After AuthenticationMiddleware, MessageMiddleware and allauth's AccountMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _staff_on_console(request):
            redirect = _second_factor_missing(request)
            if redirect is not None:
                return redirect
            # Each console request sets the expiry again: it counts from the last one.
            request.session.set_expiry(settings.ADMIN_SESSION_SECONDS)
        return self.get_response(request)
